"""Compute end to end: the 2024 backtest, a fixture year, and failures that leave the build alone."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from conftest import FIXTURE_YEAR, built_fixture_project
from impactreport.analysis import indicators
from impactreport.errors import DataError, ReconciliationError
from impactreport.inputs import door, reads
from impactreport.paths import Project
from impactreport.pipeline import compute

# Every figure of the published 2024 special report (../shared/source), by indicator id.
PUBLISHED_2024 = {
    "activity.revenue": (198_000_000, "almost"),
    "activity.offices": (8, ""),
    "activity.advisors": (87, ""),
    "activity.info_sessions": (377, ""),
    "activity.new_holders": (5348, ""),
    "support.new_event_formats": (2, ""),
    "support.workshop_day_participants": (70, "about"),
    "support.workshop_day_workshops": (9, ""),
    "loans.projects_year": (70, ""),
    "loans.amount_year": (236_510, ""),
    "loans.projects_total": (253, ""),
    "loans.amount_total": (1_001_063, ""),
    "training.learning_revenue": (6_800_000, "about"),
    "workforce.persons": (20_892, ""),
    "workforce.contracts": (217_458, ""),
    "workforce.days": (639_505, ""),
    "workforce.hours": (4_512_675, ""),
    "workforce.fte": (2284, ""),
    "wages.tension_overall": (5.98, ""),
    "wages.tension_support": (3.98, ""),
    "open_ended.members": (33, ""),
    "open_ended.women": (14, ""),
    "open_ended.men": (19, ""),
    "open_ended.full_time": (22, ""),
    "open_ended.part_time": (11, ""),
    "training.support_sessions": (72, ""),
    "training.support_hours": (1946.5, ""),
    "training.member_days": (84, ""),
    "training.member_participants": (564, ""),
    "legal.requests": (674, ""),
    "gembloux.hires": (5, ""),
    "advocacy.member_voices": (20_000, "about"),
    "advocacy.years_active": (25, ""),
    "publications.count": (13, ""),
    "conferences.count": (9, ""),
    "cineclub.screenings": (10, ""),
    "site.area": (4800, ""),
    "participation.smart_in_progress_seasons": (5, ""),
    "smartlabs.groups": (10, "about"),
    "smartlabs.period_years": (2, ""),
    "smartlabs.interested": (300, "more_than"),
    "smartlabs.regular_participants": (200, ""),
    "smartlabs.meeting_hours": (150, "more_than"),
    "working_conditions.topics": (3, ""),
    "working_conditions.action_points": (35, ""),
    "working_conditions.action_points_debated": (8, ""),
    "ethics.members_support": (3, ""),
    "ethics.members_external": (2, ""),
    "ethics.members_users": (6, ""),
    "ethics.new_cases": (7, ""),
    "ethics.cases_treated": (3, ""),
    "ethics.meetings": (8, ""),
    "ethics.new_members": (2, ""),
    "ethics.training_days": (2, ""),
    "diversity.actions": (10, "about"),
    "prevention.action_plan_years": (5, ""),
    "pulso.members_helped": (7, ""),
    "payments.reminders": (34_945, ""),
}


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(folder)).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


@pytest.mark.slow
def test_2024_reproduces_every_published_figure(computed_2024: Project) -> None:
    table = indicators.read(computed_2024.year_build(2024) / "compute" / "indicators.csv")
    found = {row.id: (row.value, row.qualifier) for row in table.itertuples()}
    # beyond the figures of the text, only what the charts draw and say in their alt texts
    # (2024 declares no governance figure: its conditions rest on the statutes)
    drawn = {
        name
        for meta in (computed_2024.year_build(2024) / "compute" / "figures").glob("*/fig-*.json")
        for name in json.loads(meta.read_text(encoding="utf-8"))["drawn_from"]
    }
    extra = set(found) - set(PUBLISHED_2024)
    assert extra and extra <= drawn, sorted(extra - drawn)
    assert set(PUBLISHED_2024) <= set(found)
    for indicator_id, (value, qualifier) in PUBLISHED_2024.items():
        assert found[indicator_id] == (pytest.approx(value), qualifier), indicator_id
    computed = table[table["source"].str.startswith("records:")]
    # payroll figures computed from records alone: the charts' 8 (the wages, the contracts' spread)
    assert len(computed) == 8
    # every payroll figure the 2024 report gives is declared too (transcribed from it): it rests
    # on the declared fact, and says the synthetic records confirmed it
    reconciled = table[table["origin"].str.contains("; reconciled-synthetic: ")]
    assert sorted(reconciled["id"]) == [
        "open_ended.full_time",
        "open_ended.members",
        "open_ended.men",
        "open_ended.part_time",
        "open_ended.women",
        "wages.tension_overall",
        "wages.tension_support",
        "workforce.contracts",
        "workforce.days",
        "workforce.fte",
        "workforce.hours",
        "workforce.persons",
    ]
    assert set(reconciled["synthetic"]) == {""}
    assert reconciled["source"].str.startswith("document: Bijzonder verslag 2024, ").all()


@pytest.mark.slow
def test_every_figure_has_caption_and_alt(computed_2024: Project) -> None:
    figures = sorted((computed_2024.year_build(2024) / "compute" / "figures" / "nl").glob("*.json"))
    assert [p.stem for p in figures] == [
        "fig-loans",
        "fig-open-ended",
        "fig-wages-tension",
        "fig-workforce-contracts",
    ]
    for path in figures:
        meta = json.loads(path.read_text(encoding="utf-8"))
        assert meta["caption"].strip() and len(meta["alt"]) > 60
        assert path.with_suffix(".svg").stat().st_size > 1000
        assert path.with_suffix(".png").stat().st_size > 1000


@pytest.mark.slow
def test_executed_notebooks_record_their_parameters(computed_2024: Project) -> None:
    executed = sorted((computed_2024.year_build(2024) / "compute" / "notebooks").glob("*.ipynb"))
    assert [p.name for p in executed] == [
        "01-workforce-and-wages.ipynb",
        "03-loans-and-financing.ipynb",
        "06-trends.ipynb",
    ]
    for path in executed:
        parameters = nbformat.read(path, as_version=4).metadata["papermill"]["parameters"]
        assert parameters["year"] == 2024


@pytest.mark.slow
def test_a_fixture_year_computes_without_code_change(tmp_path_factory) -> None:
    project = built_fixture_project(tmp_path_factory, "computed")  # the fixture year, built
    table = indicators.read(project.year_build(FIXTURE_YEAR) / "compute" / "indicators.csv")
    table = table.set_index("id")["value"]
    # hand-computed from tests/support/projects.py
    assert table["workforce.persons"] == 4
    assert table["workforce.contracts"] == 5
    assert table["workforce.days"] == 553
    assert table["workforce.hours"] == 3972.5
    assert table["workforce.fte"] == 2
    assert table["wages.tension_overall"] == 2.1
    assert table["wages.tension_support"] == 1.0
    assert (table["open_ended.members"], table["open_ended.men"], table["open_ended.women"]) == (
        1,
        1,
        0,
    )


@pytest.mark.slow
def test_bad_data_leaves_the_previous_build_untouched(tmp_path_factory) -> None:
    mini_project = built_fixture_project(tmp_path_factory, "bad-data")
    build = mini_project.year_build(FIXTURE_YEAR) / "compute"
    before = digest(build)
    facts = mini_project.year_data(FIXTURE_YEAR) / "facts.csv"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("activity.offices,8,", "activity.offices,-8,"),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="facts.csv, row 3, column 'value'"):
        compute.compute(mini_project, FIXTURE_YEAR)
    assert digest(build) == before
    live = build.resolve()  # the build is a link to a hidden folder beside it
    assert [p for p in build.parent.glob(".compute@*") if p.resolve() != live] == []


@pytest.mark.slow
def test_a_total_that_does_not_reconcile_is_refused_before_any_kernel(
    mini_project: Project,
) -> None:
    """A declared total against the records is a rule of the data package (contracts: rules):
    bad data about a file and its row, not a notebook's failure."""
    facts = mini_project.year_data(FIXTURE_YEAR) / "facts.csv"
    rows = facts.read_text(encoding="utf-8").count("\n")
    with facts.open("a", encoding="utf-8") as handle:
        handle.write("workforce.persons,5,count,,document,Social balance sheet\n")
    with pytest.raises(DataError) as caught:
        compute.compute(mini_project, FIXTURE_YEAR)
    message = str(caught.value)
    assert "contracts.csv" in message and f"facts.csv row {rows + 1} declares 5" in message
    assert "workforce.persons = 4" in message
    assert not (mini_project.year_build(FIXTURE_YEAR) / "failed").exists()
    assert not (mini_project.year_build(FIXTURE_YEAR) / "compute").exists()


def test_reconcile_names_both_values_and_sources() -> None:
    import pandas as pd

    computed = [
        indicators.Indicator(
            "workforce.persons", 2024, 20892, "count", "", "records: contracts.csv"
        )
    ]
    facts = pd.DataFrame(
        [
            {
                "id": "workforce.persons",
                "value": 20893.0,
                "source_type": "document",
                "source": "Social balance",
            }
        ]
    )
    with pytest.raises(ReconciliationError) as caught:
        indicators.reconcile(computed, facts)
    message = str(caught.value)
    assert "computed 20892 from records: contracts.csv" in message
    assert "declared 20893 in facts (document: Social balance)" in message
    indicators.reconcile(computed, facts.assign(value=20892.0))


def test_a_notebook_using_only_facts_does_not_depend_on_the_payroll(
    mini_project: Project, monkeypatch
) -> None:
    """The door's copy is read table by table, when used: a payroll change reruns only the
    notebooks that read the payroll."""
    door.admit(mini_project, FIXTURE_YEAR)
    noted: list[Path] = []
    monkeypatch.setattr(reads, "record", lambda path: noted.append(Path(path)))
    inputs = door.read(mini_project, FIXTURE_YEAR)
    assert not inputs.facts.empty
    read = {path.name for path in noted}
    assert "facts.parquet" in read
    assert not read & {"persons.parquet", "contracts.parquet", "pay.parquet", "manifest.json"}
    assert len(inputs.table("contracts")) == 5  # read when asked for


def test_a_theme_s_facts_are_read_alone_and_match_the_validated_ones(
    mini_project: Project, monkeypatch
) -> None:
    """A notebook that asks for one theme's facts reads only that theme's file (so another
    fact's change reruns it not), and gets the rows validation gave for that theme."""
    validated = door.validate(mini_project, FIXTURE_YEAR)
    door.admit(mini_project, FIXTURE_YEAR)
    noted: list[Path] = []
    monkeypatch.setattr(reads, "record", lambda path: noted.append(Path(path)))
    copy = door.read(mini_project, FIXTURE_YEAR)
    loans = copy.facts_of("loans")
    assert {path.name for path in noted} == {"facts.loans.parquet"}
    assert list(loans["id"]) == [i for i in validated.facts["id"] if i.startswith("loans.")]
    expected = validated.facts_of("loans").drop(columns=list(door.CHECKS), errors="ignore")
    pd.testing.assert_frame_equal(loans, expected)
    assert copy.facts_of("governance").empty  # a theme the year declares nothing of
    with pytest.raises(ValueError, match="no theme 'loan'"):
        validated.facts_of("loan")


def test_passed_facts_are_the_declared_facts_no_notebook_computes() -> None:
    import pandas as pd

    catalogue = pd.DataFrame(
        {
            "id": ["a.fact", "b.fact", "c.optional", "d.optional", "e.records", "f.derived"],
            "origin": ["fact", "fact", "optional-fact", "optional-fact", "records", "derived"],
        }
    )
    facts = pd.DataFrame(
        {
            "id": ["a.fact", "b.fact", "c.optional", "e.records"],
            "value": [1.0, 2.0, 3.0, 4.0],
            "unit": "count",
            "qualifier": "",
            "source_type": "document",
            "source": "Register",
        }
    )
    # b.fact is computed by a notebook; d.optional is not declared; e.records is no fact
    rows = indicators.passed_facts(catalogue, facts, 2031, computed={"b.fact", "e.records"})
    assert [(r.id, r.value, r.source) for r in rows] == [
        ("a.fact", 1.0, "document: Register"),
        ("c.optional", 3.0, "document: Register"),
    ]
