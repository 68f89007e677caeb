"""The small render fixture project, staged the way the build stages sources."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "render"
TEMPLATES = Path(__file__).parents[1] / "templates"
ALTS = [
    "Staafdiagram van de omzet van Voorbeeld vzw per jaar",
    'Grafiek "leden" \\ #1 <script>alert(1)</script>',
]
NBSP = "\u00a0"


def copy_fixture(folder: Path) -> Path:
    """A copy of the fixture with the project's templates beside it."""
    root = folder / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(TEMPLATES, root / "templates")
    return root
