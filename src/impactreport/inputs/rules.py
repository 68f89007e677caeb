"""Rules across rows and tables, declared beside the tables they bind (``rules`` of a resource).

Each is refused by the door, before any kernel, as bad data about a file and its row:

- ``primaryKey`` of several fields, and ``foreignKeys`` (Table Schema): a key to nobody;
- ``{"field": F, "atLeast": G}``, ``{"field": F, "atMost": G, "times": 24}``: F against another
  column of the same row (hours at most 24 per declared day);
- ``{"field": F, "atMostDaysFrom": G, "to": H}``: F at most the calendar days from G to H (H
  empty: the end of the year);
- ``{"field": F, "requiredWhen": {G: value}}``: F filled on the rows where G has that value;
- ``{"field": F, "firstOfMonth": true}``: a date that stands for its month, written as its 1st;
- ``{"everyValue": F}``: every value of F's ``enum`` has rows (an export that lost a team);
- ``{"total": fact, "count": "rows" | "distinct", "sum": F, "field": F}``: a total the year's
  facts declare equals what the records give; ``{"total": fact, "largestShare": F, "by": G,
  "per": H}``: the largest share (in %) of F's sum that one G has within one H (the votes one
  shareholder cast at one general assembly, condition 7).

A rule may carry a ``message``, in the project's words, with ``{value}`` and ``{limit}``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from impactreport.errors import DataError
from impactreport.inputs.declared import Loaded
from impactreport.inputs.tables import Table

TOLERANCE = 1e-9


def _first(mask: pd.Series) -> int | None:
    hits = np.flatnonzero(np.asarray(mask.fillna(False), dtype=bool))
    return None if len(hits) == 0 else mask.index[hits[0]]


def _shown(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return f"{value:g}" if isinstance(value, int | float | np.number) else str(value)


def check(
    loaded: dict[str, Loaded], year: int | None, facts: tuple[Table, pd.DataFrame] | None
) -> None:
    """Raise on the first broken key or rule, table by table in declaration order."""
    for item in loaded.values():
        _keys(item, loaded)
        for rule in item.declared.rules:
            _rule(item, rule, year, facts)


def _keys(item: Loaded, loaded: dict[str, Loaded]) -> None:
    declared, frame = item.declared, item.frame
    if len(declared.primary_key) > 1:
        key = list(declared.primary_key)
        index = _first(frame.duplicated(key))
        if index is not None:
            shown = ", ".join(_shown(frame.at[index, c]) for c in key)
            raise item.table.error(
                f"duplicate ({shown}): each {', '.join(key)} together must appear once",
                index=index,
                column=key[-1],
            )
    for foreign in declared.foreign_keys:
        names = [foreign["fields"]] if isinstance(foreign["fields"], str) else foreign["fields"]
        target = foreign["reference"]
        other = loaded.get(target["resource"])
        if other is None:
            raise DataError(
                item.table.path,
                f"{', '.join(names)} refers to {target['resource']}, which this year does not "
                f"have: add {target['resource']}.csv (or remove {item.table.path.name})",
            )
        wanted = [target["fields"]] if isinstance(target["fields"], str) else target["fields"]
        _known(item, names, other, wanted)


def _known(item: Loaded, names: list[str], other: Loaded, wanted: list[str]) -> None:
    frame = item.frame
    filled = frame[names].notna().all(axis=1)
    if len(names) == 1:
        # Arrow's lookup: pandas makes each known value a Python object first (seconds at scale)
        values = pa.array(frame[names[0]])
        known = pa.array(other.frame[wanted[0]])
        listed = pc.is_in(values, value_set=known.cast(values.type))
        found = pd.Series(listed.to_numpy(zero_copy_only=False), index=frame.index)
    else:
        keys = other.frame[wanted].drop_duplicates().set_axis(names, axis=1)
        found = frame[names].merge(keys, how="left", indicator=True)["_merge"] == "both"
        found.index = frame.index
    index = _first(filled & ~found)
    if index is not None:
        shown = ", ".join(repr(frame.at[index, n]) for n in names)
        raise item.table.error(
            f"{shown} is unknown: expected a {', '.join(wanted)} listed in {other.declared.name}",
            index=index,
            column=names[0],
        )


def _refuse(item: Loaded, rule: dict, mask: pd.Series, column: str, default: str, limits=None):
    index = _first(mask)
    if index is None:
        return
    value = item.frame.at[index, column]
    limit = None if limits is None else limits[index]
    template = rule.get("message", default)
    raise item.table.error(
        template.format(value=_shown(value), limit=_shown(limit) if limit is not None else ""),
        index=index,
        column=column,
    )


def _rule(item: Loaded, rule: dict, year: int | None, facts) -> None:
    frame = item.frame
    if "total" in rule:
        _total(item, rule, facts)
        return
    if "everyValue" in rule:
        _every_value(item, rule["everyValue"])
        return
    name = rule["field"]
    column = frame[name]
    if "atLeast" in rule:
        other = frame[rule["atLeast"]]
        _refuse(
            item,
            rule,
            column < other,
            name,
            f"{{value}} is below {rule['atLeast']} ({{limit}})",
            other,
        )
    if "atMost" in rule:
        limits = frame[rule["atMost"]] * rule.get("times", 1)
        _refuse(
            item,
            rule,
            column > limits + TOLERANCE,
            name,
            f"{{value}} is above {rule.get('times', 1):g} x {rule['atMost']} ({{limit}})",
            limits,
        )
    if "atMostDaysFrom" in rule:
        end = pd.Timestamp(year=year, month=12, day=31) if year else pd.NaT
        span = (frame[rule["to"]].fillna(end) - frame[rule["atMostDaysFrom"]]).dt.days + 1
        _refuse(
            item,
            rule,
            column > span,
            name,
            f"{{value}} is more than the {{limit}} calendar days from {rule['atMostDaysFrom']} "
            f"to {rule['to']}",
            span,
        )
    if "requiredWhen" in rule:
        (other, value), *_ = rule["requiredWhen"].items()
        _refuse(
            item,
            rule,
            column.isna() & (frame[other] == value),
            name,
            f"empty: a row whose {other} is {value} needs a {name}",
        )
    if rule.get("firstOfMonth"):
        _refuse(
            item,
            rule,
            column.notna() & (column.dt.day != 1),
            name,
            f"{{value}} is not the first day of its month: {name} stands for a month, written "
            "as its first day (YYYY-MM-01)",
        )


def _every_value(item: Loaded, name: str) -> None:
    field = next(f for f in item.declared.schema.fields if f.name == name)
    if field.choices is None:
        raise DataError(
            item.declared.declared_in,
            f"resource {item.declared.name}: everyValue {name!r} needs an enum on that field",
        )
    absent = [v for v in field.choices if v not in set(item.frame[name].unique())]
    if absent:
        raise DataError(
            item.table.path,
            f"no row with {name} {absent[0]!r}: every {name} of the schema "
            f"({', '.join(map(str, field.choices))}) has rows in a complete export; export it "
            "again with every one",
            column=name,
        )


def _total(item: Loaded, rule: dict, facts) -> None:
    """A total the facts declare against the records: the first place the two disagree."""
    if facts is None:
        return
    table, frame = facts
    rows = frame.index[frame["id"] == rule["total"]]
    if rows.empty:
        return  # the year does not declare this total
    declared = float(frame.at[rows[0], "value"])
    records = item.frame
    if "largestShare" in rule:
        amount, per = rule["largestShare"], rule["per"]
        largest = records.groupby([per, rule["by"]])[amount].sum().groupby(level=per).max()
        computed = float((largest / records.groupby(per)[amount].sum() * 100).max())
        what = f"the {amount} one {rule['by']} cast at one {per}"
    elif "sum" in rule:
        computed, what = float(records[rule["sum"]].sum()), f"the sum of {rule['sum']}"
    elif rule.get("count") == "distinct":
        computed = float(records[rule["field"]].nunique())
        what = f"distinct {rule['field']} values"
    else:
        computed, what = float(len(records)), "rows"
    # a total declared with its decimals (12.5 %, 1946.5 hours): equal once rounded to them
    if abs(round(computed, 2) - declared) > TOLERANCE * max(1.0, abs(declared)):
        raise DataError(
            item.table.path,
            f"{what} give {rule['total']} = {computed:g}, while {table.path.name} row "
            f"{table.row_label(rows[0])} declares {declared:g} "
            f"({frame.at[rows[0], 'source_type']}: {frame.at[rows[0], 'source']}): the export "
            "is incomplete or the declared total is wrong; correct whichever is wrong",
        )
