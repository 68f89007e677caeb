"""Where each input comes from: the ``datapackage.json`` beside the data.

A data folder (``data/<year>/``, ``data/reference/``) may hold a Frictionless Data Package
descriptor. The project reads the standard's ``resources[].path`` and adds, per resource, an
``origin`` (``export`` from a named system on a date, ``transcription`` from a named document,
``synthetic`` from a named generator, ``definition`` written by this project) and an optional
``verified`` (by whom, on which date). A year's descriptor may also carry the board's
``approval`` date. A resource may carry a Table Schema (``schema``: fields, types, constraints,
``primaryKey``, ``foreignKeys``) and ``rules`` across rows and tables (``inputs/rules.py``); the
reference descriptor may declare, under ``yearTables``, the schema and rules of tables every year
holds. The descriptor is checked with a JSON Schema; the tables it declares are validated by
``inputs/declared.py`` (the ``frictionless`` library would validate them row by row, at many times
the time on a payroll export).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from impactreport.errors import DataError

NAME = "datapackage.json"
KINDS = ("export", "transcription", "synthetic", "definition")
# what each kind of origin must name
NAMES = {"export": "system", "transcription": "document", "synthetic": "generator"}
IGNORED = (NAME, "README.md")

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_TEXT = {"type": "string", "pattern": r"\S"}
_NAMES = {"oneOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}]}
TYPES = ("string", "integer", "number", "date")  # the Table Schema types the door reads
TABLE_SCHEMA = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "type"],
                "properties": {
                    "name": _TEXT,
                    "type": {"enum": list(TYPES)},
                    "constraints": {
                        "type": "object",
                        "properties": {
                            "required": {"type": "boolean"},
                            "unique": {"type": "boolean"},
                            "enum": {"type": "array", "minItems": 1},
                            "minimum": {},
                            "maximum": {},
                            "pattern": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                    # the project's own: most decimals a number may have (more hints at a
                    # thousands separator); a date inside the financial year of its folder
                    "decimals": {"type": "integer", "minimum": 0},
                    "inYear": {"type": "boolean"},
                },
            },
        },
        "primaryKey": _NAMES,
        "foreignKeys": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fields", "reference"],
                "properties": {
                    "fields": _NAMES,
                    "reference": {
                        "type": "object",
                        "required": ["resource", "fields"],
                        "properties": {"resource": _TEXT, "fields": _NAMES},
                    },
                },
            },
        },
    },
}
RULES = {"type": "array", "items": {"type": "object", "minProperties": 1}}
SCHEMA = {
    "type": "object",
    "required": ["resources"],
    "properties": {
        "approval": {
            "type": "object",
            "required": ["by", "on"],
            "properties": {"by": _TEXT, "on": _DATE},
        },
        "resources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "path", "origin"],
                "properties": {
                    "name": _TEXT,
                    "path": _TEXT,
                    "origin": {
                        "type": "object",
                        "required": ["kind"],
                        "properties": {
                            "kind": {"enum": list(KINDS)},
                            "system": _TEXT,
                            "document": _TEXT,
                            "generator": _TEXT,
                            "date": _DATE,
                            # the document's title in another edition's language: {"fr": "…"}
                            "titles": {"type": "object", "additionalProperties": _TEXT},
                        },
                        "allOf": [
                            {
                                "if": {"properties": {"kind": {"const": kind}}},
                                "then": {"required": [field]},
                            }
                            for kind, field in NAMES.items()
                        ]
                        + [
                            {
                                "if": {"properties": {"kind": {"const": "export"}}},
                                "then": {"required": ["date"]},
                            }
                        ],
                    },
                    "verified": {
                        "type": "object",
                        "required": ["by", "on"],
                        "properties": {"by": _TEXT, "on": _DATE},
                    },
                    "schema": TABLE_SCHEMA,
                    "rules": RULES,
                },
            },
        },
        "yearTables": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "schema"],
                "properties": {"name": _TEXT, "schema": TABLE_SCHEMA, "rules": RULES},
            },
        },
    },
}


@dataclass(frozen=True)
class Verification:
    by: str
    on: str

    def __str__(self) -> str:
        return f"{self.by}, {self.on}"


@dataclass(frozen=True)
class Resource:
    name: str
    path: Path
    kind: str
    named: str  # the system, document or generator
    date: str
    verified: Verification | None
    schema: dict | None = None  # its Table Schema, as declared
    rules: tuple[dict, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()  # (language, the named document's title in it)

    @property
    def synthetic(self) -> bool:
        return self.kind == "synthetic"

    def origin(self) -> str:
        """'export from Payroll (2025-01-15)', 'synthetic (python -m ...)'."""
        if self.kind == "definition":
            return "definition (this project)"
        dated = f", {self.date}" if self.date else ""
        return f"{self.kind}: {self.named}{dated}"


@dataclass(frozen=True)
class Descriptor:
    path: Path
    resources: tuple[Resource, ...]
    approval: Verification | None
    # the reference's ``yearTables``: name -> (Table Schema, rules) of a table every year holds
    year_tables: dict[str, tuple[dict, tuple[dict, ...]]] = dataclasses.field(default_factory=dict)

    def find(self, file: Path) -> Resource | None:
        return next((r for r in self.resources if r.path == file), None)


def _error(path: Path, field: str, problem: str) -> DataError:
    return DataError(path, f"field {field}: {problem}")


def _where(error) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path]
    return "".join(parts).lstrip(".") or "(top level)"


def _checked_date(path: Path, field: str, value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise _error(path, field, f"{value!r} is not a date: expected YYYY-MM-DD") from None
    return value


def _verification(path: Path, field: str, value: dict | None) -> Verification | None:
    if value is None:
        return None
    return Verification(value["by"], _checked_date(path, f"{field}.on", value["on"]))


def _jsonschema():
    """jsonschema, imported without the grammar of IRIs it compiles on import when installed
    (seconds in every notebook kernel), for a ``format`` check this schema never asks for."""
    import sys

    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # None: the optional import fails, and is skipped
        try:
            import jsonschema
        finally:
            del sys.modules["rfc3987_syntax"]
    import jsonschema

    return jsonschema


def load(folder: Path, *, checked: bool = True) -> Descriptor | None:
    """The folder's descriptor, checked against the files beside it; None when it has none.

    ``checked=False`` skips the JSON Schema: for a descriptor the data door has admitted."""
    path = folder / NAME
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(path, f"not valid JSON ({error.msg}, line {error.lineno})") from None
    if checked:
        jsonschema = _jsonschema()  # only when a descriptor is there to check
        failure = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(SCHEMA).iter_errors(raw)
        )
        if failure is not None:
            raise _error(path, _where(failure), failure.message)
    resources = []
    for number, item in enumerate(raw["resources"]):
        field = f"resources[{number}]"
        file = folder / item["path"]
        if not file.is_file():
            raise _error(path, f"{field}.path", _absent(folder, item["path"]))
        origin = item["origin"]
        resources.append(
            Resource(
                name=item["name"],
                path=file,
                kind=origin["kind"],
                named=origin.get(NAMES.get(origin["kind"], ""), ""),
                date=_checked_date(path, f"{field}.origin.date", origin["date"])
                if "date" in origin
                else "",
                verified=_verification(path, f"{field}.verified", item.get("verified")),
                schema=item.get("schema"),
                rules=tuple(item.get("rules", ())),
                titles=tuple(sorted(origin.get("titles", {}).items())),
            )
        )
    declared = {r.path for r in resources}
    for file in sorted(folder.iterdir()):
        if file.is_file() and file.name not in IGNORED and file not in declared:
            raise _error(
                path,
                "resources",
                f"{file.name} is in {folder.name}/ but not declared: add a resource",
            )
    approval = _verification(path, "approval", raw.get("approval"))
    year_tables = {
        item["name"]: (item["schema"], tuple(item.get("rules", ())))
        for item in raw.get("yearTables", ())
    }
    return Descriptor(
        path=path, resources=tuple(resources), approval=approval, year_tables=year_tables
    )


def _absent(folder: Path, name: str) -> str:
    """A declared file that is not there, and the file that is, named in another case."""
    near = [p.name for p in sorted(folder.iterdir()) if p.name.lower() == name.lower()]
    if near:
        return (
            f"{name!r} is not in {folder.name}/, but {near[0]!r} is (names are case-sensitive): "
            f"rename the file {name}"
        )
    return f"{name!r} is not in {folder.name}/"
