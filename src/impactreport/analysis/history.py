"""The headline indicators over the years with data, for year-on-year comparisons and trends.

Only years that have a data folder count: a report never shows a year it has no data for.
"""

from __future__ import annotations

import pandas as pd

from impactreport.analysis import workforce
from impactreport.inputs import reads
from impactreport.inputs.load import Reference, load_facts, load_payroll
from impactreport.paths import Project


def years_up_to(project: Project, year: int) -> list[int]:
    reads.record(project.data)  # a year folder added later changes the history
    return [y for y in project.years() if y <= year]


def headline(project: Project, reference: Reference, year: int) -> pd.DataFrame:
    """The trend indicators of one year, computed the same way as for its own report."""
    catalogue = reference.catalogue[reference.catalogue["trend"] == "yes"]
    wanted = set(catalogue["id"])
    rows = {}
    if wanted & set(catalogue.loc[catalogue["origin"] == "records", "id"]):
        for indicator in workforce.indicators(load_payroll(project, year), year):
            rows[indicator.id] = indicator.value
    facts, _ = load_facts(project, year, reference, complete=False)
    for fact in facts.itertuples():
        rows.setdefault(fact.id, fact.value)
    units = dict(zip(catalogue["id"], catalogue["unit"], strict=True))
    return pd.DataFrame(
        [
            {"year": year, "id": i, "value": float(rows[i]), "unit": units[i]}
            for i in sorted(wanted)
            if i in rows
        ]
    )


def history(project: Project, reference: Reference, year: int) -> pd.DataFrame:
    frames = [headline(project, reference, y) for y in years_up_to(project, year)]
    return pd.concat(frames, ignore_index=True)


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
