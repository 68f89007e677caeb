"""``check`` validates a year's inputs once, with the data door, as the build will; only inputs
the door refuses are read again, file by file, to list every problem."""

from __future__ import annotations

import pytest

from conftest import FIXTURE_YEAR
from impactreport.commands import yearcheck
from impactreport.errors import DataError
from impactreport.paths import Project


@pytest.fixture
def collected(monkeypatch) -> list[int]:
    """The years whose problems were collected file by file."""
    calls: list[int] = []
    collect = yearcheck.collect
    monkeypatch.setattr(yearcheck, "collect", lambda p, y: calls.append(y) or collect(p, y))
    return calls


def test_valid_inputs_are_validated_once_by_the_door(mini_project: Project, collected) -> None:
    result = yearcheck.admit(mini_project, FIXTURE_YEAR)
    assert result.problems == [] and collected == []
    inputs = result.inputs()
    assert inputs.year == FIXTURE_YEAR
    assert {"persons", "contracts", "pay", "facts", "publications"} <= set(inputs.files)


def test_refused_inputs_are_listed_every_one(mini_project: Project, collected) -> None:
    folder = mini_project.year_data(FIXTURE_YEAR)
    persons, pay = folder / "persons.csv", folder / "pay.csv"
    persons.write_text(persons.read_text(encoding="utf-8").replace("P2,M", "P2,Q"), "utf-8")
    pay.write_text(pay.read_text(encoding="utf-8") + "P9,not a month,,1,0\n", "utf-8")
    result = yearcheck.admit(mini_project, FIXTURE_YEAR)
    assert collected == [FIXTURE_YEAR]
    assert {p.file.name for p in result.problems} >= {"persons.csv", "pay.csv"}
    with pytest.raises(DataError) as refused:
        result.inputs()
    assert str(refused.value) in [p.message for p in result.problems]  # the door's first one
