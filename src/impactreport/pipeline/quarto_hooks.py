"""The ``pre-render`` and ``post-render`` scripts of ``_quarto.yml``, for real Quarto.

Quarto passes no ``-P`` parameter to these scripts, so the year is ``$IMPACTREPORT_YEAR`` or
``impactreport: year:`` of the merged project config; the language is the active profile
(``$QUARTO_PROFILE``), else the first configured language.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from impactreport import config, digests
from impactreport.analysis import editions
from impactreport.analysis.results import Results
from impactreport.paths import Project
from impactreport.pipeline import compute, keys
from impactreport.publishing import prepare, provenance
from impactreport.publishing.publish import publish

EDITION_FILE = "edition.json"


def active_language(project: Project) -> str:
    configured = config.languages(project)
    active = [p.strip() for p in os.environ.get("QUARTO_PROFILE", "").replace(" ", ",").split(",")]
    chosen = [p for p in active if p in configured]
    return chosen[0] if chosen else configured[0]


def configured_year(project: Project, lang: str) -> int:
    value = os.environ.get("IMPACTREPORT_YEAR")
    if value is not None:
        return config.checked_year(value)
    return config.configured_year(project.root, [lang])


def pre_render(project: Project) -> tuple[int, str]:
    lang = active_language(project)
    year = configured_year(project, lang)
    result = compute.compute(project, year)
    from impactreport.publishing.draft import edition_label

    edition, results = editions.load(project, lang), Results(result.build)
    prepare.write(
        project.root,
        results,
        edition,
        year,
        provenance.describe(results, year, digests.package_digest(keys.PACKAGE)),
        edition_label(results, edition.words),
    )
    edition = {"year": year, "lang": lang}
    (project.root / prepare.GENERATED / EDITION_FILE).write_text(
        json.dumps(edition), encoding="utf-8"
    )
    return year, lang


def post_render(project: Project) -> list[Path]:
    edition = json.loads(
        (project.root / prepare.GENERATED / EDITION_FILE).read_text(encoding="utf-8")
    )
    output_dir = Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_output/quarto"))
    if not output_dir.is_absolute():  # documented as relative, passed as absolute: accept both
        output_dir = project.root / output_dir
    listed = os.environ.get("QUARTO_PROJECT_OUTPUT_FILES", "")
    files = [Path(line) for line in listed.splitlines() if line.strip()]
    files = [f if f.is_absolute() else project.root / f for f in files] or sorted(
        p for p in output_dir.iterdir() if p.suffix in (".html", ".pdf", ".docx")
    )
    return publish(files, project.output / str(edition["year"]) / edition["lang"])
