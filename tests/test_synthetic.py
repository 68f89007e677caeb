"""The synthetic payroll generator: deterministic, calibrated on 2024, realistic shapes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import synthetic_payroll as synthetic
from conftest import ROOT
from impactreport.analysis import payroll
from impactreport.inputs import declared

# each generation makes the full 2024 payroll (217 458 contracts): not for the fast tier
pytestmark = pytest.mark.slow

DATA_2024 = Path(__file__).resolve().parents[1] / "data" / "2024"
YEAR_END = pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return synthetic.generate(2024)


@pytest.fixture(scope="module")
def contracts(frames) -> pd.DataFrame:
    return frames["contracts"]


@pytest.fixture(scope="module")
def persons(frames) -> pd.DataFrame:
    return frames["persons"]


@pytest.fixture(scope="module")
def pay(frames) -> pd.DataFrame:
    return frames["pay"]


# determinism


def test_two_runs_give_equal_frames_and_identical_files(frames, tmp_path):
    again = synthetic.generate(2024)
    for name in synthetic.FILES:
        pd.testing.assert_frame_equal(frames[name], again[name])
    first = synthetic.write(tmp_path / "a", frames)
    second = synthetic.write(tmp_path / "b", again)
    assert [p.name for p in first] == ["persons.parquet", "contracts.parquet", "pay.parquet"]
    for a, b in zip(first, second, strict=True):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    assert sum(p.stat().st_size for p in first) < 5 * 1024 * 1024


def test_parquet_round_trip_keeps_types(frames, tmp_path):
    for path in synthetic.write(tmp_path, frames):
        pd.testing.assert_frame_equal(pd.read_parquet(path), frames[path.stem])


def test_another_seed_gives_other_data_with_the_same_figures(contracts):
    other = synthetic.generate(2024, seed=7)
    assert payroll.declared_hours(other["contracts"]) == 4512675
    assert payroll.wage_tension(other["pay"]) == 5.98
    assert not other["contracts"]["declared_days"].equals(contracts["declared_days"])


def test_unknown_year_is_refused():
    with pytest.raises(ValueError, match="no calibration targets for 1999"):
        synthetic.generate(1999)


def test_main_writes_the_three_files(tmp_path, capsys):
    assert synthetic.main(["--year", "2024", "--out", str(tmp_path / "2024")]) == 0
    assert sorted(p.name for p in (tmp_path / "2024").iterdir()) == [
        "contracts.parquet",
        "pay.parquet",
        "persons.parquet",
    ]
    assert "pay.parquet" in capsys.readouterr().out


@pytest.mark.skipif(
    not (DATA_2024 / "contracts.parquet").is_file(), reason="data/2024 not generated"
)
def test_committed_files_are_the_generator_output(frames):
    for name in synthetic.FILES:
        committed = pd.read_parquet(DATA_2024 / f"{name}.parquet")
        pd.testing.assert_frame_equal(committed, frames[name], obj=f"data/2024/{name}.parquet")


# 2024 calibration: the published figures, computed by the report's own functions


def test_workforce_totals(contracts):
    assert payroll.persons_employed(contracts) == 20892
    assert payroll.contract_count(contracts) == 217458
    assert payroll.declared_days(contracts) == 639505
    assert payroll.declared_hours(contracts) == 4512675.0
    assert payroll.full_time_equivalents(payroll.declared_hours(contracts)) == 2284


def test_wage_tension(pay):
    assert payroll.wage_tension(pay) == 5.98
    assert payroll.wage_tension(pay, team="support") == 3.98
    totals = (pay["gross_wage"] + pay["benefits"]).round(2)
    support = totals[pay["team"] == "support"]
    # the extremes are exact and far from a rounding boundary
    assert (totals.min(), totals.max()) == (2029.88, 12139.00)
    assert (support.min(), support.max()) == (2650.00, 10547.00)
    assert totals[pay["team"] == "member"].min() == totals.min()
    assert totals[pay["team"] == "member"].max() == totals.max()


def test_open_ended_members_on_31_december(contracts, persons):
    assert payroll.open_ended_on(contracts, persons, YEAR_END, team="member") == {
        "persons": 33,
        "women": 14,
        "men": 19,
        "full_time": 22,
        "part_time": 11,
    }


def test_open_ended_distractors_are_present(contracts):
    open_ended = contracts[contracts["contract_type"] == "open-ended"]
    members = open_ended[open_ended["team"] == "member"]
    assert (members["end_date"].notna()).sum() >= 5  # ended during the year
    assert (members["start_date"] == YEAR_END).any()  # starts on the last day, counted
    support = contracts[contracts["team"] == "support"]
    assert (support["contract_type"] == "open-ended").all()
    assert (support["regime"] == "part-time").any()
    assert support["end_date"].isna().sum() > 250  # running on 31 December, not counted


# shapes


def test_every_person_has_a_contract(persons, contracts, pay):
    assert set(persons["person_id"]) == set(contracts["person_id"])
    assert set(pay["person_id"]) == set(persons["person_id"])


def test_contracts_per_person_has_a_long_tail(contracts):
    per_person = contracts.groupby("person_id").size()
    assert per_person.min() >= 1
    assert per_person.median() > 1
    assert per_person.max() >= 100
    distribution = payroll.contracts_per_person(contracts)
    assert distribution.sum() == 20892
    assert (distribution.index * distribution).sum() == 217458


def test_support_staff_and_members(contracts):
    support = contracts[contracts["team"] == "support"]
    assert 300 <= support["person_id"].nunique() <= 350
    assert len(support) < 1.1 * support["person_id"].nunique()  # about one contract each
    full_year = support[
        (support["regime"] == "full-time") & (support["start_date"] == "2024-01-01")
    ]
    assert 200 <= full_year.loc[full_year["end_date"].isna(), "declared_days"].median() <= 240
    members = contracts[contracts["team"] == "member"]
    assert (members["declared_days"] == 1).mean() > 0.5  # most contracts are a single day
    per_day = members["declared_hours"] / members["declared_days"]
    assert per_day.between(3, 9).mean() > 0.8


def test_wages_are_spread(pay):
    assert pay["gross_wage"].nunique() >= 50
    assert (pay["gross_wage"] + pay["benefits"]).round(2).nunique() >= 50


# the data layout the validation layer relies on


def test_columns_and_types(persons, contracts, pay):
    # the generator writes exactly what the validation layer expects
    # the payroll's schema is SmartCoop's data: declared in data/reference/datapackage.json
    declared_columns = {
        d.name: d.schema.columns
        for d in declared.year_tables(ROOT / "data" / "2024", ROOT / "data" / "reference")
    }
    assert list(persons.columns) == declared_columns["persons"]
    assert list(contracts.columns) == declared_columns["contracts"]
    assert list(pay.columns) == declared_columns["pay"]
    for frame, texts in (
        (persons, ["person_id", "gender"]),
        (contracts, ["contract_id", "person_id", "team", "contract_type", "regime"]),
        (pay, ["person_id", "team"]),
    ):
        for column in texts:
            assert pd.api.types.is_string_dtype(frame[column]), column
    for column in ("start_date", "end_date"):
        assert pd.api.types.is_datetime64_any_dtype(contracts[column])
    assert pd.api.types.is_datetime64_any_dtype(pay["month"])
    assert contracts["declared_days"].dtype == np.int64
    assert contracts["declared_hours"].dtype == np.float64
    assert pay["gross_wage"].dtype == np.float64
    assert pay["benefits"].dtype == np.float64


def test_identifiers_and_codes(persons, contracts, pay):
    assert persons["person_id"].str.fullmatch(r"P\d{6}").all()
    assert persons["person_id"].is_unique
    assert persons["person_id"].is_monotonic_increasing
    assert set(persons["gender"]) == {"F", "M", "X"}
    assert (persons["gender"] == "X").sum() < 20
    assert contracts["contract_id"].str.fullmatch(r"C\d{7}").all()
    assert contracts["contract_id"].is_unique
    assert set(contracts["team"]) == {"member", "support"}
    assert set(contracts["contract_type"]) == {"open-ended", "fixed-term"}
    assert set(contracts["regime"]) == {"full-time", "part-time"}
    assert set(pay["team"]) == {"member", "support"}


def test_contract_periods(contracts):
    start, end = contracts["start_date"], contracts["end_date"]
    assert start.between("2024-01-01", YEAR_END).all()
    assert end.dropna().between("2024-01-01", YEAR_END).all()
    assert (start == start.dt.normalize()).all()
    assert (end.dropna() == end.dropna().dt.normalize()).all()
    assert (end.dropna() >= start[end.notna()]).all()
    # no end date exactly when the contract continues, which only open-ended contracts do
    assert (contracts.loc[end.isna(), "contract_type"] == "open-ended").all()
    span = (end.fillna(YEAR_END) - start).dt.days + 1
    assert (contracts["declared_days"] >= 0).all()
    assert (contracts["declared_days"] <= span).all()
    hours = contracts["declared_hours"]
    assert (hours >= 0).all()
    assert ((hours * 2) % 1 == 0).all()
    assert (hours <= contracts["declared_days"] * 12).all()


def test_day_contracts_of_a_person_do_not_overlap(contracts):
    ordered = contracts.sort_values(["person_id", "start_date"])
    previous_end = ordered.groupby("person_id")["end_date"].shift()
    assert not (ordered["start_date"] <= previous_end).any()


def test_each_person_belongs_to_one_team(contracts, pay):
    assert contracts.groupby("person_id")["team"].nunique().max() == 1
    team = contracts.drop_duplicates("person_id").set_index("person_id")["team"]
    assert (pay["person_id"].map(team) == pay["team"]).all()


def test_pay_has_one_row_per_person_and_month_with_a_contract(contracts, pay):
    assert not pay.duplicated(["person_id", "month"]).any()
    assert (pay["month"].dt.day == 1).all()
    assert pay["month"].between("2024-01-01", "2024-12-01").all()
    first = contracts["start_date"].dt.month
    last = contracts["end_date"].fillna(YEAR_END).dt.month
    covered = contracts.loc[contracts.index.repeat(last - first + 1), ["person_id"]]
    covered["month"] = first[covered.index] + covered.groupby(level=0).cumcount()
    expected = set(zip(covered["person_id"], covered["month"], strict=True))
    assert set(zip(pay["person_id"], pay["month"].dt.month, strict=True)) == expected


def test_pay_amounts_are_in_cents(pay):
    for column in ("gross_wage", "benefits"):
        cents = pay[column] * 100
        assert (cents - cents.round()).abs().max() < 1e-6
    assert (pay["gross_wage"] > 0).all()
    assert (pay["benefits"] >= 0).all()
