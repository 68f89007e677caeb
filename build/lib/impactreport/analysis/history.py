"""The headline indicators over the years with data, for year-on-year comparisons and trends.

Earlier years come from their indicators (their build, or a committed table when their raw inputs
are private), handed over by the data door; the year itself from its validated inputs. Only years
that have a data folder count: a report never shows a year it has no data for.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from impactreport.analysis.indicators import Indicator
from impactreport.inputs.door import Admitted
from impactreport.inputs.load import Reference


def headline(
    reference: Reference, inputs: Admitted, computed: Iterable[Indicator] = ()
) -> pd.DataFrame:
    """The trend indicators of the year: ``computed`` (what the project computes from its
    records, the way its own report does) and the declared facts."""
    catalogue = reference.catalogue[reference.catalogue["trend"] == "yes"]
    wanted = set(catalogue["id"])
    rows = {indicator.id: indicator.value for indicator in computed}
    for fact in inputs.facts.itertuples():
        rows.setdefault(fact.id, fact.value)
    units = dict(zip(catalogue["id"], catalogue["unit"], strict=True))
    return pd.DataFrame(
        [
            {"year": inputs.year, "id": i, "value": float(rows[i]), "unit": units[i]}
            for i in sorted(wanted)
            if i in rows
        ]
    )


def history(
    reference: Reference, inputs: Admitted, computed: Iterable[Indicator] = ()
) -> pd.DataFrame:
    """Every year up to this one: earlier years' indicators, then this year's headline."""
    earlier = inputs.history.sort_values(["year", "id"], kind="stable")
    frames = [f for f in (earlier, headline(reference, inputs, computed)) if not f.empty]
    return pd.concat(frames, ignore_index=True).astype({"year": "int64"})


def changes(past: pd.DataFrame, year: int) -> pd.DataFrame:
    """Relative change against the year before, where both years have the indicator."""
    current = past[past["year"] == year].set_index("id")["value"]
    previous = past[past["year"] == year - 1].set_index("id")["value"]
    both = current.index.intersection(previous.index)
    both = [i for i in both if previous[i] != 0]
    return pd.DataFrame(
        {
            "id": both,
            "previous_year": year - 1,
            "change": [(current[i] - previous[i]) / previous[i] for i in both],
        },
        columns=["id", "previous_year", "change"],
    )
