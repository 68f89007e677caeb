"""Year after year: a report compares with the year before when that year's indicators exist,
and shows nothing of the kind when they do not (the 2024 report invents no history). An earlier
year is read from its indicators (its build, or a committed table), never from its raw payroll."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import payroll_indicators
import pytest

from conftest import FIXTURE_YEAR, built_fixture_golden, made_once, private_copy, write_year
from impactreport.analysis import history
from impactreport.errors import DataError
from impactreport.inputs import door
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


def both_years_built(tmp_path_factory, name: str) -> Project:
    """The fixture year and the year before, each built in turn: a copy of its own. Made from
    the built fixture year: adding the year before reruns only the trends and the workforce
    notebook."""

    def build_both_years(root: Path) -> None:
        shutil.copytree(
            built_fixture_golden(tmp_path_factory), root, symlinks=True, dirs_exist_ok=True
        )
        project = Project(root)
        add_previous_year(project)
        # its build writes the indicators the history reads; its report is read in Dutch only
        build.build(project, PREVIOUS, ["nl"])
        build.build(project, FIXTURE_YEAR)

    golden = made_once(tmp_path_factory, "both-years", build_both_years)
    return private_copy(tmp_path_factory, golden, name)


@pytest.fixture(scope="module")
def both_years(tmp_path_factory) -> Project:
    return both_years_built(tmp_path_factory, "both-years")


def keep_facts_only(project: Project, year: int) -> None:
    """A past year whose payroll export is private: only its facts stay in the project."""
    for name in ("persons", "contracts", "pay"):
        (project.year_data(year) / f"{name}.csv").unlink()


INDICATORS = """id,year,value,unit,qualifier,source
workforce.persons,{y},3,count,,records: contracts.csv
activity.new_holders,{y},5000,count,,system: CRM
"""


def past(project: Project) -> history.pd.DataFrame:
    inputs = door.validate(project, FIXTURE_YEAR)
    computed = payroll_indicators.indicators(inputs, FIXTURE_YEAR)
    return history.history(load_reference(project), inputs, computed)


def test_changes_are_computed_from_a_committed_indicators_table(mini_project: Project) -> None:
    add_previous_year(mini_project)
    keep_facts_only(mini_project, PREVIOUS)
    (mini_project.year_data(PREVIOUS) / "facts.csv").unlink()
    (mini_project.year_data(PREVIOUS) / "indicators.csv").write_text(
        INDICATORS.format(y=PREVIOUS), encoding="utf-8"
    )
    years = past(mini_project)
    assert sorted(years["year"].unique()) == [PREVIOUS, FIXTURE_YEAR]
    changes = history.changes(years, FIXTURE_YEAR).set_index("id")["change"]
    assert changes["workforce.persons"] == pytest.approx(1 / 3)  # 4 against 3
    assert changes["activity.new_holders"] == pytest.approx(348 / 5000)
    assert history.changes(years, PREVIOUS).empty


def test_an_indicators_table_as_a_build_writes_it_is_read(mini_project: Project) -> None:
    """The build's table carries each figure's lineage beside it; the history reads past it."""
    add_previous_year(mini_project)
    keep_facts_only(mini_project, PREVIOUS)
    (mini_project.year_data(PREVIOUS) / "facts.csv").unlink()
    (mini_project.year_data(PREVIOUS) / "indicators.csv").write_text(
        "id,year,value,unit,qualifier,source,files,origin,verified,synthetic\n"
        f"workforce.persons,{PREVIOUS},3,count,,records: contracts.csv,contracts.csv,"
        '"export: payroll system",,True\n',
        encoding="utf-8",
    )
    years = past(mini_project)
    assert years.loc[years["year"] == PREVIOUS, "value"].tolist() == [3.0]


def test_a_past_year_with_facts_only_compares_its_facts(mini_project: Project) -> None:
    add_previous_year(mini_project)
    keep_facts_only(mini_project, PREVIOUS)
    changes = history.changes(past(mini_project), FIXTURE_YEAR).set_index("id")["change"]
    assert changes["activity.new_holders"] == pytest.approx(348 / 5000)
    assert "workforce.persons" not in changes  # no payroll, no payroll indicators: none invented


def test_a_past_year_with_its_payroll_but_no_indicators_says_what_to_run(
    mini_project: Project,
) -> None:
    add_previous_year(mini_project)
    with pytest.raises(DataError, match=f"impactreport compute --year {PREVIOUS}") as caught:
        past(mini_project)
    assert f"{PREVIOUS}/" in str(caught.value)


def test_a_malformed_past_year_is_bad_data_about_its_file(mini_project: Project) -> None:
    add_previous_year(mini_project)
    keep_facts_only(mini_project, PREVIOUS)
    (mini_project.year_data(PREVIOUS) / "indicators.csv").write_text(
        INDICATORS.format(y=PREVIOUS).replace(",3,count", ",three,count"), encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        past(mini_project)
    message = str(caught.value)
    assert f"{PREVIOUS}/indicators.csv, row 2, column 'value'" in message
    assert "'three' is not a number" in message


def test_a_past_year_table_of_another_year_is_refused(mini_project: Project) -> None:
    add_previous_year(mini_project)
    keep_facts_only(mini_project, PREVIOUS)
    (mini_project.year_data(PREVIOUS) / "indicators.csv").write_text(
        INDICATORS.format(y=PREVIOUS - 1), encoding="utf-8"
    )
    with pytest.raises(DataError, match=f"row 2, column 'year'.*expected {PREVIOUS}"):
        past(mini_project)


def report(project: Project, year: int, lang: str = "nl") -> str:
    name = "report" if lang == "nl" else "rapport"
    return (project.output / str(year) / lang / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_year_with_a_previous_year_compares_and_shows_trends(both_years: Project) -> None:
    dutch, french = report(both_years, FIXTURE_YEAR), report(both_years, FIXTURE_YEAR, "fr")
    # figures sit in spans that carry their origin: compare the text
    plain = re.sub(r"<[^>]+>", "", dutch).replace("\u00a0", " ")
    assert f"4 personen (+33,3 % tegenover {PREVIOUS})" in plain
    assert f"(+7,0 % tegenover {PREVIOUS})" in plain
    assert f"(+33,3 % par rapport à {PREVIOUS})" in french.replace("\u00a0", " ").replace(
        "\u202f", " "
    )
    assert 'id="fig-trends"' in dutch and "Kerncijfers door de jaren heen" in dutch
    alt = re.search(r'<img[^>]+alt="([^"]*Zes staafdiagrammen[^"]*)"', dutch).group(1)
    assert f"{PREVIOUS}: 3" in alt and f"{FIXTURE_YEAR}: 4" in alt


@pytest.mark.slow
def test_a_year_without_a_previous_year_renders_without_comparisons(both_years: Project) -> None:
    dutch = report(both_years, PREVIOUS)  # built before the fixture year was
    assert "tegenover" not in dutch and "fig-trends" not in dutch
    assert "Kerncijfers door de jaren heen" not in dutch


@pytest.mark.slow
def test_the_2024_report_shows_no_comparison(built_2024: Project) -> None:
    for lang, word in (("nl", "tegenover"), ("fr", "par rapport à 20")):
        html = report(built_2024, 2024, lang)
        assert word not in html and "fig-trends" not in html
