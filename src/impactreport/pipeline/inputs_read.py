"""The project files a compute build was made from, with their digests, for the provenance.

What every notebook's kernel read (not code), and what the package's own tables are made from;
a table of the door's typed copy is named by the export it came from, as the analyst knows it.
"""

from __future__ import annotations

import json
from pathlib import Path

from impactreport import digests
from impactreport.analysis import results
from impactreport.paths import Project
from impactreport.pipeline import cache
from impactreport.pipeline.plan import Plan, by_source, entry_folder

NAME = results.INPUTS  # where the results package names it


def write(project: Project, year: int, plans: list[Plan], target: Path) -> None:
    """The project files every notebook read (not code), and those the passed facts are made
    from, with their digests, for the provenance."""
    found = {
        str(path.relative_to(project.root)): digests.file_digest(path)
        for path in passed_reads(project, year)
    }
    for item in plans:
        entry = cache.load(entry_folder(project, year, item.notebook)) or {}
        found.update(
            (name, digest)
            for name, digest in entry.get("reads", {}).items()
            if not Path(name).is_absolute() and not name.endswith((".py", "/"))
        )
    # a table of the door's typed copy stands for the export it was made from
    for name in list(found):
        [source] = by_source(project, year, [name])
        if source != name and (project.root / source).is_file():
            del found[name]
            found[source] = digests.file_digest(project.root / source)
    target.write_text(json.dumps(found, indent=1, sort_keys=True), encoding="utf-8")


def passed_reads(project: Project, year: int) -> list[Path]:
    """The project files what the package writes without a notebook is made from, for the
    provenance: the door's facts, publications and explanations and where they came from, the
    catalogue and the conditions, the year's descriptor."""
    from impactreport.inputs import descriptor, door

    copy = door.folder(project, year)
    tables = ("facts", "fact_checks", "publications", "explanations")
    found = [
        *(copy / f"{name}.parquet" for name in tables),
        copy / door.SOURCES,
        project.reference / "indicators.csv",
        project.reference / "conditions.csv",
    ]
    return [p for p in [*found, project.year_data(year) / descriptor.NAME] if p.is_file()]
