"""The indicators table: the one contract between compute and publish.

Columns: id, year, value, unit, qualifier, source, and the lineage of each value (files, origin,
verified, synthetic; see ``lineage``). Every number in the publication is a row here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from impactreport.analysis import formatting
from impactreport.errors import DataError, ReconciliationError

COLUMNS = ["id", "year", "value", "unit", "qualifier", "source"]
FACT_ORIGINS = ("fact", "optional-fact")  # catalogue origins declared in facts, not computed


@dataclass(frozen=True)
class Indicator:
    id: str
    year: int
    value: float
    unit: str
    qualifier: str
    source: str


def from_facts(facts: pd.DataFrame, year: int, ids: list[str]) -> list[Indicator]:
    """The declared facts with these ids, as indicators that name their source."""
    chosen = facts.set_index("id").loc[ids]
    return [
        Indicator(
            id=fact_id,
            year=year,
            value=float(row.value),
            unit=row.unit,
            qualifier=row.qualifier,
            source=f"{row.source_type}: {row.source}",
        )
        for fact_id, row in chosen.iterrows()
    ]


def passed_facts(
    catalogue: pd.DataFrame, facts: pd.DataFrame, year: int, computed: set[str]
) -> list[Indicator]:
    """The catalogued facts no notebook computes, as declared: they need no analysis, so no
    kernel. Optional facts pass only where the year declares them."""
    declared = set(facts["id"])
    chosen = catalogue[
        catalogue["origin"].isin(FACT_ORIGINS)
        & ~catalogue["id"].isin(computed)
        & catalogue["id"].isin(declared)
    ]
    return from_facts(facts, year, list(chosen["id"]))


def derived(indicator_id: str, year: int, value: float, unit: str, terms: list[str]) -> Indicator:
    """A value computed from declared facts (the loans before this year: total minus the year)."""
    return Indicator(indicator_id, year, float(value), unit, "", "derived: " + ", ".join(terms))


def reconcile(computed: list[Indicator], facts: pd.DataFrame) -> None:
    """A computed indicator that is also declared as a fact must have the same value."""
    declared = facts.set_index("id")
    for indicator in computed:
        if indicator.id not in declared.index:
            continue
        fact = declared.loc[indicator.id]
        if abs(float(fact.value) - indicator.value) > 1e-9:
            raise ReconciliationError(
                f"{indicator.id} does not reconcile: computed {formatting.plain(indicator.value)} from "
                f"{indicator.source}, declared {formatting.plain(fact.value)} in facts ({fact.source_type}: "
                f"{fact.source}); correct whichever is wrong"
            )


def to_frame(indicators: list[Indicator]) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(i) for i in indicators], columns=COLUMNS)
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def assemble(
    parts: list[Path], catalogue: pd.DataFrame, passed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Merge the notebooks' parts and the facts passed without a notebook, and check that every
    catalogued indicator is there exactly once."""
    frames = [pd.read_csv(p, keep_default_na=False) for p in parts]
    frame = pd.concat([*frames, *([] if passed is None else [passed])], ignore_index=True)
    duplicated = frame.loc[frame["id"].duplicated(), "id"]
    if not duplicated.empty:
        raise DataError(
            parts[0].parent, f"indicator {duplicated.iloc[0]!r} computed by two notebooks"
        )
    required = catalogue.loc[catalogue["origin"] != "optional-fact", "id"]
    missing = sorted(set(required) - set(frame["id"]))
    if missing:
        raise DataError(
            parts[0].parent, f"indicator {missing[0]!r} was not computed by any notebook"
        )
    extra = sorted(set(frame["id"]) - set(catalogue["id"]))
    if extra:
        raise DataError(
            parts[0].parent, f"indicator {extra[0]!r} is not in data/reference/indicators.csv"
        )
    units = dict(zip(catalogue["id"], catalogue["unit"], strict=True))
    wrong = frame[frame["unit"] != frame["id"].map(units)]
    if not wrong.empty:
        row = wrong.iloc[0]
        raise DataError(
            parts[0].parent,
            f"indicator {row['id']} has unit {row['unit']!r}, expected {units[row['id']]!r}",
        )
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False)
