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
            "governance.votes_per_shareholder <= 1",
        ],
    }
)


def facts(**values: float) -> pd.DataFrame:
    base = {
        "governance.dividend_rate": 0.0,
        "governance.dividend_cap": 6.0,
        "governance.votes_per_shareholder": 1.0,
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
    results = conditions.evaluate(RULES, facts(governance__votes_per_shareholder=2), {})
    with pytest.raises(ConditionError) as caught:
        conditions.check(results, 2031)
    message = str(caught.value)
    assert "condition 7 of article 8:5 WVV is not met in 2031" in message
    assert "governance.votes_per_shareholder = 2" in message
    assert "data/2031/explanations.csv" in message


def test_an_explanation_lets_the_build_go_on() -> None:
    results = conditions.evaluate(
        RULES, facts(governance__votes_per_shareholder=2), {7: "Uitzonderlijke vergadering."}
    )
    conditions.check(results, 2031)
    assert results[2].explanation == "Uitzonderlijke vergadering."


def test_a_rule_needs_its_facts() -> None:
    with pytest.raises(ConditionError, match="no fact 'governance.dividend_cap'"):
        conditions.evaluate(RULES, facts().iloc[[0, 2]], {})


def spoil_dividend(project: Project) -> None:
    path = project.year_data(FIXTURE_YEAR) / "facts.csv"
    text = path.read_text(encoding="utf-8").replace(
        "governance.dividend_rate,0,", "governance.dividend_rate,7.5,"
    )
    path.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_a_failing_condition_fails_the_build(mini_project: Project) -> None:
    spoil_dividend(mini_project)
    with pytest.raises(NotebookError, match="condition 3 of article 8:5 WVV is not met in 2031"):
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
