"""Cache entries for notebook runs and renders, keyed on everything that can change their output.

An entry is a folder holding ``entry.json`` (the key and the digests of the files produced) and
``outputs/``. An entry that cannot be read, whose outputs do not match their digests, or whose key
differs is ignored, never trusted. Only the standard library here: the no-change path stays fast.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from impactreport import folders
from impactreport.digests import text_digest, tree_digests

ENTRY = "entry.json"
OUTPUTS = "outputs"


def load(folder: Path) -> dict | None:
    """The entry in ``folder`` if it is whole; None for a missing, damaged or foreign one."""
    try:
        entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
        outputs = entry["outputs"]
        key = entry["key"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(key, dict) or not isinstance(outputs, dict):
        return None
    if tree_digests(folder / OUTPUTS) != outputs:
        return None
    return entry


def store(folder: Path, key: dict, outputs: Path, extra: dict | None = None) -> None:
    """Write an entry atomically: a reader sees the old entry or the new one."""
    fresh = folders.beside(folder)
    shutil.copytree(outputs, fresh / OUTPUTS)
    entry = {"key": key, "outputs": tree_digests(fresh / OUTPUTS), **(extra or {})}
    (fresh / ENTRY).write_text(json.dumps(entry, indent=1, sort_keys=True), encoding="utf-8")
    folders.swap(fresh, folder)


class Shelf:
    """Several entries side by side in one folder, one per key, the most recently used kept:
    undoing an edit finds the entry made before it."""

    def __init__(self, folder: Path, kept: int) -> None:
        self.folder = folder
        self.kept = kept
        if (folder / ENTRY).exists():  # one entry in the folder itself: an older layout
            folders.remove(folder)
            folders.tidy(folder)

    def place(self, key: dict) -> Path:
        return self.folder / text_digest(key)[:16]

    def find(self, key: dict) -> dict | None:
        """The entry of ``key``, marked as just used."""
        place = self.place(key)
        entry = load(place)
        if entry is not None and entry["key"] == key:
            os.utime(place / ENTRY)
            return entry
        return None

    def latest(self) -> dict | None:
        """The entry used last, to tell what changed since."""
        entries = self._entries()
        return load(entries[0]) if entries else None

    def store(self, key: dict, outputs: Path) -> None:
        """Store the entry of ``key``; the entries used longest ago beyond ``kept`` go."""
        store(self.place(key), key, outputs)
        kept = {p.name for p in self._entries()[: self.kept]}
        for child in self.folder.iterdir():  # an entry is a link and the hidden folder it names
            if child.name.lstrip(".").split("@", 1)[0] not in kept:
                folders.remove(child)

    def _entries(self) -> list[Path]:
        found = (
            [p for p in self.folder.iterdir() if not p.name.startswith(".")]
            if self.folder.is_dir()
            else []
        )
        found = [p for p in found if (p / ENTRY).is_file()]
        return sorted(found, key=lambda p: (p / ENTRY).stat().st_mtime_ns, reverse=True)


def changed(previous: dict, current: dict) -> list[str]:
    """The components of a key that differ, for telling the analyst why something re-ran."""
    return sorted(k for k in previous.keys() | current.keys() if previous.get(k) != current.get(k))
