"""What a notebook's cache entry depends on, derived from what its run really read and ran.

A read is keyed by where it is looked up again: files of the project relative to its root (so a
copied project checks its own files), the package's code by its absolute path (the copy runs the
same installed package). Reads of anything else (libraries, the interpreter, the run's own output)
are not dependencies: the library versions are a key of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from impactreport import digests
from impactreport.paths import Project

PACKAGE = Path(__file__).resolve().parents[1]
MISSING = "missing"


class Digests:
    """File digests, each computed once however many notebooks read the file."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._known: dict[str, str] = {}

    def path(self, name: str) -> Path:
        return self.project.root / name.rstrip("/")

    def of(self, name: str) -> str:
        if name not in self._known:
            self._known[name] = _digest(self.path(name), listing=name.endswith("/"))
        return self._known[name]

    def stale(self, recorded: dict[str, str]) -> list[str]:
        """The recorded dependencies whose digest is no longer the one recorded."""
        return [name for name, digest in recorded.items() if self.of(name) != digest]


def dependencies(project: Project, paths: Iterable[Path], own_output: Path) -> dict[str, str]:
    """The dependencies of one run and their digests: each file read (or looked for and missing),
    each module run, each folder listed. An input added in another format beside the one read
    needs no listing here: the data door refuses it before any kernel starts."""
    digests = Digests(project)
    names = {n for p in paths if (n := name(project, p, own_output)) is not None}
    return {n: digests.of(n) for n in sorted(names)}


def name(project: Project, path: Path, own_output: Path) -> str | None:
    """How a read is keyed, or None for what is no dependency."""
    if path.is_relative_to(PACKAGE):
        return str(path) + ("/" if path.is_dir() else "")
    if not path.is_relative_to(project.root) or path.is_relative_to(own_output):
        return None
    if "__pycache__" in path.parts:
        return None
    relative = str(path.relative_to(project.root))
    return relative + "/" if path.is_dir() else relative


def _digest(path: Path, *, listing: bool) -> str:
    """A file's content; a folder's list of names."""
    if listing or path.is_dir():
        return (
            digests.text_digest(sorted(x.name for x in path.iterdir()))
            if path.is_dir()
            else MISSING
        )
    return digests.file_digest(path) if path.is_file() else MISSING
