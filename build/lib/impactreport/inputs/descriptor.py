"""Where each input comes from: the ``datapackage.json`` beside the data.

A data folder (``data/<year>/``, ``data/reference/``) may hold a Frictionless Data Package
descriptor. The project reads the standard's ``resources[].path`` and adds, per resource, an
``origin`` (``export`` from a named system on a date, ``transcription`` from a named document,
``synthetic`` from a named generator, ``definition`` written by this project) and an optional
``verified`` (by whom, on which date). A year's descriptor may also carry the board's
``approval`` date. The descriptor is checked with a JSON Schema (the ``frictionless`` library
would also validate the tables, which ``inputs/schemas.py`` already does, at many times the
import time).
"""

from __future__ import annotations

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
                },
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
            raise _error(path, f"{field}.path", f"{item['path']!r} is not in {folder.name}/")
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
    return Descriptor(path=path, resources=tuple(resources), approval=approval)
