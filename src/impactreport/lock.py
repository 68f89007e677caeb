"""The project lock: one command at a time writes a project's builds, caches and data.

``compute``, ``render``, ``build`` (and the preview's builds through it) and ``new-year`` hold it
while they write. A second command started meanwhile is refused in one line, before it writes
anything: two writers would swap the same folders under each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from filelock import FileLock, Timeout

from impactreport.errors import ConfigError
from impactreport.paths import Project

NAME = ".lock"  # in _build/, which every writing command makes anyway
Result = TypeVar("Result")


def held(project: Project) -> FileLock:
    """The project's lock, acquired (use it in a ``with``); ConfigError when another command
    holds it."""
    project.build.mkdir(parents=True, exist_ok=True)
    guard = FileLock(project.build / NAME, timeout=0)
    try:
        guard.acquire()
    except Timeout:
        raise ConfigError(
            f"another command is writing this project ({guard.lock_file} is held): wait for it "
            "to finish, then run this one again"
        ) from None
    return guard


def run(project: Project, action: Callable[[], Result]) -> Result:
    """``action()`` with the project's lock held."""
    with held(project):
        return action()
