"""Publish an edition atomically: readers see the previous files or the new ones, never a mix.

``_output/<year>/<lang>`` is a symbolic link to a folder of finished files; a new publication is
written beside it and the link is swapped with one ``rename``, which is atomic.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def publish(files: list[Path], target: Path) -> list[Path]:
    """Copy ``files`` into a new folder and point ``target`` at it; return the published paths."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.parent / f".{target.name}-{os.getpid()}-{os.urandom(4).hex()}"
    link = target.parent / f".{target.name}-link-{os.getpid()}"
    previous = target.resolve() if target.is_symlink() else None
    try:
        fresh.mkdir()
        for file in files:
            shutil.copyfile(file, fresh / file.name)
            with open(fresh / file.name, "rb") as handle:
                os.fsync(handle.fileno())
        if target.exists() and not target.is_symlink():
            shutil.rmtree(target)  # a plain folder from an older layout
        link.unlink(missing_ok=True)
        link.symlink_to(fresh.name)
        os.replace(link, target)
    except BaseException:  # a full disk, say: the previous publication stays, nothing beside it
        link.unlink(missing_ok=True)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if previous is not None and previous != fresh.resolve():
        shutil.rmtree(previous, ignore_errors=True)
    _remove_leftovers(target, keep=fresh)
    return [target / file.name for file in files]


def _remove_leftovers(target: Path, keep: Path) -> None:
    """Folders and links of publications that were killed before their swap."""
    for stale in target.parent.glob(f".{target.name}-*"):
        if stale != keep:
            if stale.is_symlink() or stale.is_file():
                stale.unlink(missing_ok=True)
            else:
                shutil.rmtree(stale, ignore_errors=True)
