"""One schema per input: column types are parsed with exact messages, then pandera enforces values.

Parsing text ourselves first lets a message say *why* a cell is not a number (a decimal comma, a
thousands separator); pandera then checks allowed values, ranges, uniqueness and dates in the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from impactreport.inputs.tables import Table

INTEGER = re.compile(r"^-?\d+$")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
GROUPED = re.compile(r"^-?\d{1,3}([.,\s\u00a0\u202f']\d{3})+([.,]\d+)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | int | float | date
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    unique: bool = False
    in_year: bool = False  # dates must fall inside the financial year
    pattern: str | None = None
    decimals: int | None = None  # most decimals a float may have; more hints at a separator
    optional: bool = False  # the column may be left out (read as empty)

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


def _reject_empty(table: Table, field: Field, empty: pd.Series) -> None:
    hits = empty[empty].index
    if not hits.empty:
        raise table.error(
            f"empty: expected {field.expectation()}", index=hits[0], column=field.name
        )


def _parse_number(text: str, field: Field) -> float | None:
    if field.kind == "int" and INTEGER.match(text):
        return int(text)
    if field.kind == "float" and DECIMAL.match(text) and not _too_precise(text, field):
        return float(text)
    return None


def _too_precise(text: str, field: Field) -> bool:
    return field.decimals is not None and "." in text and len(text.split(".")[1]) > field.decimals


def _number_problem(text: str, field: Field) -> str:
    if _too_precise(text, field) and GROUPED.match(text):
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
    return f"{text!r} is not a number: expected {field.expectation()}"


def _parse_text_column(table: Table, field: Field) -> pd.Series:
    values = table.frame[field.name].map(lambda v: "" if v is None else str(v).strip())
    if field.kind == "text":
        if not field.nullable:
            _reject_empty(table, field, values == "")
        return values  # an optional text cell stays ""
    parsed: list[object] = []
    for index, text in zip(table.frame.index, values, strict=True):
        if text == "":
            if not field.nullable:
                raise table.error(
                    f"empty: expected {field.expectation()}", index=index, column=field.name
                )
            parsed.append(None)
            continue
        if field.kind == "date":
            if not ISO_DATE.match(text):
                raise table.error(
                    f"{text!r} is not {field.expectation()}", index=index, column=field.name
                )
            try:
                parsed.append(pd.Timestamp(text))
            except ValueError:
                raise table.error(
                    f"{text!r} is not a calendar date", index=index, column=field.name
                ) from None
            continue
        number = _parse_number(text, field)
        if number is None:
            raise table.error(_number_problem(text, field), index=index, column=field.name)
        parsed.append(number)
    series = pd.Series(parsed, index=table.frame.index, dtype=object)
    return _as_kind(series, field)


def _as_kind(series: pd.Series, field: Field) -> pd.Series:
    if field.kind == "date":
        return pd.to_datetime(series).astype("datetime64[ns]")
    if field.kind == "int":
        return series.astype("Int64" if field.nullable else "int64")
    if field.kind == "float":
        return series.astype("float64")
    return series.astype(object)


def _typed_column(table: Table, field: Field) -> pd.Series:
    """A Parquet column: accept its native type, parse it as text otherwise."""
    series = table.frame[field.name]
    native = {
        "int": pd.api.types.is_integer_dtype,
        "float": pd.api.types.is_numeric_dtype,
        "date": pd.api.types.is_datetime64_any_dtype,
        "text": lambda s: pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s),
    }[field.kind]
    if native(series):
        if field.kind == "date":
            return series.astype("datetime64[ns]")
        if field.kind == "float":
            return series.astype("float64")
        if field.kind == "text":
            # stays Arrow-backed text: object arrays would triple the memory of a large export
            text = series.fillna("") if series.hasnans else series
            if not field.nullable:
                _reject_empty(table, field, text.str.strip() == "")
            return text
        return series
    as_text = Table(frame=table.frame.astype({field.name: str}), path=table.path, typed=True)
    return _parse_text_column(as_text, field)


def _pandera_schema(schema: Schema, year: int | None) -> pa.DataFrameSchema:
    columns = {}
    for field in schema.fields:
        checks = []
        if field.choices is not None:
            checks.append(pa.Check.isin(field.choices, error=f"one of {', '.join(field.choices)}"))
        if field.minimum is not None:
            checks.append(pa.Check.ge(field.minimum, error=f"{field.minimum:g} or more"))
        if field.pattern is not None:
            checks.append(
                pa.Check.str_matches(field.pattern, error=f"text matching {field.pattern}")
            )
        if field.in_year and year is not None:
            first, last = pd.Timestamp(date(year, 1, 1)), pd.Timestamp(date(year, 12, 31))
            checks.append(
                pa.Check.in_range(first, last, error=f"a date inside the financial year {year}")
            )
        columns[field.name] = pa.Column(
            nullable=field.nullable, unique=field.unique, checks=checks, coerce=False
        )
    return pa.DataFrameSchema(columns, strict=True)


def _first_failure(errors: SchemaErrors, table: Table, schema: Schema) -> Exception:
    cases = errors.failure_cases
    cases = cases.assign(_order=cases["index"].fillna(-1))
    fields = {f.name: f for f in schema.fields}
    for case in cases.sort_values(["_order"], kind="stable").itertuples():
        column = case.column if isinstance(case.column, str) else None
        index = None if pd.isna(case.index) else int(case.index)
        value = case.failure_case
        check = str(case.check)
        if "unique" in check:
            same = cases[(cases["column"] == column) & (cases["failure_case"] == value)]
            rows = sorted(int(i) for i in same["index"].dropna())
            first = table.row_label(rows[0])
            return table.error(
                f"duplicate {value!r} (first on row {first}): each {column} must appear once",
                index=rows[-1],
                column=column,
            )
        if check == "not_nullable":
            field = fields.get(column)
            meaning = field.expectation() if field else "a value"
            return table.error(f"empty: expected {meaning}", index=index, column=column)
        shown = value.date().isoformat() if isinstance(value, pd.Timestamp) else value
        return table.error(
            f"{shown!r} is not allowed: expected {check}", index=index, column=column
        )
    return table.error(str(errors))


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
    try:
        return _pandera_schema(schema, year).validate(frame, lazy=True)
    except SchemaErrors as errors:
        raise _first_failure(errors, table, schema) from None


TEAMS = ("member", "support")

PERSONS = Schema(
    "persons",
    (
        Field("person_id", "text", unique=True),
        Field("gender", "text", choices=("F", "M", "X")),
    ),
)

CONTRACTS = Schema(
    "contracts",
    (
        Field("contract_id", "text", unique=True),
        Field("person_id", "text"),
        Field("team", "text", choices=TEAMS),
        Field("contract_type", "text", choices=("open-ended", "fixed-term")),
        Field("regime", "text", choices=("full-time", "part-time")),
        Field("start_date", "date", in_year=True),
        Field("end_date", "date", nullable=True, in_year=True),
        Field("declared_days", "int", minimum=0),
        Field("declared_hours", "float", minimum=0, decimals=2),
    ),
)

PAY = Schema(
    "pay",
    (
        Field("person_id", "text"),
        Field("month", "date", in_year=True),
        Field("team", "text", choices=TEAMS),
        Field("gross_wage", "float", minimum=0.01, decimals=2),
        Field("benefits", "float", minimum=0, decimals=2),
    ),
)

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
        Field("authors", "text", pattern=r"\S"),
    ),
)

CATALOGUE = Schema(
    "indicators",
    (
        Field("id", "text", unique=True, pattern=r"^[a-z_]+(\.[a-z_]+)+$"),
        Field(
            "theme",
            "text",
            choices=("workforce", "activity", "loans", "training", "impact", "governance"),
        ),
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

EXPLANATIONS = Schema(
    "explanations",
    (
        Field("condition", "int", unique=True, minimum=1),
        Field("explanation", "text", pattern=r"\S"),
    ),
)
