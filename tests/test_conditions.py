"""The board's check of the nine conditions: computed from the year's facts, stops the build when
one is not met, unless an explanation is recorded, which the report then shows."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import FIXTURE_YEAR
from impactreport.analysis import conditions
from impactreport.errors import ConditionError, NotebookError
from impactreport.paths import Project
from impactreport.pipeline import build

RULES = pd.DataFrame(
    {
        "condition": [1, 3, 7],
        "evidence": [
            "statutes",
            "governance.dividend_rate <= governance.dividend_cap",
            "governance.max_vote_share <= 10",
        ],
    }
)
DIRECTORS = pd.DataFrame(
    {
        "condition": [6],
        "evidence": ["governance.director_other_pay == 0"],
        "shown": ["governance.director_attendance_fees;governance.director_expense_allowances"],
    }
)


def facts(**values: float) -> pd.DataFrame:
    base = {
        "governance.dividend_rate": 0.0,
        "governance.dividend_cap": 6.0,
        "governance.max_vote_share": 0.4,
    }
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return pd.DataFrame({"id": list(base), "value": list(base.values())})


def test_rules_are_evaluated_from_the_facts() -> None:
    results = conditions.evaluate(RULES, facts(), {})
    assert [(r.condition, r.met) for r in results] == [(1, True), (3, True), (7, True)]
    assert (results[1].left_value, results[1].right_value) == (0.0, 6.0)
    results = conditions.evaluate(RULES, facts(governance__dividend_rate=6.5), {})
    assert [r.met for r in results] == [True, False, True]


def test_a_condition_not_met_stops_with_a_clear_message() -> None:
    results = conditions.evaluate(RULES, facts(governance__max_vote_share=12.5), {})
    with pytest.raises(ConditionError) as caught:
        conditions.check(results, 2031)
    message = str(caught.value)
    assert "accreditation condition 7 is not met in 2031" in message
    assert "governance.max_vote_share = 12.5" in message
    assert "data/2031/explanations.csv" in message


def test_an_explanation_lets_the_build_go_on() -> None:
    results = conditions.evaluate(
        RULES, facts(governance__max_vote_share=12.5), {7: "Uitzonderlijke vergadering."}
    )
    conditions.check(results, 2031)
    assert results[2].explanation == "Uitzonderlijke vergadering."


def test_a_rule_needs_all_its_facts() -> None:
    with pytest.raises(ConditionError, match="no fact 'governance.dividend_cap'"):
        conditions.evaluate(RULES, facts().iloc[[0, 2]], {})


def test_a_year_without_the_figures_rests_on_the_statutes() -> None:
    results = conditions.evaluate(RULES, facts().iloc[[2]], {})
    assert (results[1].evidence, results[1].met, results[1].left_value) == ("statutes", True, None)


def test_attendance_fees_are_shown_and_do_not_fail_condition_6() -> None:
    declared = pd.DataFrame(
        {
            "id": ["governance.director_other_pay", "governance.director_attendance_fees"],
            "value": [0.0, 1250.0],
        }
    )
    (result,) = conditions.evaluate(DIRECTORS, declared, {})
    conditions.check([result], 2031)
    assert result.met
    assert conditions.shown_values(result.shown) == {"governance.director_attendance_fees": 1250.0}


def test_a_profit_share_for_directors_fails_condition_6() -> None:
    declared = pd.DataFrame(
        {
            "id": ["governance.director_other_pay", "governance.director_attendance_fees"],
            "value": [4000.0, 1250.0],
        }
    )
    (result,) = conditions.evaluate(DIRECTORS, declared, {})
    assert not result.met
    with pytest.raises(ConditionError, match="accreditation condition 6 is not met in 2031"):
        conditions.check([result], 2031)


GOVERNANCE = """governance.dividend_rate,{rate},percent,,document,Annual accounts
governance.dividend_cap,6,percent,,document,Royal decree of 8 January 1962
governance.director_other_pay,{other},EUR,,document,Annual accounts: remuneration of directors
governance.director_attendance_fees,{fees},EUR,,document,Minutes of the general assembly
"""


def declare_governance(project: Project, rate: float = 0, other: float = 0, fees: float = 0):
    path = project.year_data(FIXTURE_YEAR) / "facts.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(GOVERNANCE.format(rate=rate, other=other, fees=fees))


def spoil_dividend(project: Project) -> None:
    declare_governance(project, rate=7.5)


@pytest.mark.slow
def test_a_failing_condition_fails_the_build(mini_project: Project) -> None:
    spoil_dividend(mini_project)
    with pytest.raises(NotebookError, match="accreditation condition 3 is not met in 2031"):
        build.build(mini_project, FIXTURE_YEAR)
    assert not (mini_project.output / str(FIXTURE_YEAR)).exists()


@pytest.mark.slow
def test_the_explanation_is_shown_in_both_editions(mini_project: Project) -> None:
    spoil_dividend(mini_project)
    (mini_project.year_data(FIXTURE_YEAR) / "explanations.csv").write_text(
        'condition,explanation\n3,"Eenmalige uitkering na de verkoop van een gebouw, goedgekeurd door de AV."\n',
        encoding="utf-8",
    )
    build.build(mini_project, FIXTURE_YEAR)
    for lang, name in (("nl", "report"), ("fr", "rapport")):
        html = (mini_project.output / str(FIXTURE_YEAR) / lang / f"{name}.html").read_text(
            encoding="utf-8"
        )
        assert "Eenmalige uitkering na de verkoop van een gebouw" in html
    html = (mini_project.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text(
        encoding="utf-8"
    )
    assert "niet voldaan" in html and "7,5" in html


@pytest.mark.slow
def test_attendance_fees_are_shown_in_the_table(mini_project: Project) -> None:
    declare_governance(mini_project, fees=1250)
    build.build(mini_project, FIXTURE_YEAR)
    html = (mini_project.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text(
        encoding="utf-8"
    )
    assert "geen andere bezoldiging van de bestuurders; presentiegeld 1.250" in html
    assert "niet voldaan" not in html


@pytest.mark.slow
def test_a_profit_share_for_directors_stops_the_build(mini_project: Project) -> None:
    declare_governance(mini_project, other=4000, fees=1250)
    with pytest.raises(NotebookError, match="accreditation condition 6 is not met in 2031"):
        build.build(mini_project, FIXTURE_YEAR)
    assert not (mini_project.output / str(FIXTURE_YEAR)).exists()
