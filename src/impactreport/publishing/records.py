"""What each build published, kept small so that any two builds can be compared (``diff``).

A record holds the indicators with their values, the verdict of each condition, and the text of
each edition after substitution. Records live in ``_records/<year>/`` (not in ``_build/``, which
may be deleted at any time): final editions are kept forever, drafts as far back as
``impactreport: drafts-kept:`` in ``_quarto.yml`` says.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from impactreport.analysis.results import Results, is_true
from impactreport.config import load_config
from impactreport.errors import ConfigError
from impactreport.paths import Project, is_year
from impactreport.publishing.published_text import blocks

FOLDER = "_records"
DRAFTS_KEPT = 20  # when _quarto.yml does not say


@dataclass(frozen=True)
class Record:
    name: str  # <year>-<number>, numbered in build order
    year: int
    kind: str  # draft | final
    created: str
    indicators: dict[str, dict]
    conditions: dict[str, bool | None]  # None: no verdict (no evidence for the year)
    editions: dict[str, list[str]]
    path: Path
    published: str = ""  # digest of the files published: a build that changed none adds no record

    @property
    def number(self) -> int:
        return int(self.name.rsplit("-", 1)[1])


def folder(project: Project, year: int) -> Path:
    return project.root / FOLDER / str(year)


def drafts_kept(project: Project) -> int:
    value = load_config(project.root, []).get("impactreport", {}).get("drafts-kept", DRAFTS_KEPT)
    if not isinstance(value, int) or value < 1:
        raise ConfigError(
            f"_quarto.yml: impactreport: drafts-kept: {value!r}: expected a whole number of 1 or more"
        )
    return value


def read(path: Path) -> Record:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Record(path=path, **data)


def records(project: Project, year: int) -> list[Record]:
    """The records of a year, oldest first."""
    found = [read(p) for p in folder(project, year).glob(f"{year}-*.json")]
    return sorted(found, key=lambda r: r.number)


def published_editions(project: Project, year: int, langs: list[str]) -> dict[str, list[str]]:
    text = {}
    for lang in langs:
        pages = sorted((project.output / str(year) / lang).glob("*.html"))
        if pages:
            text[lang] = blocks(pages[0].read_text(encoding="utf-8"))
    return text


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def published_digest(project: Project, year: int, langs: list[str]) -> str:
    from impactreport.digests import text_digest, tree_digests

    return text_digest(
        {lang: tree_digests(project.output / str(year) / lang) for lang in sorted(langs)}
    )


def keep(
    project: Project, year: int, langs: list[str], *, final: bool = False
) -> tuple[Record, bool]:
    """Record what the build just published, unless the last record holds the same files (then
    that record, and False); drop the drafts beyond the setting."""
    existing = records(project, year)
    kind = "final" if final else "draft"
    published = published_digest(project, year, langs)
    if existing and (existing[-1].published, existing[-1].kind) == (published, kind):
        return existing[-1], False
    computed = Results(project.year_build(year) / "compute")
    # the csv module, not pandas: recording a build should not cost more than the build
    table = _rows(computed.path("indicators"))
    verdicts = _rows(computed.path("conditions"))
    number = existing[-1].number + 1 if existing else 1
    data = {
        "name": f"{year}-{number}",
        "year": year,
        "kind": kind,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "indicators": {
            row["id"]: {
                "value": float(row["value"]),
                "unit": row["unit"],
                "qualifier": row["qualifier"],
            }
            for row in table
        },
        "conditions": {
            row["condition"]: None if row["met"] == "" else is_true(row["met"]) for row in verdicts
        },
        "editions": published_editions(project, year, langs),
        "published": published,
    }
    target = folder(project, year) / f"{data['name']}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, target)
    prune(project, year)
    return read(target), True


def prune(project: Project, year: int) -> None:
    drafts = [r for r in records(project, year) if r.kind == "draft"]
    for old in drafts[: -drafts_kept(project)]:
        old.path.unlink(missing_ok=True)


def find(project: Project, year: int, against: str | None) -> tuple[Record, Record]:
    """The current record of ``year`` and the one to compare it with.

    ``against``: None (the build before), ``final`` (the year's latest final edition), a record
    name (``2024-3``) or another year (its latest record)."""
    mine = records(project, year)
    if not mine:
        raise ConfigError(
            f"no build of {year} recorded yet: run `impactreport build --year {year}` first"
        )
    current = mine[-1]
    if against is None:
        if len(mine) < 2:
            raise ConfigError(
                f"only one build of {year} is recorded ({current.name}): nothing earlier to "
                "compare with; build again after a change, or give --against"
            )
        return current, mine[-2]
    if against == "final":
        finals = [r for r in mine[:-1] if r.kind == "final"]
        if not finals:
            raise ConfigError(f"no final edition of {year} recorded before {current.name}")
        return current, finals[-1]
    if is_year(against):
        theirs = records(project, int(against))
        if not theirs:
            raise ConfigError(f"--against {against}: no build of {against} is recorded")
        return current, theirs[-1]
    year_part = against.split("-", 1)[0]
    if year_part.isdigit():
        for record in records(project, int(year_part)):
            if record.name == against:
                return current, record
    known = ", ".join(r.name for r in mine) or "none"
    raise ConfigError(
        f"--against {against!r}: no such build (builds of {year}: {known}; or 'final', or a year)"
    )
