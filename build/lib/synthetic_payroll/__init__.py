"""Deterministic synthetic payroll inputs (persons, contracts, pay) calibrated on published figures.

Real payroll exports cannot be published, so the payroll inputs of a year are generated here: the
shapes are realistic (a few hundred support staff on open-ended contracts running most of the year;
about twenty thousand members - artists and freelancers - with many short contracts, most of them a
single declared day, and a long tail of persons with hundreds of day contracts), and the residuals
are then adjusted deterministically so that the indicators of :mod:`impactreport.analysis.payroll` give the
published figures *exactly*.

Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed order and every step is
vectorised, so two runs give identical frames and byte-identical Parquet files::

    python -m synthetic_payroll --year 2024 --out data/2024
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FILES = ("persons", "contracts", "pay")


@dataclass(frozen=True)
class Targets:
    """Published figures a generated year must reproduce exactly, and the shape of its workforce."""

    persons: int
    contracts: int
    declared_days: int
    declared_hours: float  # a multiple of 0.5
    member_min_total: int  # lowest monthly gross wage + benefits, in cents (a member)
    member_max_total: int  # highest monthly gross wage + benefits, in cents (a member)
    support_min_total: int  # lowest of the support teams, in cents
    support_max_total: int  # highest of the support teams, in cents
    open_ended_women: int  # members with an open-ended contract on 31 December
    open_ended_men: int
    open_ended_full_time: int
    open_ended_part_time: int
    support_persons: int = 326
    support_regime_changes: int = 12  # support staff with two contracts (regime changed)
    support_leavers: int = 19
    support_hires: int = 27
    open_ended_regime_changes: int = 2  # counted members whose first contract ended in the year
    open_ended_ended: int = 6  # members whose only open-ended contract ended in the year
    other_genders: int = 7  # persons recorded with gender X


TARGETS = {
    2024: Targets(
        persons=20892,
        contracts=217458,
        declared_days=639505,
        declared_hours=4512675.0,
        member_min_total=202988,  # 2,029.88: the minimum wage
        member_max_total=1213900,  # 12,139.00 -> 12,139.00 / 2,029.88 = 5.98016
        support_min_total=265000,  # 2,650.00
        support_max_total=1054700,  # 10,547.00 -> 10,547.00 / 2,650.00 = 3.98000
        open_ended_women=14,
        open_ended_men=19,
        open_ended_full_time=22,
        open_ended_part_time=11,
    )
}

ATTENDANCE = (0.78, 0.90)  # share of weekdays actually declared (holidays, sickness)
FULL_DAY_HOURS = 7.6  # 38 hours a week
MAX_CONTRACTS = 330  # per member: saturation of the long tail (day contracts never overlap)
MEAL_VOUCHER_CENTS = 691  # employer part of a meal voucher, per day worked
ECO_CHEQUES_CENTS = 25000  # paid once, in June


@dataclass(frozen=True)
class _Calendar:
    year: int

    @property
    def first(self) -> np.datetime64:
        return np.datetime64(f"{self.year}-01-01", "D")

    @property
    def days(self) -> int:
        return int((np.datetime64(f"{self.year + 1}-01-01", "D") - self.first).astype(int))

    def weekdays(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Monday-to-Friday days between two day offsets, both included."""
        return np.busday_count(self.first + start, self.first + end + 1)

    def month(self, offset: np.ndarray) -> np.ndarray:
        """Month index 0-11 of day offsets."""
        return (
            (self.first + offset).astype("datetime64[M]") - self.first.astype("datetime64[M]")
        ).astype(np.int64)

    def month_start(self, month: np.ndarray) -> np.ndarray:
        """Day offset of the first day of month indexes 0-11."""
        starts = self.first.astype("datetime64[M]") + month.astype("timedelta64[M]")
        return (starts.astype("datetime64[D]") - self.first).astype(np.int64)

    def dates(self, offset: np.ndarray) -> np.ndarray:
        """Day offsets as datetime64[ns]; a negative offset is NaT (no end date)."""
        days = self.first + np.maximum(offset, 0).astype("timedelta64[D]")
        return np.where(offset < 0, np.datetime64("NaT"), days).astype("datetime64[ns]")


def _half_up(values: np.ndarray) -> np.ndarray:
    """Round non-negative values half-up to whole numbers."""
    return np.floor(values + 0.5).astype(np.int64)


def _spread(rng: np.random.Generator, residual: int, capacity: np.ndarray) -> np.ndarray:
    """Integer changes summing to ``residual``, none above ``capacity``, spread thinly at random.

    Each item takes at most ``limit`` units, the smallest limit whose total capacity covers the
    residual; items are visited in a random order until the residual is used up.
    """
    capacity = np.asarray(capacity, dtype=np.int64)
    need = abs(int(residual))
    if need == 0:
        return np.zeros(len(capacity), dtype=np.int64)
    if capacity.sum() < need:
        raise ValueError(f"cannot absorb a residual of {residual}: capacity {capacity.sum()}")
    limit = 1
    while np.minimum(capacity, limit).sum() < need:
        limit *= 2
    order = rng.permutation(len(capacity))
    room = np.minimum(capacity[order], limit)
    before = np.cumsum(room) - room
    taken = np.clip(need - before, 0, room)
    change = np.zeros(len(capacity), dtype=np.int64)
    change[order] = taken
    return change if residual > 0 else -change


def _employees(
    rng, cal: _Calendar, count: int, starts: np.ndarray, ends: np.ndarray, part: np.ndarray
):
    """Declared days and hours of salaried (open-ended) contracts: 7.6 hours a day."""
    end = np.where(ends < 0, cal.days - 1, ends)
    weekdays = cal.weekdays(starts, end)
    fraction = np.where(part, rng.choice([0.5, 0.6, 0.8], size=count), 1.0)
    attendance = rng.uniform(*ATTENDANCE, size=count)
    days = np.maximum(_half_up(weekdays * attendance * fraction), 1)
    days = np.minimum(days, weekdays.clip(min=1))
    halves = _half_up(days * FULL_DAY_HOURS * 2)
    return days, halves


def _support(rng, cal: _Calendar, t: Targets) -> dict[str, np.ndarray]:
    """Support staff: open-ended contracts, most running all year, about a quarter part-time."""
    n = t.support_persons
    role = rng.permutation(
        np.repeat(
            [0, 1, 2, 3],
            [
                t.support_regime_changes,
                t.support_leavers,
                t.support_hires,
                n - t.support_regime_changes - t.support_leavers - t.support_hires,
            ],
        )
    )  # 0 regime change, 1 leaver, 2 hire, 3 whole year
    part = rng.random(n) < 0.27
    start = np.zeros(n, dtype=np.int64)
    end = np.full(n, -1, dtype=np.int64)
    hired = role == 2
    start[hired] = cal.month_start(rng.integers(1, 12, size=hired.sum()))
    left = role == 1
    end[left] = rng.integers(30, cal.days - 20, size=left.sum())
    changed = np.flatnonzero(role == 0)
    change_day = cal.month_start(rng.integers(2, 10, size=len(changed)))
    # a regime change closes the first contract the day before and opens a second one
    person = np.concatenate([np.arange(n), changed])
    starts = np.concatenate([start, change_day])
    ends = np.concatenate([end, np.full(len(changed), -1)])
    ends[changed] = change_day - 1
    parts = np.concatenate([part, ~part[changed]])
    return {
        **_open_ended_contracts(rng, cal, person, starts, ends, parts),
    }


def _open_ended_contracts(
    rng, cal: _Calendar, person, starts, ends, parts
) -> dict[str, np.ndarray]:
    """Open-ended contracts with the days and hours their employees declare."""
    days, halves = _employees(rng, cal, len(person), starts, ends, parts)
    return {
        "person": person,
        "start": starts,
        "end": ends,
        "part": parts,
        "days": days,
        "halves": halves,
        "open_ended": np.ones(len(person), dtype=bool),
    }


def _open_ended_members(rng, cal: _Calendar, t: Targets) -> dict[str, np.ndarray]:
    """Members on open-ended contracts: those still running on 31 December, and some that ended."""
    counted = t.open_ended_women + t.open_ended_men
    if counted != t.open_ended_full_time + t.open_ended_part_time:
        raise ValueError("open-ended targets: women + men must equal full-time + part-time")
    n = counted + t.open_ended_ended
    gender = np.concatenate(
        [
            rng.permutation(np.repeat(["F", "M"], [t.open_ended_women, t.open_ended_men])),
            rng.choice(["F", "M"], size=t.open_ended_ended),
        ]
    )
    part = np.concatenate(
        [
            rng.permutation(
                np.repeat([False, True], [t.open_ended_full_time, t.open_ended_part_time])
            ),
            rng.random(t.open_ended_ended) < 0.4,
        ]
    )
    start = np.zeros(n, dtype=np.int64)
    end = np.full(n, -1, dtype=np.int64)
    # counted: most began before the year, 8 were hired in it, one starts on the last day
    hired = rng.choice(counted, size=9, replace=False)
    start[hired[:-1]] = cal.month_start(rng.integers(1, 12, size=8))
    start[hired[-1]] = cal.days - 1
    end[counted:] = rng.integers(40, cal.days - 15, size=t.open_ended_ended)  # ended in the year
    # a few counted members changed regime: a first open-ended contract ended the day before
    changed = hired[: t.open_ended_regime_changes]
    person = np.concatenate([np.arange(n), changed])
    starts = np.concatenate([start, np.zeros(len(changed), dtype=np.int64)])
    ends = np.concatenate([end, start[changed] - 1])
    parts = np.concatenate([part, ~part[changed]])
    return {
        **_open_ended_contracts(rng, cal, person, starts, ends, parts),
        "gender": gender,
    }


def _contracts_per_person(rng, persons: int, contracts: int) -> np.ndarray:
    """Long-tailed contract counts per person (median 4, max a few hundred), total ``contracts``."""
    z = rng.standard_normal(persons)

    def counts(mu: float) -> np.ndarray:
        level = np.exp(mu + 1.4 * z)
        return 1 + np.floor((MAX_CONTRACTS - 1) * np.tanh(level / (MAX_CONTRACTS - 1))).astype(
            np.int64
        )

    low, high = -5.0, 10.0
    for _ in range(60):  # bisection: the largest mu whose total does not exceed the target
        mid = (low + high) / 2
        low, high = (mid, high) if counts(mid).sum() <= contracts else (low, mid)
    n = counts(low)
    return n + _spread(rng, contracts - n.sum(), np.minimum(MAX_CONTRACTS - n, 1))


def _geometric(u: np.ndarray, mean: float) -> np.ndarray:
    """Geometric draws (1, 2, ...) with the given mean, by inversion of fixed uniforms."""
    p = 1.0 / mean
    return np.maximum(np.ceil(np.log1p(-u) / np.log1p(-p)), 1).astype(np.int64)


def _day_contracts(
    rng, cal: _Calendar, n: np.ndarray, days: int, halves: int
) -> dict[str, np.ndarray]:
    """Fixed-term member contracts: mostly single days, never overlapping for one person."""
    person = np.repeat(np.arange(len(n)), n)
    total = len(person)
    count = n[person]
    multi = rng.random(total) < 0.5 / (1 + count / 25)  # busy persons work by the day
    u = rng.random(total)
    extra_share = rng.random(total)
    over = np.zeros(len(n), dtype=bool)
    for _ in range(3):  # size the multi-day contracts, then refit without over-booked persons
        long = multi & ~over[person]
        mean = (days - (total - long.sum())) / long.sum()  # mean days of a multi-day contract
        d = np.where(long, 1 + np.minimum(_geometric(u, mean - 1), 89), 1)
        span = d + np.floor(extra_share * 0.6 * (d - 1) + 0.5).astype(np.int64)  # weekends between
        booked = np.bincount(person, weights=span, minlength=len(n))
        over |= booked > cal.days
    d = np.where(over[person], 1, d)
    span = np.where(over[person], 1, span)
    d = d + _spread(rng, days - d.sum(), span - d if days > d.sum() else d - 1)

    # hours: a usual day length per person, varied per contract, mostly 3 to 9 hours
    usual = np.clip(rng.normal(6.9, 1.3, size=len(n)), 3.0, 10.0)[person]
    per_day = np.clip(usual + rng.normal(0.0, 0.9, size=total), 2.0, 11.5)

    def half_hours(scale: float) -> np.ndarray:
        return _half_up(np.clip(per_day * scale, 1.0, 12.0) * d * 2)

    low, high = 0.2, 5.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if half_hours(mid).sum() <= halves else (low, mid)
    h = half_hours(low)
    room = 24 * d - h if halves > h.sum() else h - 2 * d
    h = h + _spread(rng, halves - h.sum(), room)

    # place the contracts of each person in order, with random gaps, inside the year
    booked = np.bincount(person, weights=span, minlength=len(n)).astype(np.int64)
    slack = cal.days - booked
    gap = np.floor(rng.random(total) * (slack[person] + 1)).astype(np.int64)
    gap = gap[np.lexsort((gap, person))]  # non-decreasing within each person
    first = np.concatenate([[0], np.cumsum(n)[:-1]])
    before = np.cumsum(span) - span
    start = before - np.repeat(before[first], n) + gap
    return {
        "person": person,
        "start": start,
        "end": start + span - 1,
        "part": h < d * 2 * 7.5,  # under 7.5 hours a day
        "days": d,
        "halves": h,
        "open_ended": np.zeros(total, dtype=bool),
    }


def _months(cal: _Calendar, person: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple:
    """The distinct (person, month) pairs covered by contracts, sorted."""
    first = cal.month(start)
    last = cal.month(np.where(end < 0, cal.days - 1, end))
    length = last - first + 1
    rows = np.repeat(np.arange(len(person)), length)
    month = first[rows] + np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
    pairs = np.unique(person[rows] * 12 + month)
    return pairs // 12, pairs % 12


def _salaried_benefits(rng, cal: _Calendar, month: np.ndarray) -> np.ndarray:
    """Monthly benefits in cents: meal vouchers for the days worked, eco-cheques in June."""
    month_first = cal.month_start(month)
    month_last = cal.month_start(month + 1) - 1
    worked = cal.weekdays(month_first, month_last) * rng.uniform(0.7, 0.95, size=len(month))
    return _half_up(worked * MEAL_VOUCHER_CENTS) + np.where(month == 5, ECO_CHEQUES_CENTS, 0)


def _pay(
    rng, cal: _Calendar, t: Targets, person, month, team, salaried
) -> tuple[np.ndarray, np.ndarray]:
    """Monthly gross wage (full-time basis) and benefits in cents, with exact extreme rows."""
    rows = len(person)
    people = int(person.max()) + 1
    support = team == 1
    benefits = np.where(salaried, _salaried_benefits(rng, cal, month), 0)
    # a few members get small allowances (a tool, a phone); most get none
    allowance = _half_up(rng.uniform(500, 18000, size=rows)) * (rng.random(rows) < 0.12)
    benefits = np.where(salaried, benefits, allowance)

    # salaried staff: one gross wage per person on a salary scale (support teams a bit higher),
    # kept strictly inside the published support range
    median = np.where(team == 1, 380000, 290000)
    scale = np.exp(np.log(median) + 0.3 * rng.standard_normal(people)[person])
    top = benefits.max()
    salaried_gross = np.clip(
        _half_up(scale), t.support_min_total - 14000, t.support_max_total - 1 - top
    )
    salaried_gross = np.maximum(salaried_gross, t.support_min_total + 1 - benefits)

    # members: a level per person, varied per month (each month's contracts pay differently)
    floor_total, span = t.member_min_total, t.member_max_total - t.member_min_total - 20000
    level = np.exp(rng.normal(np.log(60000), 1.0, size=people))
    level = np.where(rng.random(people) < 0.09, 0.0, level)  # paid the minimum wage
    above = level[person] * np.exp(rng.normal(0.0, 0.15, size=rows))
    member_gross = floor_total + _half_up(span * np.tanh(above / span))
    gross = np.where(salaried, salaried_gross, member_gross)
    total = gross + benefits

    members = np.flatnonzero(~support)
    lowest, highest = members[np.argmin(total[members])], members[np.argmax(total[members])]
    gross[lowest], benefits[lowest] = t.member_min_total, 0
    gross[highest] = t.member_max_total - benefits[highest]
    staff = np.flatnonzero(support)
    # the extreme support persons keep the same amounts every month
    low_person, high_person = (
        person[staff[np.argmin(total[staff])]],
        person[staff[np.argmax(total[staff])]],
    )
    for who, amount, extra in (
        (low_person, t.support_min_total, 16000),
        (high_person, t.support_max_total, 20000),
    ):
        mine = person == who
        gross[mine], benefits[mine] = amount - extra, extra
    return gross, benefits


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    text = np.char.zfill(numbers.astype(str), width)
    return pd.Series(np.char.add(prefix, text), dtype="str")


def generate(year: int = 2024, seed: int = 20240) -> dict[str, pd.DataFrame]:
    """Synthetic ``persons``, ``contracts`` and ``pay`` frames of ``year``, identical for a seed."""
    if year not in TARGETS:
        known = ", ".join(str(y) for y in sorted(TARGETS))
        raise ValueError(f"no calibration targets for {year} (known years: {known})")
    t = TARGETS[year]
    cal = _Calendar(year)
    rng = np.random.default_rng(seed)

    support = _support(rng, cal, t)
    open_ended = _open_ended_members(rng, cal, t)
    n_support = t.support_persons
    n_open = len(open_ended["gender"])
    n_day = t.persons - n_support - n_open
    used = [support, open_ended]
    day_count = t.contracts - sum(len(g["person"]) for g in used)
    day_days = t.declared_days - sum(int(g["days"].sum()) for g in used)
    day_halves = int(round(t.declared_hours * 2)) - sum(int(g["halves"].sum()) for g in used)
    per_person = _contracts_per_person(rng, n_day, day_count)
    day = _day_contracts(rng, cal, per_person, day_days, day_halves)

    # internal person numbers: support, then open-ended members, then day members
    offsets = (0, n_support, n_support + n_open)
    groups = (support, open_ended, day)
    c = {
        key: np.concatenate([g[key] for g in groups])
        for key in ("start", "end", "part", "days", "halves", "open_ended")
    }
    c["person"] = np.concatenate([g["person"] + o for g, o in zip(groups, offsets, strict=True)])
    team = np.concatenate(
        [np.ones(n_support, dtype=np.int64), np.zeros(t.persons - n_support, dtype=np.int64)]
    )
    salaried = np.arange(t.persons) < n_support + n_open

    gender = np.where(rng.random(t.persons) < np.where(team == 1, 0.58, 0.46), "F", "M")
    gender[n_support : n_support + n_open] = open_ended["gender"]
    day_people = np.arange(n_support + n_open, t.persons)
    gender[rng.choice(day_people, size=t.other_genders, replace=False)] = "X"

    number = rng.permutation(t.persons) + 1  # public person numbers, unrelated to the groups
    pay_person, pay_month = _months(cal, c["person"], c["start"], c["end"])
    gross, benefits = _pay(
        rng, cal, t, pay_person, pay_month, team[pay_person], salaried[pay_person]
    )

    persons = pd.DataFrame(
        {"person_id": _ids("P", number, 6), "gender": pd.Series(gender, dtype="str")}
    )
    persons = persons.sort_values("person_id", ignore_index=True)

    order = np.lexsort((c["end"] < 0, c["end"], number[c["person"]], c["start"]))  # chronological
    contracts = pd.DataFrame(
        {
            "contract_id": _ids("C", np.arange(1, len(order) + 1), 7),
            "person_id": _ids("P", number[c["person"][order]], 6),
            "team": pd.Series(
                np.where(team[c["person"][order]] == 1, "support", "member"), dtype="str"
            ),
            "contract_type": pd.Series(
                np.where(c["open_ended"][order], "open-ended", "fixed-term"), dtype="str"
            ),
            "regime": pd.Series(np.where(c["part"][order], "part-time", "full-time"), dtype="str"),
            "start_date": cal.dates(c["start"][order]),
            "end_date": cal.dates(c["end"][order]),
            "declared_days": c["days"][order].astype(np.int64),
            "declared_hours": c["halves"][order] / 2.0,
        }
    )

    order = np.lexsort((pay_month, number[pay_person]))
    months = cal.first.astype("datetime64[M]") + pay_month[order].astype("timedelta64[M]")
    pay = pd.DataFrame(
        {
            "person_id": _ids("P", number[pay_person[order]], 6),
            "month": months.astype("datetime64[D]").astype("datetime64[ns]"),
            "team": pd.Series(
                np.where(team[pay_person[order]] == 1, "support", "member"), dtype="str"
            ),
            "gross_wage": gross[order] / 100.0,
            "benefits": benefits[order] / 100.0,
        }
    )
    return {"persons": persons, "contracts": contracts, "pay": pay}


def write(folder: Path, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """Write ``persons``, ``contracts``, ``pay`` as zstd Parquet files (no index, rows as given)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        path = folder / f"{name}.parquet"
        table = pa.Table.from_pandas(frames[name], preserve_index=False)
        pq.write_table(table, path, compression="zstd")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m synthetic_payroll", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument(
        "--out", type=Path, required=True, help="folder for persons/contracts/pay.parquet"
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        frames = generate(args.year, args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in write(args.out, frames):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        rows = len(frames[path.stem])
        print(f"{path}  {rows:>7} rows  {path.stat().st_size / 1024:8.1f} KiB  sha256 {digest}")
    print(f"done in {time.perf_counter() - began:.2f} s")
    return 0
