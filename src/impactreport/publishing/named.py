"""The indicators a narrative names: ``{{< var id >}}``, ``{{< var words.id >}}``,
``{{< var change.id >}}``, ``{{< var synthetic.id >}}``. Standard library only: a rebuild after a narrative edit asks it
before deciding whether the data must be loaded again."""

from __future__ import annotations

import re
from pathlib import Path

VAR = re.compile(r"\{\{<\s*var\s+(?:words\.|change\.|synthetic\.)?([a-z_]+(?:\.[a-z_]+)+)\s*>\}\}")
# a sentence ends at . ! ? before a space and a capital, or at a blank line
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý@])|\n\s*\n")
MARK = re.compile(r"\{\{<\s*var\s+synthetic\.([a-z_]+(?:\.[a-z_]+)+)\s*>\}\}")


def named_ids(sections: Path) -> set[str]:
    """Every indicator id named in the ``.qmd`` files of ``sections``."""
    return set(named_in_order(sections))


def named_in_order(sections: Path) -> list[str]:
    """The indicator ids named in the ``.qmd`` files of ``sections``, in the order a reader
    meets them (the files in their order, each id once)."""
    found = (
        m[1]
        for path in sorted(sections.glob("*.qmd"))
        for m in VAR.finditer(path.read_text(encoding="utf-8"))
    )
    return list(dict.fromkeys(found))


def marked_ids(sections: Path) -> set[str]:
    """The indicators whose synthetic mark the narrative places itself: every number of a
    sentence that comes before a ``{{< var synthetic.id >}}`` (placed after the phrase, or at the
    end of the sentence, the numbers belong to)."""
    found = set()
    for path in sorted(sections.glob("*.qmd")):
        for sentence in SENTENCE.split(path.read_text(encoding="utf-8")):
            marks = list(MARK.finditer(sentence))
            if marks:
                found |= {m[1] for m in VAR.finditer(sentence[: marks[-1].start()])}
    return found
