"""The indicators a narrative names: ``{{< var id >}}``, ``{{< var words.id >}}``,
``{{< var change.id >}}``. Standard library only: a rebuild after a narrative edit asks it
before deciding whether the data must be loaded again."""

from __future__ import annotations

import re
from pathlib import Path

VAR = re.compile(r"\{\{<\s*var\s+(?:words\.|change\.)?([a-z_]+(?:\.[a-z_]+)+)\s*>\}\}")


def named_ids(sections: Path) -> set[str]:
    """Every indicator id named in the ``.qmd`` files of ``sections``."""
    return {
        m[1]
        for path in sorted(sections.glob("*.qmd"))
        for m in VAR.finditer(path.read_text(encoding="utf-8"))
    }
