"""The narrative types no figure: every number comes from the indicators through a shortcode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
# The explicit exception rule: what may be typed in prose, removed before looking for digits.
ALLOWED = [
    r"\{\{<.*?>\}\}",  # shortcodes: the values themselves
    r"\]\([^)]*\)|https?://\S+",  # link targets and bare addresses
    r"\b(artikels?|articles?|art\.)\s+\d+(:\d+)?((,\s*|\s+(en|et)\s+)\d+(:\d+)?)*",  # statutes, the law
    r"\b8:5\b",
    r"§\s*\d+(er)?|\b\d+°",  # paragraph and point of an article: "§ 1, 3°", "§ 1er"
    rf"\b(\d{{1,2}}\s+)?({MONTHS})((\s+(en|et)\s+({MONTHS}))?\s+\d{{4}})?\b",  # "31 december", "juni 2022"
    r"\b(19|20)\d{2}(-(19|20)\d{2})?\b",  # years and year ranges
    r"\b1\s+op\b|\bde\s+1\s+à\b",  # the lower end of a wage ratio: "1 op 5,98", "de 1 à 5,98"
]
EXCEPTED = re.compile("|".join(f"(?:{p})" for p in ALLOWED), re.IGNORECASE)


def typed_figures(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(r"\d", EXCEPTED.sub("", line))]


def narrative_files() -> list[Path]:
    return sorted(ROOT.glob("sections/*/*.qmd")) + sorted(ROOT.glob("*.qmd"))


@pytest.mark.parametrize("path", narrative_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_figure_is_typed_in_prose(path: Path) -> None:
    assert typed_figures(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "line",
    [
        "Er waren 377 infosessies.",
        "goed voor 4,8 miljoen euro",
        "Smart telt 8 kantoren",
        "24/7 bereikbaar",
    ],
)
def test_the_scan_catches_typed_figures(line: str) -> None:
    assert typed_figures(line) == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Zie artikels 3 en 4 van de statuten en artikel 8:5 WVV.",
        "op 20 juni 2023 en in juni 2022, voor de periode 2023-2026",
        "bedroeg de loonspanning 1 op {{< var wages.tension_overall >}}",
        "la tension salariale était de 1 à {{< var wages.tension_overall >}}",
        "meer info: [kronik](https://kronik.smart.coop/2024/x)",
    ],
)
def test_the_exception_rule_is_short_and_explicit(line: str) -> None:
    assert typed_figures(line) == []
