"""What the board approved, kept so that a final edition is exactly that.

``impactreport approve`` records, in ``approvals/<year>.json`` (kept in git beside the data),
the figures of the year (the indicators table), the text of every edition (each narrative file,
line by line), a digest of every input file and of the environment's lock file. The year's
descriptor gets the approval's date and signatories. A build compares the project with that
record: anything changed since makes the edition a draft again, and each change is named (the
sentence, the figure, the file).
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from impactreport.digests import file_digest, text_digest
from impactreport.errors import ConfigError
from impactreport.inputs import descriptor
from impactreport.paths import Project
from impactreport.publishing.review import sentences

if TYPE_CHECKING:  # a rebuild with nothing to do keys the approval without loading pandas
    import pandas as pd

FOLDER = "approvals"
LOCK = "requirements.lock"  # the environment the edition is built with (README)
TEXT_SUFFIXES = (".qmd", ".yml")


@dataclass(frozen=True)
class Record:
    by: str
    on: str
    figures: dict[str, str]
    text: dict[str, list[str]]
    inputs: dict[str, str]
    lock: str
    place: str = ""  # where the board signed it


def path(project: Project, year: int) -> Path:
    return project.root / FOLDER / f"{year}.json"


def figures(table: pd.DataFrame) -> dict[str, str]:
    """Each indicator's value as published: value, unit and qualifier."""
    return {
        str(row.id): f"{float(row.value)!r} {row.unit} {row.qualifier}".strip()
        for row in table.itertuples()
    }


def text_files(project: Project) -> list[Path]:
    """What the editions' text is written in: the main documents, the profiles and every file
    of ``sections/`` (the chapters and each edition's words)."""
    root = project.root
    found = [*root.glob("*.qmd"), *root.glob("_quarto*.yml")]
    if project.sections.is_dir():
        found += [p for p in project.sections.rglob("*") if p.suffix in TEXT_SUFFIXES]
    return sorted(p for p in found if p.is_file())


def text(project: Project) -> dict[str, list[str]]:
    return {
        str(p.relative_to(project.root)): p.read_text(encoding="utf-8").splitlines()
        for p in text_files(project)
    }


def _descriptor_digest(file: Path) -> str:
    """The year's descriptor without its approval, which the approval itself writes."""
    raw = json.loads(file.read_text(encoding="utf-8"))
    raw.pop("approval", None)
    return text_digest(raw)


def inputs(project: Project, year: int) -> dict[str, str]:
    """The digest of every file of the year's data and of the reference data."""
    found = {}
    for folder in (project.year_data(year), project.reference):
        for file in sorted(folder.rglob("*")):
            if not file.is_file():
                continue
            shown = str(file.relative_to(project.root))
            is_year_descriptor = file == project.year_data(year) / descriptor.NAME
            found[shown] = _descriptor_digest(file) if is_year_descriptor else file_digest(file)
    return found


def lock_digest(project: Project) -> str:
    """The lock file's digest; empty for a project that keeps none."""
    lock = project.root / LOCK
    return file_digest(lock) if lock.is_file() else ""


def current(project: Project, year: int, table: pd.DataFrame, by: str = "", on: str = "") -> Record:
    return Record(
        by=by,
        on=on,
        figures=figures(table),
        text=text(project),
        inputs=inputs(project, year),
        lock=lock_digest(project),
    )


def load(project: Project, year: int) -> Record | None:
    file = path(project, year)
    if not file.is_file():
        return None
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        return Record(
            **{k: raw[k] for k in Record.__dataclass_fields__ if k != "place"},
            place=raw.get("place", ""),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigError(
            f"{file.relative_to(project.root)}: not an approval record ({error}): approve again "
            f"with `impactreport approve --year {year}`"
        ) from None


def _write_json(file: Path, data: dict) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f".{file.name}.{os.getpid()}")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, file)


def approve(
    project: Project, year: int, table: pd.DataFrame, by: str, on: str, place: str = ""
) -> Path:
    """Record what the board approves today: the year's figures, the text, the inputs, the lock;
    and the approval (by, on) in the year's descriptor."""
    from datetime import date

    try:
        date.fromisoformat(on)
    except ValueError:
        raise ConfigError(f"--on {on!r}: expected a date as YYYY-MM-DD") from None
    if not by.strip():
        raise ConfigError("--by: name who approved the report (e.g. 'Raad van bestuur')")
    package_file = project.year_data(year) / descriptor.NAME
    if not package_file.is_file():
        raise ConfigError(
            f"{package_file.relative_to(project.root)}: missing: declare the year's inputs first"
        )
    record = replace(current(project, year, table, by, on), place=place)
    package = json.loads(package_file.read_text(encoding="utf-8"))
    package["approval"] = {"by": by, "on": on}
    _write_json(package_file, package)
    target = path(project, year)
    _write_json(target, {"year": year, **record.__dict__, "digest": digest(record)})
    return target


def digest(record: Record) -> str:
    """One digest of what was approved (figures, text, inputs, lock), for the colophon."""
    return text_digest(record.figures, record.text, record.inputs, record.lock)


def _sentence_changes(name: str, old: list[str], new: list[str]) -> list[str]:
    """The sentences that differ between two versions of a text file, each named."""
    old_sentences = [s for line in old for s in sentences(line.strip()) if s]
    new_sentences = [s for line in new for s in sentences(line.strip()) if s]
    changes = []
    matcher = difflib.SequenceMatcher(a=old_sentences, b=new_sentences, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = old_sentences[a0:a1], new_sentences[b0:b1]
        if before and after:
            for was, now in zip(before, after, strict=False):
                changes.append(f"{name}: sentence changed: {was!r} is now {now!r}")
            for extra in before[len(after) :]:
                changes.append(f"{name}: sentence removed: {extra!r}")
            for extra in after[len(before) :]:
                changes.append(f"{name}: sentence added: {extra!r}")
        elif before:
            changes += [f"{name}: sentence removed: {s!r}" for s in before]
        else:
            changes += [f"{name}: sentence added: {s!r}" for s in after]
    return changes


def changes(approved: Record, now: Record) -> list[str]:
    """What differs from the approved record, one line each: figures, sentences, files, lock."""
    found = []
    for key in sorted(approved.figures.keys() | now.figures.keys()):
        was, is_ = approved.figures.get(key), now.figures.get(key)
        if was != is_:
            found.append(f"figure {key}: approved {was or 'absent'}, now {is_ or 'absent'}")
    for name in sorted(approved.text.keys() | now.text.keys()):
        was, is_ = approved.text.get(name), now.text.get(name)
        if was is None or is_ is None:
            found.append(f"{name}: {'added' if was is None else 'removed'} since the approval")
        elif was != is_:
            found += _sentence_changes(name, was, is_) or [f"{name}: changed since the approval"]
    for name in sorted(approved.inputs.keys() | now.inputs.keys()):
        was, is_ = approved.inputs.get(name), now.inputs.get(name)
        if was != is_:
            what = "added" if was is None else "removed" if is_ is None else "changed"
            found.append(f"{name}: {what} since the approval")
    if approved.lock != now.lock:
        found.append(f"{LOCK}: the environment changed since the approval")
    return found


def check(project: Project, year: int, table: pd.DataFrame) -> list[str]:
    """Why the year's approval does not cover what would be published, one line each; empty
    when the board approved exactly this. Only meaningful when the descriptor records an
    approval."""
    where = str(path(project, year).relative_to(project.root))
    approved = load(project, year)
    if approved is None:
        return [
            f"{where}: missing: the approval records no figures, text or inputs; record what the "
            f"board approves with `impactreport approve --year {year} --by … --on …`"
        ]
    found = descriptor.load(project.year_data(year), checked=False)
    if (
        found is None
        or found.approval is None
        or (found.approval.on, found.approval.by)
        != (
            approved.on,
            approved.by,
        )
    ):
        return [f"{where}: records another approval than data/{year}/{descriptor.NAME}"]
    return [
        f"changed since the approval of {approved.on}: {line}"
        for line in changes(approved, current(project, year, table))
    ]


def pending(project: Project, year: int, table: pd.DataFrame) -> list[str]:
    """What keeps an approved year from being what the board approved (``check``); nothing
    when the year's descriptor records no approval (the draft says that already)."""
    found = descriptor.load(project.year_data(year), checked=False)
    if found is None or found.approval is None:
        return []
    return check(project, year, table)


def signed(project: Project, year: int, changed: list[str]) -> dict[str, str]:
    """What the publication states of its approval when it is what the board approved: the
    approved digest, where and by whom it was signed; empty values otherwise. Assessed when
    compute ends; the editions find it in the computed results."""
    found = descriptor.load(project.year_data(year), checked=False)
    record = load(project, year) if found is not None and found.approval is not None else None
    if record is None or changed:
        return {"approval": "", "place": "", "by": ""}
    return {"approval": digest(record)[:16], "place": record.place, "by": record.by}


def key(project: Project, year: int) -> str:
    """What an approved year's status depends on beyond its inputs: the record, the text and
    the lock. Part of compute's key, so an edit after the approval makes a draft again."""
    if not path(project, year).is_file():
        return ""
    files = [path(project, year), *text_files(project), project.root / LOCK]
    return text_digest(
        {str(p.relative_to(project.root)): file_digest(p) for p in files if p.is_file()}
    )
