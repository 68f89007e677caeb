"""The condition gate: the conditions evaluated from the facts the door admitted, the table as
checked for the results, and a condition not met and unexplained stops the build."""

from __future__ import annotations

import pytest

from conftest import FIXTURE_YEAR
from impactreport.errors import ConditionError
from impactreport.inputs import door
from impactreport.paths import Project
from impactreport.pipeline.condition_gate import check_conditions

DIVIDENDS = """governance.dividend_rate,{rate},percent,,document,Annual accounts
governance.dividend_cap,6,percent,,document,Royal decree of 8 January 1962
"""


def declare_dividend(project: Project, rate: float) -> None:
    with (project.year_data(FIXTURE_YEAR) / "facts.csv").open("a", encoding="utf-8") as handle:
        handle.write(DIVIDENDS.format(rate=rate))


def test_every_condition_is_checked_from_the_admitted_facts(mini_project: Project) -> None:
    declare_dividend(mini_project, 4.5)
    door.admit(mini_project, FIXTURE_YEAR)
    table = check_conditions(mini_project, FIXTURE_YEAR).set_index("condition")
    assert list(table.index) == list(range(1, 10))
    assert table.at[3, "met"] is True  # the declared dividend, under its cap
    # a condition whose figures the year does not declare is left to the statutes: no verdict
    assert set(table["met"]) <= {True, None}


def test_a_condition_not_met_and_unexplained_stops_the_build(mini_project: Project) -> None:
    declare_dividend(mini_project, 7.5)
    door.admit(mini_project, FIXTURE_YEAR)
    with pytest.raises(ConditionError, match="accreditation condition 3 is not met in 2031"):
        check_conditions(mini_project, FIXTURE_YEAR)
