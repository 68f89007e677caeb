"""Folders replaced whole: a reader finds the previous folder or the new one, never a mix.

``target`` is a symbolic link to a hidden folder beside it. A replacement is written into a new
hidden folder (``beside``) and the link is swapped with one ``rename``, which is atomic; the
previous folder, and any left by a run killed before its swap, are removed after.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def beside(target: Path) -> Path:
    """A new, empty hidden folder next to ``target``, for building its replacement."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.parent / f".{target.name}@{os.getpid()}-{os.urandom(4).hex()}"
    fresh.mkdir()
    return fresh


def swap(fresh: Path, target: Path) -> None:
    """Point ``target`` at ``fresh`` in one step, then remove what it pointed at before."""
    if target.exists() and not target.is_symlink():
        shutil.rmtree(target)  # a plain folder from an older layout
    link = target.parent / f".{target.name}@link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(fresh.name)
    os.replace(link, target)
    tidy(target)


def tidy(target: Path) -> None:
    """Remove the hidden folders beside ``target`` that it does not point at: its previous
    folder, and any left by a run killed before its swap."""
    live = Path(os.readlink(target)).name if target.is_symlink() else None
    for stale in target.parent.glob(f".{target.name}@*"):
        if stale.name != live:
            remove(stale)


def remove(path: Path) -> None:
    """Remove a file or a folder; while removing in the background, a folder is moved aside
    under a hidden name at once and deleted by the remover's thread."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif _remover is not None:
        if path.name.startswith(ASIDE):
            return  # already on its way out
        aside = path.parent / f"{ASIDE}{path.name}-{os.urandom(4).hex()}"
        try:
            path.rename(aside)
        except FileNotFoundError:
            return
        _remover.put(aside)
    else:
        shutil.rmtree(path, ignore_errors=True)


ASIDE = ".removed-"
_remover: queue.Queue[Path | None] | None = None


@contextmanager
def removing_in_background() -> Iterator[None]:
    """Folders removed within are deleted by a thread of their own (the preview: deleting the
    last build's folders takes a tenth of a second an edit need not wait for); all are gone
    when it ends."""
    global _remover
    _remover = queue.Queue()
    worker = threading.Thread(target=_remove_queued, args=(_remover,), daemon=True)
    worker.start()
    try:
        yield
    finally:
        _remover.put(None)
        _remover = None
        worker.join()


def _remove_queued(removals: queue.Queue[Path | None]) -> None:
    while (path := removals.get()) is not None:
        shutil.rmtree(path, ignore_errors=True)


def copy(source: Path, target: Path) -> None:
    """A folder or a file, copied to ``target`` (a new place), its parents made."""
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
