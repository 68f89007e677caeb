"""The share register and the general assemblies' attendance lists: tables ``init`` declares for
every year, checked by the door, and the figures a cooperative computes from them (the fictitious
Zonnedak: members at year end, joined, left; condition 7's vote share checked against its lists)."""

from __future__ import annotations

import csv
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import support.zonnedak as zonnedak_project
from impactreport.analysis import register


def frame(text: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = [line.split(",") for line in text.strip().splitlines()]
    table = pd.DataFrame(rows[1:], columns=rows[0]).replace("", None)
    for column in dates:
        table[column] = pd.to_datetime(table[column])
    return table


REGISTER = frame(
    """
shareholder_id,joined,left
A,2019-03-01,
B,2024-02-10,
C,2020-01-01,2024-06-30
D,2024-05-01,2024-12-31
E,2025-01-02,
""",
    ("joined", "left"),
)


def test_members_joined_and_left_count_the_register_as_written() -> None:
    # on 31 December: A and B (C left in June, D left that day, E joined in 2025)
    assert register.members_on(REGISTER, date(2024, 12, 31)) == 2
    assert register.members_on(REGISTER, date(2024, 5, 1)) == 4  # A, B, C and D
    assert register.joined_in(REGISTER, 2024) == 2  # B, D
    assert register.left_in(REGISTER, 2024) == 2  # C, D


def test_the_largest_vote_share_is_per_assembly_own_and_proxy_votes() -> None:
    attendance = frame(
        """
assembly,shareholder_id,cast_by
2024-05-11,A,A
2024-05-11,B,A
2024-05-11,C,C
2024-05-11,D,D
2024-11-20,A,A
2024-11-20,B,B
"""
    ).assign(votes=[1, 1, 1, 1, 3, 1])
    shares = register.vote_shares(attendance).set_index("assembly")
    assert shares.loc["2024-05-11", "represented"] == 4 and shares.loc["2024-05-11", "largest"] == 2
    assert shares.loc["2024-05-11", "percent"] == 50.0  # A cast own and B's vote: 2 of 4
    assert shares.loc["2024-11-20", "percent"] == 75.0  # A's 3 votes of 4
    assert register.largest_vote_share(attendance) == 75.0


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return zonnedak_project.run(args, cwd, columns=300)


@pytest.fixture
def zonnedak(tmp_path: Path) -> Path:
    """A project made by ``init``, with the fictitious cooperative's files over it."""
    root = zonnedak_project.init(tmp_path)
    zonnedak_project.fill_in(root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "file, old, new, row, column, expected",
    [
        (
            "register.csv",
            "Z0002,natural,2017-12-22,,1",
            "Z0002,natural,2017-12-22,,one",
            3,
            "shares",
            "'one' is not a number",
        ),
        (
            "register.csv",
            "Z0002,natural",
            "Z0002,company",
            3,
            "kind",
            "expected one of natural, legal",
        ),
        (
            "attendance.csv",
            "2024-05-11,Z0002,1,Z0007",
            "2024-05-11,Z0002,1,Z9999",
            3,
            "cast_by",
            "'Z9999' is unknown: expected a shareholder_id listed in register",
        ),
        (
            "attendance.csv",
            "2024-05-11,Z0002,1,Z0007",
            "2024-05-11,Z0001,1,Z0007",
            3,
            "assembly",
            "duplicate (2024-05-11, Z0001)",
        ),
    ],
    ids=["type", "enum", "foreign key to nobody", "one row per shareholder and assembly"],
)
def test_check_refuses_a_broken_register_row_with_file_row_and_column(
    zonnedak: Path, file: str, old: str, new: str, row: int, column: str, expected: str
) -> None:
    # the duplicate's column is the key's last: named as the row's shareholder
    column = "shareholder_id" if column == "assembly" else column
    edit(zonnedak / "data" / "2024" / file, old, new)
    checked = run(["check", "--year", "2024"], zonnedak)
    assert checked.returncode == 2
    assert f"data/2024/{file}, row {row}, column {column!r}" in checked.stderr
    assert expected in checked.stderr and "Traceback" not in checked.stderr


def test_condition_7_declared_against_the_attendance_lists(zonnedak: Path) -> None:
    """The vote share the board's check reads is refused when the lists give another one."""
    facts = zonnedak / "data" / "2024" / "facts.csv"
    edit(facts, "governance.max_vote_share,12.5", "governance.max_vote_share,9.5")
    checked = run(["check", "--year", "2024"], zonnedak)
    assert checked.returncode == 2 and "Traceback" not in checked.stderr
    assert "data/2024/attendance.csv" in checked.stderr
    assert "governance.max_vote_share = 12.5, while facts.csv row" in checked.stderr


def figures(root: Path) -> dict[str, float]:
    path = root / "_build" / "2024" / "compute" / "indicators.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["id"]: float(row["value"]) for row in csv.DictReader(handle)}


@pytest.mark.slow
def test_the_figures_follow_the_register(tmp_path_factory, tmp_path: Path) -> None:
    # computed once per run (the other cooperative's tests build it): computing it again here
    # reuses that, and gives the figures before the edits
    zonnedak = zonnedak_project.computed_copy(tmp_path_factory, tmp_path / "zonnedak")
    computed = run(["compute", "--year", "2024"], zonnedak)
    assert computed.returncode == 0, computed.stderr
    before = figures(zonnedak)
    assert [before[f"shareholders.{k}"] for k in ("year_end", "joined", "left")] == [1238, 57, 21]
    # a shareholder who left on 30 June
    edit(
        zonnedak / "data" / "2024" / "register.csv",
        "Z0001,natural,2021-09-14,,1",
        "Z0001,natural,2021-09-14,2024-06-30,1",
    )
    edit(zonnedak / "data" / "2024" / "attendance.csv", "2024-05-11,Z0001,1,Z0007\n", "")
    edit(
        zonnedak / "data" / "2024" / "facts.csv",
        "governance.max_vote_share,12.5",
        "governance.max_vote_share,11.11",
    )
    computed = run(["compute", "--year", "2024"], zonnedak)
    assert computed.returncode == 0, computed.stderr
    after = figures(zonnedak)
    assert [after[f"shareholders.{k}"] for k in ("year_end", "joined", "left")] == [1237, 57, 22]
