"""What a publication was built from, stated in it so that a reader can tell two editions apart."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess

from impactreport import __version__
from impactreport.inputs import descriptor
from impactreport.paths import Project


def inputs_digest(project: Project, year: int) -> str:
    """One digest over the year's data files and the reference data (names and bytes)."""
    sha = hashlib.sha256()
    for folder in (project.year_data(year), project.reference):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            sha.update(str(path.relative_to(project.data)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def _git(project: Project, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project.root, capture_output=True, text=True, check=True
    ).stdout.strip()


def commit(project: Project) -> str:
    """The git commit of the sources, marked ``+changes`` when tracked files differ from it."""
    try:
        head = _git(project, "rev-parse", "--short=10", "HEAD")
        dirty = _git(project, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "none"
    return f"{head}+changes" if dirty else head


def dated(project: Project, year: int) -> tuple[str, str]:
    """The board's approval date, and the date the publication carries: that approval, else the
    newest date the year's descriptor declares (an export, a verification), else the end of the
    year. Dates from the data, not file times: a fresh clone builds the same bytes."""
    found = descriptor.load(project.year_data(year))
    approved = found.approval.on if found and found.approval else ""
    declared = [
        day
        for r in (found.resources if found else ())
        for day in (r.date, r.verified.on if r.verified else "")
        if day
    ]
    return approved, approved or max(declared, default=f"{year}-12-31")


def describe(project: Project, year: int) -> dict[str, str]:
    """What the publication states about itself (colophon, metadata); all strings."""
    approved, issued = dated(project, year)
    found = descriptor.load(project.year_data(year))
    synthetic = any(r.synthetic for r in (found.resources if found else ()))
    return {
        "year": str(year),
        "digest": inputs_digest(project, year)[:16],
        "version": __version__,
        "commit": commit(project),
        "approved": approved,
        "issued": issued,
        "synthetic": "yes" if synthetic else "",
    }


def timestamp(described: dict[str, str]) -> dt.datetime:
    """The PDF's and Word file's creation date: noon UTC of the date ``describe`` issued."""
    return dt.datetime.combine(
        dt.date.fromisoformat(described["issued"]), dt.time(12), tzinfo=dt.UTC
    )
