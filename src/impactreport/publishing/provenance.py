"""What a publication was built from, stated in it so that a reader can tell two editions apart.

Derived from what the cache keys cover, never from the state of the working tree: the files the
notebooks read (listed by the compute step with their digests) and the code that rendered it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from impactreport import __version__

INPUTS = "inputs.json"  # written by the compute step beside the indicators


def inputs_digest(compute_dir: Path) -> str:
    """One digest over the files the notebooks read: their names and their digests."""
    return hashlib.sha256((compute_dir / INPUTS).read_bytes()).hexdigest()


def describe(compute_dir: Path, year: int, code: str) -> dict[str, str]:
    return {
        "year": str(year),
        "digest": inputs_digest(compute_dir)[:16],
        "version": __version__,
        "code": code[:10],
    }
