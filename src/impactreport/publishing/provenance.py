"""What a publication was built from, stated in it so that a reader can tell two editions apart.

Derived from what the cache keys cover, never from the state of the working tree: the files the
notebooks read (listed by the compute step with their digests), the code that rendered it, and
the dates the year's descriptor declares.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from impactreport import __version__
from impactreport.inputs import descriptor
from impactreport.paths import Project

INPUTS = "inputs.json"  # written by the compute step beside the indicators


def inputs_digest(compute_dir: Path) -> str:
    """One digest over the files the notebooks read: their names and their digests."""
    return hashlib.sha256((compute_dir / INPUTS).read_bytes()).hexdigest()


def dated(project: Project, year: int) -> tuple[str, str]:
    """The board's approval date, and the date the publication carries: that approval (when
    what is published is what it approved), else the newest date the year's descriptor declares
    (an export, a verification), else the first day after the year closed (never a day of the
    year itself, before its figures could exist). Dates from the data, not file times: a fresh
    clone builds the same bytes."""
    found = descriptor.load(project.year_data(year), checked=False)  # the door checked it
    approved = (
        found.approval.on if found and found.approval and _still_approved(project, year) else ""
    )
    declared = [
        day
        for r in (found.resources if found else ())
        for day in (r.date, r.verified.on if r.verified else "")
        if day
    ]
    return approved, approved or max(declared, default=f"{year + 1}-01-01")


def _still_approved(project: Project, year: int) -> bool:
    from impactreport.analysis.indicators import read
    from impactreport.pipeline import approval

    table = project.year_build(year) / "compute" / "indicators.csv"
    return table.is_file() and approval.state(project, year, read(table)) not in ("", "changed")


def approval_digest(project: Project, year: int) -> str:
    """The digest of what the board approved, when it still covers what is published."""
    from impactreport.pipeline import approval

    if not _still_approved(project, year):
        return ""
    record = approval.load(project, year)
    return approval.digest(record)[:16] if record else ""


def describe(project: Project, compute_dir: Path, year: int, code: str) -> dict[str, str]:
    """What the publication states about itself (colophon, metadata); all strings."""
    approved, issued = dated(project, year)
    found = descriptor.load(project.year_data(year), checked=False)
    synthetic = any(r.synthetic for r in (found.resources if found else ()))
    return {
        "year": str(year),
        "digest": inputs_digest(compute_dir)[:16],
        "version": __version__,
        "code": code[:10],
        "approved": approved,
        "issued": issued,
        "synthetic": "yes" if synthetic else "",
        "approval": approval_digest(project, year) if approved else "",
        **(signatories(project, year) if approved else {"place": "", "by": ""}),
    }


def signatories(project: Project, year: int) -> dict[str, str]:
    """Where and by whom the approved report was signed, as the approval recorded it."""
    from impactreport.pipeline import approval

    record = approval.load(project, year)
    return {"place": record.place if record else "", "by": record.by if record else ""}


def timestamp(issued: str) -> dt.datetime:
    """The PDF's and Word file's creation date: noon UTC of the issue date (``dated``)."""
    return dt.datetime.combine(dt.date.fromisoformat(issued), dt.time(12), tzinfo=dt.UTC)
