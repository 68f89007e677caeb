"""Workforce indicators on tiny hand-made frames with hand-computed expectations."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from impactreport.analysis import payroll

NAT = None
COLUMNS = [
    "contract_id",
    "person_id",
    "team",
    "contract_type",
    "regime",
    "start_date",
    "end_date",
    "declared_days",
    "declared_hours",
]
# fmt: off
ROWS = [
    # counted on 31 Dec: F, full-time; also holds a fixed-term day contract (C9)
    ("C1", "P1", "member", "open-ended", "full-time", "2024-01-01", NAT, 220, 1672.0),
    # ended before 31 Dec (not counted) then a new open-ended contract from July (counted: M, full)
    ("C2", "P2", "member", "open-ended", "part-time", "2024-01-01", "2024-06-30", 100, 380.0),
    ("C3", "P2", "member", "open-ended", "full-time", "2024-07-01", NAT, 110, 836.0),
    # another team: not counted when the team is given
    ("C4", "P3", "support", "open-ended", "full-time", "2024-01-01", NAT, 230, 1748.0),
    # starts on 31 Dec itself: counted (M, part-time)
    ("C5", "P4", "member", "open-ended", "part-time", "2024-12-31", NAT, 1, 3.5),
    # two running open-ended part-time contracts: one person (F, part-time)
    ("C6", "P5", "member", "open-ended", "part-time", "2024-03-01", NAT, 90, 342.0),
    ("C7", "P5", "member", "open-ended", "part-time", "2024-09-01", NAT, 40, 152.0),
    # gender X: counted among members only (full-time)
    ("C8", "P6", "member", "open-ended", "full-time", "2024-01-01", NAT, 5, 38.0),
    # fixed-term: never counted
    ("C9", "P1", "member", "fixed-term", "full-time", "2024-03-04", "2024-03-04", 1, 8.0),
    # running part-time and full-time contracts at once: one person, counted full-time (M)
    ("C10", "P7", "member", "open-ended", "part-time", "2024-01-01", NAT, 100, 380.0),
    ("C11", "P7", "member", "open-ended", "full-time", "2024-05-01", NAT, 80, 608.0),
    # a fixed-term member contract with an ordinary half-hour
    ("C12", "P8", "member", "fixed-term", "part-time", "2024-10-07", "2024-10-09", 2, 9.5),
]
# fmt: on


@pytest.fixture
def contracts() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=COLUMNS)
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    return frame


@pytest.fixture
def persons() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"],
            "gender": ["F", "M", "F", "M", "F", "X", "M", "F"],
        }
    )


def test_persons_employed_counts_each_person_once(contracts):
    assert payroll.persons_employed(contracts) == 8  # 12 contracts, P1 P2 P5 P7 twice


def test_contract_count(contracts):
    assert payroll.contract_count(contracts) == 12


def test_declared_days(contracts):
    # 220+100+110+230+1+90+40+5+1+100+80+2
    assert payroll.declared_days(contracts) == 979
    assert isinstance(payroll.declared_days(contracts), int)


def test_declared_hours(contracts):
    # 1672+380+836+1748+3.5+342+152+38+8+380+608+9.5
    assert payroll.declared_hours(contracts) == 6177.0
    assert isinstance(payroll.declared_hours(contracts), float)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (4512675, 2284),  # 2283.74
        (1976 * 2.5, 3),  # exactly half: up, not to even
        (1976 * 2.5 - 0.5, 2),
        (1976 * 3.5, 4),
        (0, 0),
        (987.5, 0),  # 0.49975
        (988, 1),  # 0.5
    ],
)
def test_full_time_equivalents_rounds_half_up(hours, expected):
    assert payroll.full_time_equivalents(hours) == expected


def test_full_time_equivalents_other_basis():
    assert payroll.full_time_equivalents(3120, weekly_hours=40, weeks=52) == 2  # 1.5 -> 2
    assert payroll.full_time_equivalents(3119.5, weekly_hours=40, weeks=52) == 1


def pay_rows(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["person_id", "team", "gross_wage", "benefits"]).assign(
        month=pd.Timestamp("2024-01-01")
    )


def test_wage_tension_overall_and_per_team():
    pay = pay_rows(
        [
            ("P1", "member", 2000.00, 0.00),  # lowest overall
            ("P1", "member", 2900.00, 100.00),
            ("P2", "support", 2500.00, 150.00),  # lowest support: 2,650
            ("P3", "support", 5000.00, 300.00),  # highest: 5,300
            ("P3", "support", 4800.00, 300.00),
        ]
    )
    assert payroll.wage_tension(pay) == 2.65  # 5300 / 2000
    assert payroll.wage_tension(pay, team="support") == 2.0  # 5300 / 2650
    assert payroll.wage_tension(pay, team="member") == 1.5  # 3000 / 2000


def test_wage_tension_adds_benefits_to_the_wage():
    pay = pay_rows([("P1", "member", 2000.00, 1000.00), ("P2", "member", 2500.00, 0.00)])
    assert payroll.wage_tension(pay) == 1.2  # 3000 / 2500, not 2500 / 2000


def test_wage_tension_rounds_half_up_exactly():
    # 11,950 / 2,000 = 5.975 exactly; as a float it is 5.97499999..., which round() takes down
    pay = pay_rows([("P1", "member", 2000.00, 0.00), ("P2", "member", 11900.00, 50.00)])
    assert round(11950 / 2000, 2) == 5.97
    assert payroll.wage_tension(pay) == 5.98
    # amounts whose float sum is not exact: 2,029.87 + 0.01 is 2,029.88 to the cent
    pay = pay_rows([("P1", "member", 2029.87, 0.01), ("P2", "member", 12139.00, 0.00)])
    assert payroll.wage_tension(pay) == 5.98  # 5.98016


def test_wage_tension_without_rows_is_an_error():
    pay = pay_rows([("P1", "member", 2000.00, 0.00)])
    with pytest.raises(ValueError, match="support"):
        payroll.wage_tension(pay, team="support")


def test_open_ended_on_31_december(contracts, persons):
    # counted: P1 (F full), P2 (M full, second contract), P4 (M part, starts 31 Dec),
    # P5 (F part, two contracts), P6 (X full), P7 (M, part + full -> full)
    assert payroll.open_ended_on(contracts, persons, date(2024, 12, 31), team="member") == {
        "persons": 6,
        "women": 2,
        "men": 3,
        "full_time": 4,
        "part_time": 2,
    }


def test_open_ended_on_another_day(contracts, persons):
    # 30 June: P2's first contract ends that day (counted, part-time), the second starts on 1 July;
    # P4 has not started; P5 holds one running contract, P7 both (part-time + full-time)
    assert payroll.open_ended_on(contracts, persons, "2024-06-30", team="member") == {
        "persons": 5,  # P1 P2 P5 P6 P7
        "women": 2,
        "men": 2,
        "full_time": 3,  # P1, P6, P7 (C11 started 1 May)
        "part_time": 2,  # P2, P5
    }


def test_open_ended_on_excludes_ended_support_and_fixed_term(contracts, persons):
    only_distractors = contracts[contracts["contract_id"].isin(["C2", "C4", "C9", "C12"])]
    assert payroll.open_ended_on(
        only_distractors, persons, pd.Timestamp("2024-12-31"), team="member"
    ) == {
        "persons": 0,
        "women": 0,
        "men": 0,
        "full_time": 0,
        "part_time": 0,
    }


def test_contracts_per_person(contracts):
    distribution = payroll.contracts_per_person(contracts)
    # one contract: P3 P4 P6 P8; two: P1 P2 P5 P7
    assert distribution.to_dict() == {1: 4, 2: 4}
    assert distribution.index.is_monotonic_increasing
    assert distribution.sum() == payroll.persons_employed(contracts)


def test_contracts_per_person_is_sorted_by_number_of_contracts():
    frame = pd.DataFrame({"person_id": ["A"] * 5 + ["B"] + ["C"] * 3 + ["D"] * 3})
    distribution = payroll.contracts_per_person(frame)
    assert list(distribution.index) == [1, 3, 5]
    assert list(distribution) == [1, 2, 1]


def test_wage_extremes_are_the_ends_of_the_ratio():
    pay = pay_rows(
        [
            ("P1", "member", 2029.87, 0.01),  # 2,029.88 to the cent
            ("P2", "support", 2500.00, 150.00),
            ("P3", "support", 5000.00, 300.00),
            ("P4", "member", 12139.00, 0.00),
        ]
    )
    assert payroll.wage_extremes(pay) == (2029.88, 12139.0)
    assert payroll.wage_extremes(pay, team="support") == (2650.0, 5300.0)
    low, high = payroll.wage_extremes(pay)
    assert payroll.wage_tension(pay) == round(high / low, 2)


def test_contract_spread_counts_single_median_and_longest():
    # contracts per person: P1 1, P2 1, P3 2, P4 3, P5 6 -> median 2, above it P4 and P5
    people = ["P1", "P2", "P3", "P3", "P4", "P4", "P4"] + ["P5"] * 6
    contracts = pd.DataFrame({"person_id": people})
    assert payroll.contract_spread(contracts) == {
        "single": 2,
        "median": 2,
        "above_median": 2,
        "max": 6,
    }
    # an even count: the median of 1, 1, 2, 3 is 1.5, rounded down to 1
    assert payroll.contract_spread(contracts[contracts["person_id"] != "P5"])["median"] == 1


def test_open_ended_on_without_a_team_counts_every_team(contracts, persons):
    every_team = payroll.open_ended_on(contracts, persons, date(2024, 12, 31))
    one_team = payroll.open_ended_on(contracts, persons, date(2024, 12, 31), team="member")
    assert every_team["persons"] == one_team["persons"] + 1  # P3, in the support team
