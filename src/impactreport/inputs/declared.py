"""The tables a project declares in its data packages, read and validated by their declaration.

A resource of ``data/<year>/datapackage.json`` or ``data/reference/datapackage.json`` that carries
a Table Schema is a table of the project's own (a payroll export, a share register, a loans
register): the door reads it, checks each cell against its field (type, required, unique, enum,
minimum, maximum, pattern) with the vectorised checks of ``schemas.py``, then its keys and rules
(``rules.py``), and hands it to the notebooks by name. The reference descriptor may declare,
under ``yearTables``, the tables every year holds: a year's folder then needs no schema of its own.

The tables the package itself defines (facts, publications, explanations, an earlier year's
indicators, the catalogue and the conditions) keep the package's schemas: a schema declared for
them in a descriptor only documents them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd

from impactreport.errors import DataError
from impactreport.inputs import descriptor, kept, schemas
from impactreport.inputs.tables import FORMATS, Table, find_input, present

# the package's own tables, validated by the package's schemas
BUILT_IN = frozenset(
    {"facts", "publications", "explanations", "indicators", "conditions", "literals"}
)
KINDS = {"string": "text", "integer": "int", "number": "float", "date": "date"}


@dataclass(frozen=True)
class Declared:
    """A table as a data package declares it."""

    name: str
    path: Path  # the data file
    schema: schemas.Schema
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict, ...]
    rules: tuple[dict, ...]
    declared_in: Path  # the descriptor that declares it
    table_schema: dict  # as declared: what a new year's descriptor carries forward


@dataclass(frozen=True)
class Loaded:
    declared: Declared
    table: Table  # the file as read: names its rows
    frame: pd.DataFrame  # the typed, validated columns


def _names(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _bound(where: Path, name: str, kind: str, key: str, value):
    if value is None:
        return None
    if kind == "date":
        try:
            return pd.Timestamp(date.fromisoformat(str(value)))
        except ValueError:
            raise DataError(
                where, f"field {name}: constraint {key} {value!r} is not a date YYYY-MM-DD"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataError(where, f"field {name}: constraint {key} {value!r} is not a number")
    return value


def field_of(spec: dict, where: Path) -> schemas.Field:
    """A Table Schema field as the door's field."""
    name, kind = spec["name"], KINDS[spec["type"]]
    constraints = spec.get("constraints", {})
    enum = constraints.get("enum")
    if enum is not None and kind == "text":
        enum = [str(v) for v in enum]
    pattern = constraints.get("pattern")
    return schemas.Field(
        name,
        kind,
        nullable=not constraints.get("required", False),
        choices=None if enum is None else tuple(enum),
        minimum=_bound(where, name, kind, "minimum", constraints.get("minimum")),
        maximum=_bound(where, name, kind, "maximum", constraints.get("maximum")),
        unique=bool(constraints.get("unique", False)),
        in_year=bool(spec.get("inYear", False)),
        pattern=None if pattern is None else f"{schemas.WHOLE[0]}{pattern}{schemas.WHOLE[1]}",
        decimals=spec.get("decimals"),
    )


def declared(
    name: str, path: Path, table_schema: dict, rules: tuple[dict, ...], where: Path
) -> Declared:
    fields = tuple(field_of(spec, where) for spec in table_schema["fields"])
    known = {f.name for f in fields}
    key = _names(table_schema.get("primaryKey"))
    foreign = tuple(table_schema.get("foreignKeys", ()))
    named = [*key, *(n for fk in foreign for n in _names(fk["fields"]))]
    named += [
        r[k] for r in rules for k in ("field", "atMost", "atLeast") if isinstance(r.get(k), str)
    ]
    for column in named:
        if column not in known:
            raise DataError(where, f"resource {name}: {column!r} is not one of its fields")
    # a key's fields are required (Table Schema); one alone is unique, checked with the cells
    fields = tuple(
        replace(f, nullable=False, unique=f.unique or len(key) == 1) if f.name in key else f
        for f in fields
    )
    return Declared(
        name=name,
        path=path,
        schema=schemas.Schema(name, fields),
        primary_key=key,
        foreign_keys=foreign,
        rules=rules,
        declared_in=where,
        table_schema=table_schema,
    )


def reference_tables(reference: Path) -> list[Declared]:
    """The reference folder's own declared tables."""
    package = descriptor.load(reference, checked=False)
    if package is None:
        return []
    return [
        declared(r.name, r.path, r.schema, r.rules, package.path)
        for r in package.resources
        if r.schema is not None and r.name not in BUILT_IN
    ]


def year_tables(folder: Path, reference: Path) -> list[Declared]:
    """The tables of a year's folder: each resource its descriptor declares with a schema, or
    that the reference declares for every year; a table file declared nowhere is refused."""
    shared = descriptor.load(reference, checked=False)
    every_year = shared.year_tables if shared else {}
    where = reference / descriptor.NAME
    package = descriptor.load(folder, checked=False)
    found: list[Declared] = []
    if package is not None:
        for resource in package.resources:
            if resource.name in BUILT_IN or resource.path.suffix.lower() not in FORMATS:
                continue
            if resource.schema is not None:
                found.append(
                    declared(
                        resource.name, resource.path, resource.schema, resource.rules, package.path
                    )
                )
            elif resource.name in every_year:
                schema, rules = every_year[resource.name]
                found.append(declared(resource.name, resource.path, schema, rules, where))
            else:
                raise _undeclared(package.path, resource.path)
        return found
    for name, (schema, rules) in every_year.items():
        if name not in BUILT_IN and present(folder, name):
            found.append(declared(name, find_input(folder, name), schema, rules, where))
    taken = {d.path.name for d in found}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in FORMATS and path.name not in taken:
            near = next((n for n in (*BUILT_IN, *every_year) if path.stem.lower() == n), None)
            if near is None:
                raise _undeclared(folder / descriptor.NAME, path)
            if path.stem != near:
                find_input(folder, near)  # names the file in another case
    return found


def _undeclared(where: Path, path: Path) -> DataError:
    return DataError(
        path,
        f"no schema declares {path.name}: give its resource in {where.parent.name}/"
        f"{descriptor.NAME} a schema (its fields and their types), or declare it for every year "
        "under yearTables in data/reference/datapackage.json",
    )


def load(item: Declared, year: int | None) -> Loaded:
    table, frame = kept.validated(item.path, item.schema, year, item.schema.columns)
    return Loaded(item, table, frame)
