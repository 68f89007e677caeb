"""Year after year: a report compares with the year before when its data exists, computed, and
shows nothing of the kind when it does not (the 2024 report invents no history)."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURE_YEAR, write_year
from impactreport.analysis import history
from impactreport.inputs.load import load_reference
from impactreport.paths import Project
from impactreport.pipeline import build

PREVIOUS = FIXTURE_YEAR - 1


def add_previous_year(project: Project) -> None:
    """The year before: one contract fewer (3 persons instead of 4), fewer new holders."""
    folder = write_year(project.data, PREVIOUS)
    contracts = folder / "contracts.csv"
    contracts.write_text(
        "".join(
            line
            for line in contracts.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("C5,")
        ),
        encoding="utf-8",
    )
    facts = folder / "facts.csv"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(
            "activity.new_holders,5348,", "activity.new_holders,5000,"
        ),
        encoding="utf-8",
    )


def report(project: Project, year: int, lang: str = "nl") -> str:
    name = "report" if lang == "nl" else "rapport"
    return (project.output / str(year) / lang / f"{name}.html").read_text(encoding="utf-8")


def test_changes_are_computed_against_the_year_before(mini_project: Project) -> None:
    add_previous_year(mini_project)
    past = history.history(mini_project, load_reference(mini_project), FIXTURE_YEAR)
    assert sorted(past["year"].unique()) == [PREVIOUS, FIXTURE_YEAR]
    changes = history.changes(past, FIXTURE_YEAR).set_index("id")["change"]
    assert changes["workforce.persons"] == pytest.approx(1 / 3)  # 4 against 3
    assert changes["activity.new_holders"] == pytest.approx(348 / 5000)
    assert history.changes(past, PREVIOUS).empty


@pytest.mark.slow
def test_a_year_with_a_previous_year_compares_and_shows_trends(mini_project: Project) -> None:
    add_previous_year(mini_project)
    build.build(mini_project, FIXTURE_YEAR)
    dutch, french = report(mini_project, FIXTURE_YEAR), report(mini_project, FIXTURE_YEAR, "fr")
    plain = dutch.replace("\u00a0", " ")
    assert f"4 personen (+33,3 % tegenover {PREVIOUS})" in plain
    assert f"(+7,0 % tegenover {PREVIOUS})" in plain
    assert f"(+33,3 % par rapport à {PREVIOUS})" in french.replace("\u00a0", " ").replace(
        "\u202f", " "
    )
    assert 'id="fig-trends"' in dutch and "Kerncijfers door de jaren heen" in dutch
    alt = re.search(r'<img[^>]+alt="([^"]*Zes staafdiagrammen[^"]*)"', dutch).group(1)
    assert f"{PREVIOUS}: 3" in alt and f"{FIXTURE_YEAR}: 4" in alt


@pytest.mark.slow
def test_a_year_without_a_previous_year_renders_without_comparisons(mini_project: Project) -> None:
    add_previous_year(mini_project)
    build.build(mini_project, PREVIOUS)
    dutch = report(mini_project, PREVIOUS)
    assert "tegenover" not in dutch and "fig-trends" not in dutch
    assert "Kerncijfers door de jaren heen" not in dutch


@pytest.mark.slow
def test_the_2024_report_shows_no_comparison(built_2024: Project) -> None:
    for lang, word in (("nl", "tegenover"), ("fr", "par rapport à 20")):
        html = report(built_2024, 2024, lang)
        assert word not in html and "fig-trends" not in html
