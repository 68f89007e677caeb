"""Publish an edition atomically: readers see the previous files or the new ones, never a mix.

``_output/<year>/<lang>`` is swapped whole (``folders.swap``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from impactreport import folders


def publish(files: list[Path], target: Path) -> list[Path]:
    """Copy ``files`` into a new folder and point ``target`` at it; return the published paths."""
    fresh = folders.beside(target)
    try:
        for file in files:
            shutil.copyfile(file, fresh / file.name)
            with open(fresh / file.name, "rb") as handle:
                os.fsync(handle.fileno())
        folders.swap(fresh, target)
    except BaseException:  # a full disk, say: the previous publication stays, nothing beside it
        folders.remove(fresh)
        raise
    return [target / file.name for file in files]
