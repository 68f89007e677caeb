"""An edition's sources staged with their prepared blocks, as the renderer reads them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from impactreport.analysis import editions
from impactreport.analysis.results import Results
from impactreport.paths import Project
from impactreport.pipeline import build
from impactreport.publishing import prepare, provenance


@contextmanager
def staged_edition(project: Project, year: int, lang: str) -> Iterator[Path]:
    """The staged folder of a computed project's edition, removed afterwards."""
    results = Results(project.year_build(year) / "compute")
    folder = build.stage(project, year, lang)
    try:
        facts = provenance.describe(results, year, "test")
        prepare.write(folder, results, editions.load(project, lang), year, facts)
        yield folder
    finally:
        shutil.rmtree(folder)
