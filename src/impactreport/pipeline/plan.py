"""Which notebooks run, and why: each notebook's cache entry, judged against its key.

A notebook's key is the notebook itself, its parameters and the library versions; its entry also
holds what its kernel really read and ran (``keys``), so a notebook whose reads changed runs
again too, named by the input file the analyst knows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from impactreport import digests
from impactreport.errors import NotebookError
from impactreport.inputs import reads
from impactreport.paths import Project
from impactreport.pipeline import cache, keys


@dataclass(frozen=True)
class Plan:
    notebook: Path
    key: dict
    reason: str | None  # why it must run; None: the cache entry is good

    @property
    def name(self) -> str:
        return self.notebook.name


def notebooks(project: Project) -> list[Path]:
    return sorted(project.notebooks.glob("[0-9][0-9]-*.ipynb"))


def shared_key(project: Project, year: int) -> dict:
    """What every notebook's key shares: the parameters and the library versions. The code each
    one ran is among its recorded reads."""
    from impactreport.config import profile_group

    return {
        "parameters": digests.text_digest({"year": year, "languages": profile_group(project.root)}),
        "libraries": digests.text_digest(digests.versions()),
    }


def entry_folder(project: Project, year: int, notebook: Path) -> Path:
    return project.build / "cache" / str(year) / notebook.stem


def plan(
    project: Project,
    year: int,
    notebook: Path,
    shared: dict,
    *,
    force: bool,
    known: keys.Digests | None = None,
) -> Plan:
    key = {"notebook": digests.file_digest(notebook), **shared}
    if force:
        return Plan(notebook, key, "--force")
    entry = cache.load(entry_folder(project, year, notebook))
    if entry is None:
        return Plan(notebook, key, "no cache entry")
    differs = cache.changed(entry["key"], key)
    if differs:
        return Plan(notebook, key, f"{', '.join(differs)} changed")
    stale = (known or keys.Digests(project)).stale(entry.get("reads", {}))
    if stale:
        return Plan(notebook, key, f"{', '.join(by_source(project, year, stale))} changed")
    return Plan(notebook, key, None)


def by_source(project: Project, year: int, stale: list[str]) -> list[str]:
    """Name a table of the door's typed copy by the input file it came from, as the analyst
    knows it (``_build/2024/inputs/contracts.parquet`` -> ``data/2024/contracts.csv``)."""
    from impactreport.inputs import door

    copy = door.folder(project, year)
    try:
        sources = json.loads((copy / door.SOURCES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        sources = {}
    shown = []
    for path in stale:
        name = Path(path).stem if Path(path).parent == copy.relative_to(project.root) else None
        shown.append(sources.get(name, path) if name else path)
    return list(dict.fromkeys(shown))


def store(project: Project, year: int, item: Plan, part: Path, log: Path) -> None:
    """Cache a run with what it read; a run that recorded nothing cannot be keyed."""
    recorded = reads.recorded(log)
    if not recorded:
        raise NotebookError(f"{item.name}: its kernel recorded no reads ({log} is empty)")
    dependencies = keys.dependencies(project, recorded, own_output=part.parent.parent)
    cache.store(entry_folder(project, year, item.notebook), item.key, part, {"reads": dependencies})
