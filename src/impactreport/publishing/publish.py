"""Publish an edition atomically: readers see the previous files or the new ones, never a mix.

``_output/<year>/<lang>`` is swapped whole (``folders.swap``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from impactreport import folders


def _copied_to_disk(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())


def publish(files: list[Path], target: Path, *, durable: bool = True) -> list[Path]:
    """Copy ``files`` (and folders) into a new folder and point ``target`` at it; return the
    published paths. ``durable``: each file on disk before the swap (not for the preview's
    page, made again on the next edit)."""
    copy = _copied_to_disk if durable else shutil.copyfile
    fresh = folders.beside(target)
    try:
        for file in files:
            if file.is_dir():  # a linked page's figures and stylesheet
                shutil.copytree(file, fresh / file.name, copy_function=copy)
            else:
                copy(file, fresh / file.name)
        folders.swap(fresh, target)
    except BaseException:  # a full disk, say: the previous publication stays, nothing beside it
        folders.remove(fresh)
        raise
    return [target / file.name for file in files]
