"""What changed between two recorded builds: indicators, condition verdicts, paragraphs.

A paragraph whose only differences are numbers is not listed as a text change: the indicators
that changed already say it. What is left is what an author wrote differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from impactreport.analysis import formatting
from impactreport.publishing.records import Record

WORD = re.compile(r"\S+")
NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class IndicatorChange:
    id: str
    old: str | None  # None: not in the earlier build
    new: str | None  # None: no longer in the current build


@dataclass(frozen=True)
class TextChange:
    lang: str
    old: str | None  # None: a new paragraph
    new: str | None  # None: a removed paragraph

    def words(self) -> list[tuple[str, str]]:
        """The paragraph as (kind, text) pieces: ``same``, ``removed`` or ``added``."""
        old, new = WORD.findall(self.old or ""), WORD.findall(self.new or "")
        pieces = []
        for tag, a, b, c, d in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag == "equal":
                pieces.append(("same", " ".join(old[a:b])))
                continue
            if b > a:
                pieces.append(("removed", " ".join(old[a:b])))
            if d > c:
                pieces.append(("added", " ".join(new[c:d])))
        return pieces


@dataclass
class Comparison:
    current: Record
    earlier: Record
    indicators: list[IndicatorChange] = field(default_factory=list)
    conditions: list[tuple[str, bool | None, bool | None]] = field(default_factory=list)
    text: list[TextChange] = field(default_factory=list)
    figures_only: int = 0  # paragraphs that differ only in numbers

    @property
    def empty(self) -> bool:
        return not (self.indicators or self.conditions or self.text)


def shown(entry: dict | None) -> str | None:
    if entry is None:
        return None
    value = entry["value"]
    number = f"{int(value)}" if float(value).is_integer() else formatting.plain(value)
    qualifier = f"{entry['qualifier']} " if entry.get("qualifier") else ""
    return f"{qualifier}{number} {entry['unit']}"


def compare(current: Record, earlier: Record) -> Comparison:
    result = Comparison(current, earlier)
    for key in sorted(set(current.indicators) | set(earlier.indicators)):
        old, new = shown(earlier.indicators.get(key)), shown(current.indicators.get(key))
        if old != new:
            result.indicators.append(IndicatorChange(key, old, new))
    for key in sorted(set(current.conditions) | set(earlier.conditions), key=int):
        old, new = earlier.conditions.get(key), current.conditions.get(key)
        if old != new:
            result.conditions.append((key, old, new))
    for lang in [x for x in current.editions if x in earlier.editions]:
        for change in paragraph_changes(lang, earlier.editions[lang], current.editions[lang]):
            if change.old and change.new and only_numbers(change):
                result.figures_only += 1
            else:
                result.text.append(change)
    return result


def paragraph_changes(lang: str, old: list[str], new: list[str]) -> list[TextChange]:
    changes = []
    for tag, a, b, c, d in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = min(b - a, d - c) if tag == "replace" else 0
        changes.extend(TextChange(lang, old[a + i], new[c + i]) for i in range(pairs))
        changes.extend(TextChange(lang, text, None) for text in old[a + pairs : b])
        changes.extend(TextChange(lang, None, text) for text in new[c + pairs : d])
    return changes


def only_numbers(change: TextChange) -> bool:
    differing = [text for kind, text in change.words() if kind != "same"]
    return all(NUMBER.search(word) for text in differing for word in text.split())
