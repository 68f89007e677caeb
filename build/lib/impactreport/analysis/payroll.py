"""Workforce indicators computed from the payroll records (persons, contracts, pay).

Every function is a pure, vectorised pandas computation on the validated frames: no row loops and
no side effects. Rounding that reaches the report is done here, half-up, with exact decimal
arithmetic so that a figure never depends on binary floating-point noise.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

CENT = Decimal("0.01")


def persons_employed(contracts: pd.DataFrame) -> int:
    """Number of distinct persons who held at least one contract."""
    return int(contracts["person_id"].nunique())


def contract_count(contracts: pd.DataFrame) -> int:
    """Number of contracts (one row of the contracts table is one contract)."""
    return len(contracts)


def declared_days(contracts: pd.DataFrame) -> int:
    """Total declared work days over all contracts."""
    return int(contracts["declared_days"].sum())


def declared_hours(contracts: pd.DataFrame) -> float:
    """Total declared work hours over all contracts (a float: callers round for display).

    Hours are multiples of 0.5, which binary floating point represents exactly, so the sum is
    exact whatever the summation order.
    """
    return float(contracts["declared_hours"].sum())


def full_time_equivalents(hours: float, weekly_hours: float = 38, weeks: int = 52) -> int:
    """Full-time equivalents: ``hours / (weekly_hours * weeks)``, rounded half-up to a whole."""
    exact = Decimal(str(hours)) / (Decimal(str(weekly_hours)) * Decimal(weeks))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def wage_tension(pay: pd.DataFrame, team: str | None = None) -> float:
    """Highest to lowest monthly ``gross_wage + benefits``, rounded half-up to 2 decimals.

    Each pay row is one person in one month; the ratio compares rows regardless of the hours worked
    (wages are on a full-time basis). With ``team`` only the rows of that team count.

    Rounding: amounts are in euro cents, so each row total is rounded to the cent (removing the
    floating-point noise of the addition) and the ratio of the two extreme totals is computed in
    exact decimal arithmetic, then rounded half-up: 5.975 gives 5.98, never 5.97 because the float
    happened to be 5.97499999.
    """
    lowest, highest = (Decimal(c) for c in _extreme_cents(pay, team))
    if lowest <= 0:
        raise ValueError("the lowest gross wage plus benefits is not positive: no ratio")
    return float((highest / lowest).quantize(CENT, rounding=ROUND_HALF_UP))


def wage_extremes(pay: pd.DataFrame, team: str | None = None) -> tuple[float, float]:
    """The lowest and highest monthly ``gross_wage + benefits`` in euro, to the cent: the two ends
    of the ratio ``wage_tension`` computes."""
    lowest, highest = _extreme_cents(pay, team)
    return lowest / 100, highest / 100


def _extreme_cents(pay: pd.DataFrame, team: str | None) -> tuple[int, int]:
    rows = pay if team is None else pay[pay["team"] == team]
    if rows.empty:
        raise ValueError(f"no pay rows{'' if team is None else f' for team {team!r}'}")
    cents = np.round((rows["gross_wage"] + rows["benefits"]).to_numpy(dtype="float64") * 100)
    return int(cents.min()), int(cents.max())


def open_ended_on(
    contracts: pd.DataFrame,
    persons: pd.DataFrame,
    day: date | str | pd.Timestamp,
    team: str | None = None,
) -> dict[str, int]:
    """Persons holding an open-ended contract that runs on ``day`` (in ``team``, when given),
    split by gender and regime.

    A contract runs on ``day`` when it starts on or before it and has no end date (it continues
    after the year) or ends on or after it. Other teams and fixed-term contracts do not count.
    A person counts once even with several such contracts; they count as full-time when any of
    them is full-time, so ``full_time + part_time == persons``. ``women``/``men`` come from
    ``persons.gender`` F/M (a person with another gender counts only in ``persons``).
    """
    day = pd.Timestamp(day)
    in_team = contracts["team"] == team if team is not None else True
    running = contracts[
        in_team
        & (contracts["contract_type"] == "open-ended")
        & (contracts["start_date"] <= day)
        & (contracts["end_date"].isna() | (contracts["end_date"] >= day))
    ]
    full_time = (running["regime"] == "full-time").groupby(running["person_id"]).any()
    gender = full_time.index.to_series().map(persons.set_index("person_id")["gender"])
    return {
        "persons": len(full_time),
        "women": int((gender == "F").sum()),
        "men": int((gender == "M").sum()),
        "full_time": int(full_time.sum()),
        "part_time": int((~full_time).sum()),
    }


def contracts_per_person(contracts: pd.DataFrame) -> pd.Series:
    """Distribution for a chart: index = number of contracts, value = number of persons."""
    per_person = contracts.groupby("person_id").size()
    distribution = per_person.value_counts().sort_index()
    distribution.index.name = "contracts"
    return distribution.rename("persons").astype("int64")


def contract_spread(contracts: pd.DataFrame) -> dict[str, int]:
    """What the contracts-per-person chart says in words: persons with a single contract, the
    median number of contracts per person (whole, rounded down), persons with more than that
    median, and the most contracts one person held."""
    per_person = contracts.groupby("person_id").size()
    median = int(per_person.median())
    return {
        "single": int((per_person == 1).sum()),
        "median": median,
        "above_median": int((per_person > median).sum()),
        "max": int(per_person.max()),
    }
