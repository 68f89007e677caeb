"""The package's own schemas (facts, publications, the catalogue, the conditions), and the checks
that turn an export's cells into typed, trusted columns, for these and for every table a data
package declares (``declared.py`` makes its fields).

The checks and their messages live here, in one place, vectorised over whole columns; pandera left
the project. It owned half of them (allowed values, ranges, uniqueness) while the messages that
matter most could only come from here: why a cell is not a number (a decimal comma, a thousands
separator, scientific notation, a percent sign) is known only while parsing the text, and pandera's
failure cases had to be translated back into the same one-line messages anyway, a second owner
for every message and a slow pass over millions of rows. What remains is a handful of column
operations, each with the sentence it says.

Values an export writes in another honest form are read as what they mean: a NUMERIC column's
fixed decimals (``250.00``, ``6.500``), a float artefact of a value with few decimals
(``1946.4999999999998``), a timestamp at midnight or at 23:59:59 (the end of that day), a
time-zone-aware timestamp (in the organisation's time zone). Anything else is refused with its
reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from impactreport.inputs.tables import Table

INTEGER = r"-?\d+(\.0+)?"  # trailing zeros: a whole number from a NUMERIC column (250.00)
DECIMAL = r"-?\d+(\.\d+)?"
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
GROUPED = re.compile(r"^-?\d{1,3}([.,\s\u00a0\u202f']\d{3})+([.,]\d+)?$")
SCIENTIFIC = re.compile(r"^-?\d+([.,]\d+)?[eE][+-]?\d+$")
PERCENT = re.compile(r"^-?\d+([.,]\d+)?\s*%$")
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
TIMESTAMP = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
ZONED = r".*(Z|[+-]\d{2}:?\d{2})"
ARTEFACT_DIGITS = 10  # this many decimals or more: binary floating point, not a measurement
LOCAL_TIME_ZONE = "Europe/Brussels"  # where the organisation's dates are days
WHOLE = ("(?:", ")$")  # around a declared pattern: Table Schema's match the whole value


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | int | float | date
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    in_year: bool = False  # dates must fall inside the financial year
    pattern: str | None = None
    decimals: int | None = None  # most decimals a float may have; more hints at a separator
    optional: bool = False  # the column may be left out (read as empty)
    items: str | None = None  # text listing these, separated by ";" (none of them empty)

    def expectation(self) -> str:
        kinds = {
            "text": "text",
            "int": "a whole number without thousands separator",
            "float": "a number with a decimal point and no thousands separator",
            "date": "a date written YYYY-MM-DD",
        }
        return kinds[self.kind]


@dataclass(frozen=True)
class Schema:
    name: str
    fields: tuple[Field, ...]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def _first(mask: pd.Series) -> int | None:
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    return None if len(hits) == 0 else mask.index[hits[0]]


def _as_text(series: pd.Series) -> pd.Series:
    """Cells as stripped text, missing cells as ""."""
    if not (pd.api.types.is_string_dtype(series) and not pd.api.types.is_object_dtype(series)):
        series = series.map(lambda v: "" if v is None or v is pd.NA else str(v)).astype("str")
    return series.fillna("").str.strip()


def _number_problem(text: str, field: Field) -> str:
    if SCIENTIFIC.match(text):
        return (
            f"{text!r} is in scientific notation, which a spreadsheet writes when a column is too "
            f"narrow, rounded to the digits shown: format the column as a number (no exponent) "
            "and export again"
        )
    if PERCENT.match(text):
        return f"{text!r} has a percent sign: write the number alone (the unit column says percent)"
    decimals = len(text.split(".")[1]) if "." in text and GROUPED.match(text) else 0
    if field.decimals is not None and decimals > field.decimals:
        return (
            f"{text!r} looks like a thousands separator (at most {field.decimals} decimals "
            f"expected): expected {field.expectation()}"
        )
    if GROUPED.match(text):
        return f"{text!r} has a thousands separator: expected {field.expectation()}"
    if DECIMAL_COMMA.match(text):
        if field.kind == "int":
            return f"{text!r} has a decimal comma: expected a whole number"
        return f"{text!r} has a decimal comma: expected a decimal point (e.g. {text.replace(',', '.')})"
    if field.kind == "float" and re.fullmatch(DECIMAL, text):
        return f"{text!r} has more than {field.decimals} decimals: expected {field.expectation()}"
    return f"{text!r} is not a number: expected {field.expectation()}"


def _refuse(table: Table, field: Field, bad: pd.Series, text: pd.Series, problem) -> None:
    index = _first(bad)
    if index is not None:
        raise table.error(problem(text[index]), index=index, column=field.name)


def _converted(text: pd.Series, filled: pd.Series, to: pa.DataType) -> pd.Series:
    """Cells already checked to be written as ``to`` expects, converted by Arrow in one pass
    (numbers: correctly rounded, as Python's ``float``); empty cells missing."""
    arrow = pc.cast(pa.array(text.where(filled, None)), to)
    if pa.types.is_integer(to):
        return pd.Series(arrow.to_pandas(types_mapper={to: pd.Int64Dtype()}.get), index=text.index)
    return pd.Series(arrow.to_numpy(zero_copy_only=False), index=text.index)


def _parse_int(table: Table, field: Field, text: pd.Series, filled: pd.Series) -> pd.Series:
    whole = text.str.fullmatch(INTEGER)
    _refuse(table, field, filled & ~whole, text, lambda t: _number_problem(t, field))
    if text.str.contains(".", regex=False).any():
        text = text.str.replace(r"\.0+$", "", regex=True)
    return _converted(text, filled, pa.int64()).astype("Int64" if field.nullable else "int64")


def _parse_float(table: Table, field: Field, text: pd.Series, filled: pd.Series) -> pd.Series:
    number = text.str.fullmatch(DECIMAL)
    _refuse(table, field, filled & ~number, text, lambda t: _number_problem(t, field))
    values = _converted(text, filled, pa.float64())
    if field.decimals is None:
        return values
    point = text.str.find(".")
    decimals = pd.Series(
        np.where(point >= 0, text.str.len() - point - 1, 0), index=text.index, dtype="int64"
    )
    beyond = filled & (decimals > field.decimals)
    if not beyond.any():
        return values
    rounded = values.round(field.decimals)
    artefact = (decimals >= ARTEFACT_DIGITS) & (
        (rounded - values).abs() <= 1e-9 * rounded.abs().clip(lower=1)
    )
    # a NUMERIC column writes every value with the same decimals; the extra ones are zeros
    with_point = filled & (point >= 0)
    same_scale = decimals[with_point].nunique() == 1
    zeros = text.str.fullmatch(rf"-?\d+\.\d{{{field.decimals}}}0+")
    fixed_scale = same_scale & zeros
    _refuse(
        table, field, beyond & ~artefact & ~fixed_scale, text, lambda t: _number_problem(t, field)
    )
    return values.where(~artefact, rounded)


def _parse_date(table: Table, field: Field, text: pd.Series, filled: pd.Series) -> pd.Series:
    plain = text.str.fullmatch(ISO_DATE)
    stamped = filled & ~plain
    if stamped.any():
        _refuse(
            table,
            field,
            stamped & ~text.str.fullmatch(TIMESTAMP),
            text,
            lambda t: f"{t!r} is not {field.expectation()}",
        )
    days = _calendar_days(text, plain)
    _refuse(
        table,
        field,
        plain & days.isna(),
        text,
        lambda t: f"{t!r} is not a calendar date",
    )
    if stamped.any():
        moments = text[stamped]
        zoned = moments.str.fullmatch(ZONED)
        parsed = pd.Series(pd.NaT, index=moments.index, dtype="datetime64[ns]")
        if zoned.any():
            parsed[zoned] = _local(pd.to_datetime(moments[zoned], format="ISO8601", utc=True))
        if (~zoned).any():
            parsed[~zoned] = pd.to_datetime(moments[~zoned], format="ISO8601")
        days[stamped] = _day_of(table, field, parsed, moments)
    return days.astype("datetime64[ns]")


def _calendar_days(text: pd.Series, plain: pd.Series) -> pd.Series:
    """The cells written YYYY-MM-DD as days; not a calendar date (or out of range): missing."""
    try:
        seconds = _converted(text, plain, pa.timestamp("s"))  # refuses 02-30 for all
    except pa.ArrowInvalid:
        seconds = None
    if seconds is not None and seconds.between(*_NANOSECOND_RANGE).sum() == plain.sum():
        return seconds.astype("datetime64[ns]")
    return pd.to_datetime(text.where(plain, None), format="%Y-%m-%d", errors="coerce")


_NANOSECOND_RANGE = (pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D"))


def _local(moments: pd.Series) -> pd.Series:
    return moments.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None).astype("datetime64[ns]")


def _day_of(table: Table, field: Field, moments: pd.Series, shown: pd.Series) -> pd.Series:
    """A timestamp as the day it stands for: midnight starts it, 23:59:59 ends it."""
    days = moments.dt.normalize()
    into = moments - days
    end_of_day = into >= pd.Timedelta(hours=23, minutes=59, seconds=59)
    _refuse(
        table,
        field,
        (into > pd.Timedelta(0)) & ~end_of_day,
        shown.astype(str),
        lambda t: (
            f"{t!r} holds a time of day: expected {field.expectation()} (a day, not a moment)"
        ),
    )
    return days


def _parse_text_column(table: Table, field: Field) -> pd.Series:
    text = _as_text(table.frame[field.name])
    filled = text != ""
    if not field.nullable:
        _refuse(table, field, ~filled, text, lambda _t: f"empty: expected {field.expectation()}")
    if field.kind == "text":
        return text  # an optional text cell stays ""
    parse = {"int": _parse_int, "float": _parse_float, "date": _parse_date}[field.kind]
    return parse(table, field, text, filled)


def _typed_column(table: Table, field: Field) -> pd.Series:
    """A Parquet column: accept its native type, parse it as text otherwise."""
    series = table.frame[field.name]
    if field.kind == "date" and pd.api.types.is_datetime64_any_dtype(series):
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            series = _local(series)
        filled = series.notna()
        if not field.nullable:
            _refuse(
                table, field, ~filled, series, lambda _t: f"empty: expected {field.expectation()}"
            )
        days = series.astype("datetime64[ns]")
        return days.where(~filled, _day_of(table, field, days[filled], days[filled]))
    native = {
        "int": pd.api.types.is_integer_dtype,
        "float": lambda s: pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s),
        "date": lambda _s: False,
        "text": pd.api.types.is_string_dtype,
    }[field.kind]
    if native(series) and not pd.api.types.is_object_dtype(series):
        if field.kind == "float":
            return series.astype("float64")
        if field.kind == "text":
            text = series.fillna("") if series.hasnans else series
            if not field.nullable:
                _refuse(
                    table,
                    field,
                    text.str.strip() == "",
                    text,
                    lambda _t: f"empty: expected {field.expectation()}",
                )
            return text
        return series
    # NUMERIC decimals, dates as objects, numbers stored as text: read as their text
    return _parse_text_column(table, field)


def _mismatches(column: pd.Series, pattern: str) -> pd.Series:
    """Where ``column`` does not match ``pattern`` (as ``re.match``). pandas matches some patterns
    (``\\S``, say) with Python's ``re``, value by value: a column with few distinct values (a
    team) is matched once per value instead."""
    distinct = column.dropna().unique()
    if len(distinct) * 4 < len(column):
        matching = pd.Series(distinct, dtype=column.dtype).str.match(pattern).to_numpy(bool)
        return ~column.isin(distinct[matching])
    return ~column.str.match(pattern)


def _value_checks(table: Table, schema: Schema, frame: pd.DataFrame, year: int | None) -> None:
    """Raise on the first broken rule, by row then by column."""
    failures = []
    for order, field in enumerate(schema.fields):
        column = frame[field.name]
        present = column.notna() & (column != "") if field.kind == "text" else column.notna()
        rules = []
        if field.choices is not None:
            rules.append((~column.isin(field.choices), f"one of {', '.join(field.choices)}"))
        if field.minimum is not None:
            rules.append((column < field.minimum, f"{_shown(field.minimum)} or more"))
        if field.maximum is not None:
            rules.append((column > field.maximum, f"{_shown(field.maximum)} or less"))
        if field.pattern is not None:
            shown = field.pattern.removeprefix(WHOLE[0]).removesuffix(WHOLE[1])
            rules.append((_mismatches(column, field.pattern), f"text matching {shown}"))
        if field.in_year and year is not None:
            first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
            rules.append(
                ((column < first) | (column > last), f"a date inside the financial year {year}")
            )
        for broken, expected in rules:
            index = _first(present & broken.fillna(False).astype(bool))
            if index is not None:
                value = column[index]
                shown = value.date().isoformat() if isinstance(value, pd.Timestamp) else value
                failures.append(
                    (index, order, f"{shown!r} is not allowed: expected {expected}", field.name)
                )
        if field.items is not None:
            empty_item = column.str.contains(r"(?:^|;)\s*(?:;|$)")
            index = _first(present & empty_item)
            if index is not None:
                failures.append(
                    (
                        index,
                        order,
                        f"{column[index]!r} lists an empty {field.items} (a stray ';'): remove "
                        f"the extra ';'",
                        field.name,
                    )
                )
        if field.unique:
            repeated = column.duplicated()
            index = _first(repeated)
            if index is not None:
                value = column[index]
                first = table.row_label(_first(column == value))
                failures.append(
                    (
                        index,
                        order,
                        f"duplicate {value!r} (first on row {first}): each {field.name} must "
                        "appear once",
                        field.name,
                    )
                )
    if not failures:
        return
    position = {index: i for i, index in enumerate(frame.index)}
    index, _, message, column = min(failures, key=lambda f: (position[f[0]], f[1]))
    raise table.error(message, index=index, column=column)


def _shown(bound) -> str:
    return bound.date().isoformat() if isinstance(bound, pd.Timestamp) else f"{bound:g}"


def validate(table: Table, schema: Schema, *, year: int | None = None) -> pd.DataFrame:
    """The table as a typed frame, or a DataError naming the first bad cell."""
    absent = [f.name for f in schema.fields if f.optional and f.name not in table.frame.columns]
    if absent:
        table = replace(table, frame=table.frame.assign(**dict.fromkeys(absent, "")))
    present = list(table.frame.columns)
    missing = [c for c in schema.columns if c not in present]
    if missing:
        raise table.error(
            f"missing column {missing[0]!r}: expected columns {', '.join(schema.columns)}",
            column=missing[0],
        )
    extra = [c for c in present if c not in schema.columns]
    if extra:
        raise table.error(
            f"unexpected column {extra[0]!r}: expected columns {', '.join(schema.columns)}",
            column=extra[0],
        )
    if table.frame.empty:
        raise table.error("no data rows under the header")
    parse = _typed_column if table.typed else _parse_text_column
    frame = pd.DataFrame({f.name: parse(table, f) for f in schema.fields}, index=table.frame.index)
    _value_checks(table, schema, frame, year)
    return frame


QUALIFIERS = ("", "almost", "about", "more_than")
UNITS = ("count", "EUR", "hours", "days", "ratio", "percent", "m2", "fte", "years")

FACTS = Schema(
    "facts",
    (
        Field("id", "text", unique=True),
        Field("value", "float", minimum=0, decimals=2),
        Field("unit", "text", choices=UNITS),
        Field("qualifier", "text", nullable=True, choices=QUALIFIERS),
        Field("source_type", "text", choices=("system", "document")),
        Field("source", "text", pattern=r"\S"),
        # who checked the figure against its source, and when (empty: not yet checked)
        Field("verified_by", "text", nullable=True, optional=True),
        Field("verified_on", "date", nullable=True, optional=True),
    ),
)

PUBLICATIONS = Schema(
    "publications",
    (
        Field("title", "text", pattern=r"\S"),
        Field("authors", "text", pattern=r"\S", items="author"),
    ),
)

CATALOGUE = Schema(
    "indicators",
    (
        Field("id", "text", unique=True, pattern=r"^[a-z_]+(\.[a-z_]+)+$"),
        # the organisation's own grouping; "workforce" and "governance" are the generic ones
        Field("theme", "text", pattern=r"^[a-z_]+$"),
        Field("unit", "text", choices=UNITS),
        # optional-fact: declared only in a year that has the figure (the board's check falls back on
        # the statutes without it); derived: computed from declared facts
        Field("origin", "text", choices=("records", "fact", "optional-fact", "derived")),
        Field("trend", "text", nullable=True, choices=("", "yes")),  # compared year on year
        Field("description", "text", pattern=r"\S"),
    ),
)

CONDITIONS = Schema(
    "conditions",
    (
        Field("condition", "int", unique=True, minimum=1),
        Field("topic", "text", pattern=r"^[a-z_]+$"),
        Field("statutes_articles", "text", nullable=True, pattern=r"^(\d+(;\d+)*)?$"),
        Field(
            "amended_by", "text", nullable=True, pattern=r"^(\d{4}(-\d{2})?(;\d{4}(-\d{2})?)*)?$"
        ),
        # where the condition comes from: art. 8:5 § 1, n° WVV/CSA (wvv:n), art. 6 KB/AR (kb)
        Field("law", "text", pattern=r"^(wvv:[1-3]|kb)(;(wvv:[1-3]|kb))*$"),
        Field(
            "evidence", "text", pattern=r"^(statutes|report|[a-z_.]+ *(<=|<|==|>=|>) *[a-z_.0-9]+)$"
        ),
        # facts shown beside the rule's verdict (attendance fees beside the directors' pay)
        Field(
            "shown",
            "text",
            nullable=True,
            pattern=r"^([a-z_]+(\.[a-z_]+)+(;[a-z_]+(\.[a-z_]+)+)*)?$",
        ),
    ),
)

# one row per condition and edition language; the languages are the project's (load.py sets them)
EXPLANATIONS = Schema(
    "explanations",
    (
        Field("condition", "int", minimum=1),
        Field("lang", "text"),
        Field("explanation", "text", pattern=r"\S"),
    ),
)

# an earlier year's indicators table, committed when its raw inputs are private (the history)
INDICATORS = Schema(
    "indicators",
    (
        Field("id", "text", pattern=r"^[a-z_]+(\.[a-z_]+)+$"),
        Field("year", "int", minimum=1000),
        Field("value", "float"),
        Field("unit", "text", choices=UNITS),
        Field("qualifier", "text", nullable=True, choices=QUALIFIERS),
        Field("source", "text", nullable=True),
        # the lineage a build writes beside each figure: kept in a table copied from a build
        *(
            Field(name, "text", nullable=True, optional=True)
            for name in ("files", "origin", "verified", "synthetic")
        ),
    ),
)
