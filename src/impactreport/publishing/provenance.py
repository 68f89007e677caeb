"""What a publication was built from, stated in it so that a reader can tell two editions apart."""

from __future__ import annotations

import hashlib
import subprocess

from impactreport import __version__
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


def describe(project: Project, year: int) -> dict[str, str]:
    return {
        "year": str(year),
        "digest": inputs_digest(project, year)[:16],
        "version": __version__,
        "commit": commit(project),
    }
