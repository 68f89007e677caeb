"""A year's computed results as a data package of their own: the one contract between compute
and publishing.

``_build/<year>/compute/datapackage.json`` names every file publishing reads, each table with its
Table Schema (Frictionless): the indicators with their lineage, the conditions with ``met`` a
boolean and the kind of evidence, the history, the changes, the publications, and the figures
with their alt text and whether they rest on synthetic input. Beside them: the reference data
the editions print (a copy, with its own descriptor) and the edition's status (draft or final,
and its dates). Compute writes the package and checks it before the build is swapped in;
publishing opens it with ``Results`` and reads nothing else of the year, never ``data/``.
"""

from __future__ import annotations

import csv
import json
import shutil
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from impactreport.errors import DataError
from impactreport.yamlfile import load_yaml

if TYPE_CHECKING:
    import pandas as pd

    from impactreport.inputs.load import Reference

NAME = "datapackage.json"
STATUS = "status.json"
INPUTS = "inputs.json"  # the project files the notebooks read, with their digests
REFERENCE = "reference"
FIGURES = "figures"
OPEN_DATA = "data"  # _output/<year>/data/: the published figures, beside the editions
OPEN_DATA_BUILD = "open-data"  # where compute leaves them, in the results folder
# the reference data as the door validated it: the catalogue and the conditions, written from
# their checked tables whatever their format, and the organisation with its logo
CATALOGUE, CONDITIONS, ORGANISATION = "indicators.csv", "conditions.csv", "organisation.yml"

_TEXT, _NUMBER, _INTEGER, _BOOLEAN = "string", "number", "integer", "boolean"
# Frictionless spells the booleans as pandas writes them
_TRUE, _FALSE = ["True", "true"], ["False", "false"]


def _field(name: str, kind: str = _TEXT, required: bool = False, **more) -> dict:
    field = {"name": name, "type": kind, **more}
    if required:
        field["constraints"] = {"required": True}
    if kind == _BOOLEAN:
        field |= {"trueValues": _TRUE, "falseValues": _FALSE}
    return field


LINEAGE = [
    _field("files", description="the input files the value rests on, ';'-separated"),
    _field("origin", description="where those files come from, per the year's descriptor"),
    _field("verified", description="who checked it and when; empty: nobody yet"),
    _field("synthetic", enum=["yes", ""], description="'yes': rests on synthetic input"),
]
TABLES: dict[str, tuple[str, str, list[dict]]] = {
    "indicators": (
        "indicators.csv",
        "every published value, with its lineage",
        [
            _field("id", required=True),
            _field("year", _INTEGER, required=True),
            _field("value", _NUMBER, required=True),
            _field("unit", required=True),
            _field("qualifier"),
            _field("source"),
            *LINEAGE,
        ],
    ),
    "conditions": (
        "tables/conditions.csv",
        "the accreditation conditions (KB 28 June 2019, art. 8:5 WVV), each with its verdict",
        [
            _field("condition", _INTEGER, required=True),
            _field("topic", required=True),
            _field("statutes_articles"),
            _field("amended_by"),
            _field("law", required=True),
            _field(
                "evidence",
                required=True,
                description="the kind of evidence: statutes, report, rule (the year's facts) or unevidenced",
            ),
            _field("left_id"),
            _field("left_value", _NUMBER),
            _field("right_id"),
            _field("right_value", _NUMBER),
            _field(
                "met",
                _BOOLEAN,
                description="empty: no verdict, the year declares no evidence (unevidenced); "
                "for evidence 'report', each edition says 'in preparation' while its narrative "
                "still has passages to write",
            ),
            _field("shown"),
        ],
    ),
    "history": (
        "tables/history.csv",
        "the trend indicators of this year and the earlier years with data",
        [
            _field("year", _INTEGER, required=True),
            _field("id", required=True),
            _field("value", _NUMBER, required=True),
            _field("unit", required=True),
        ],
    ),
    "changes": (
        "tables/changes.csv",
        "each trend indicator's change since the previous year",
        [
            _field("id", required=True),
            _field("previous_year", _INTEGER, required=True),
            _field("change", _NUMBER, required=True),
        ],
    ),
    "publications": (
        "tables/publications.csv",
        "the publications the organisation supported in the year",
        [_field("title", required=True), _field("authors", required=True)],
    ),
    "figures": (
        "figures.csv",
        "every figure of every edition, with its alt text and whether it rests on synthetic input",
        [
            _field("id", required=True),
            _field("lang", required=True),
            _field("path", required=True, description="the drawing for the page (SVG)"),
            _field("png", required=True, description="the same drawing in pixels (Word)"),
            _field("narrow", description="the drawing for phones (SVG), when there is one"),
            _field("meta", required=True, description="its caption, alt text and indicators"),
            _field("caption", required=True),
            _field("alt", required=True),
            _field("drawn_from", description="the indicators it shows, ';'-separated"),
            _field("synthetic", _BOOLEAN, required=True),
        ],
    ),
}


def figure_rows(folder: Path, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per figure the notebooks drew, per language, from its metadata."""
    import pandas as pd

    synthetic = set(indicators.loc[indicators["synthetic"] == "yes", "id"])
    rows = []
    for meta_path in sorted((folder / FIGURES).glob("*/fig-*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        drawn = list(meta.get("drawn_from", []))
        narrow = meta_path.with_suffix(".narrow.svg")
        rows.append(
            {
                "id": meta["id"],
                "lang": meta_path.parent.name,
                "path": str(meta_path.with_suffix(".svg").relative_to(folder)),
                "png": str(meta_path.with_suffix(".png").relative_to(folder)),
                "narrow": str(narrow.relative_to(folder)) if narrow.is_file() else "",
                "meta": str(meta_path.relative_to(folder)),
                "caption": meta.get("caption", ""),
                "alt": meta.get("alt", ""),
                "drawn_from": ";".join(drawn),
                "synthetic": bool(set(drawn) & synthetic),
            }
        )
    return pd.DataFrame(rows, columns=[f["name"] for f in TABLES["figures"][2]])


def write(folder: Path, year: int, reference: Reference, status: dict) -> None:
    """Complete the results in ``folder`` (the notebooks' outputs and the indicators are there):
    the figures' table, the reference data and the status; then declare them all and check."""
    import pandas as pd

    indicators = pd.read_csv(folder / "indicators.csv", keep_default_na=False)
    figure_rows(folder, indicators).to_csv(
        folder / TABLES["figures"][0], index=False, lineterminator="\n"
    )
    copied = folder / REFERENCE
    copied.mkdir()
    reference.catalogue.to_csv(copied / CATALOGUE, index=False, lineterminator="\n")
    reference.conditions.to_csv(copied / CONDITIONS, index=False, lineterminator="\n")
    logo = reference.organisation.get("logo")
    for name in (ORGANISATION, *([str(logo)] if logo else [])):
        shutil.copyfile(reference.folder / name, copied / name)
    (folder / STATUS).write_text(json.dumps(status, indent=1, sort_keys=True), encoding="utf-8")
    (folder / NAME).write_text(
        json.dumps(descriptor(folder, year), indent=1, ensure_ascii=False), encoding="utf-8"
    )
    check(folder)
    # the published figures, made here where pandas is loaded anyway: publishing only copies them
    (folder / OPEN_DATA_BUILD).mkdir()
    open_data(Results(folder), folder / OPEN_DATA_BUILD)


def descriptor(folder: Path, year: int) -> dict:
    import pandas as pd

    resources = []
    for name, (path, title, fields) in TABLES.items():
        if not (folder / path).is_file():
            continue
        header = list(pd.read_csv(folder / path, nrows=0).columns)
        # columns beyond the declared ones (each language's explanation) are text
        declared = {f["name"] for f in fields}
        extra = [_field(column) for column in header if column not in declared]
        resources.append(
            {
                "name": name,
                "path": path,
                "title": title,
                "format": "csv",
                "schema": {"fields": [*fields, *extra], "missingValues": [""]},
            }
        )
    for path, name, title in (
        (STATUS, "status", "draft or final, why, and the dates the year's inputs declare"),
        (INPUTS, "inputs", "the project files the notebooks read, with their digests"),
    ):
        if (folder / path).is_file():
            resources.append({"name": name, "path": path, "title": title, "format": "json"})
    named = {
        CATALOGUE: "catalogue",
        CONDITIONS: "condition-definitions",
        ORGANISATION: "organisation",
    }
    for file in sorted((folder / REFERENCE).iterdir()):
        resources.append(
            {
                "name": named.get(file.name, "logo"),
                "path": f"{REFERENCE}/{file.name}",
                "title": "reference data the editions print, as the data door validated it",
            }
        )
    return {
        "name": f"computed-results-{year}",
        "title": f"Computed results {year}",
        "resources": resources,
    }


def check(folder: Path) -> None:
    """Every declared file is there, and every table holds its declared columns and types."""
    found = json.loads((folder / NAME).read_text(encoding="utf-8"))
    for resource in found["resources"]:
        path = folder / resource["path"]
        if not path.is_file():
            raise DataError(path, f"declared in {NAME} as {resource['name']!r} but not written")
        if "schema" in resource:
            _typed(path, resource["schema"]["fields"])


def _typed(path: Path, fields: list[dict]) -> pd.DataFrame:
    """The table read with its declared types; one line naming the row and column otherwise."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    names = [f["name"] for f in fields]
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise DataError(path, f"column {missing[0]}: missing (declared in {NAME})")
    for field in fields:
        column = frame[field["name"]]
        required = field.get("constraints", {}).get("required", False)
        empty = column == ""
        if required and empty.any():
            row = int(empty.idxmax()) + 2
            raise DataError(path, f"row {row}, column {field['name']}: empty, a value is required")
        kind = field["type"]
        if kind == _BOOLEAN:
            bad = ~column.isin([*_TRUE, *_FALSE]) & ~empty
            # empty: no value (a condition with no verdict)
            frame[field["name"]] = column.isin(_TRUE).astype("boolean").mask(empty)
        elif kind in (_NUMBER, _INTEGER):
            numbers = pd.to_numeric(column.where(~empty), errors="coerce")
            bad = numbers.isna() & ~empty
            if kind == _INTEGER:
                bad |= ~empty & (numbers % 1 != 0)
            frame[field["name"]] = numbers
        elif "enum" in field:
            bad = ~column.isin(field["enum"])
        else:
            continue
        if bad.any():
            row = int(bad.idxmax()) + 2
            raise DataError(
                path,
                f"row {row}, column {field['name']}: {column[bad.idxmax()]!r} is not a {kind}"
                + (f" of {field['enum']}" if "enum" in field else ""),
            )
    return frame


def is_true(text: str) -> bool:
    """A boolean cell of the package, as its schema spells it."""
    return text in _TRUE


class Results:
    """A computed year, as publishing reads it: only what the package names."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            found = json.loads((folder / NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise DataError(
                folder / NAME, "missing or unreadable: compute the year again"
            ) from None
        self.resources = {r["name"]: r for r in found["resources"]}

    def path(self, name: str) -> Path:
        return self.folder / self.resources[name]["path"]

    def files(self) -> list[Path]:
        """Every file the package names, itself included, and the figures' drawings: what an
        edition is made from."""
        with self.path("figures").open(encoding="utf-8", newline="") as handle:
            drawings = [
                self.folder / row[column]
                for row in csv.DictReader(handle)
                for column in ("path", "png", "narrow", "meta")
                if row[column]
            ]
        return [self.folder / NAME, *(self.path(name) for name in self.resources), *drawings]

    def table(self, name: str) -> pd.DataFrame:
        """A table with its declared types (``met`` a boolean, values numbers)."""
        return _typed(self.path(name), self.resources[name]["schema"]["fields"])

    @cached_property
    def indicators(self) -> pd.DataFrame:
        # as the indicators module reads it: numbers typed, text kept as written
        import pandas as pd

        return pd.read_csv(self.path("indicators"), keep_default_na=False)

    @cached_property
    def status(self) -> dict:
        return json.loads(self.path("status").read_text(encoding="utf-8"))

    def figures(self, lang: str) -> pd.DataFrame:
        table = self.table("figures")
        return table[table["lang"] == lang].sort_values("meta")

    @cached_property
    def reference(self) -> Reference:
        """The reference data the editions print, as the door validated it."""
        import pandas as pd

        from impactreport.inputs.load import Reference

        folder = self.folder / REFERENCE

        def table(name: str) -> pd.DataFrame:
            return pd.read_csv(folder / name, dtype=str, keep_default_na=False)

        return Reference(
            catalogue=table(CATALOGUE),
            conditions=table(CONDITIONS),
            organisation=load_yaml(folder / ORGANISATION),
            folder=folder,
        )


_DRAWINGS = ("path", "png", "narrow", "meta")  # where the build keeps them: not published


def open_data(computed: Results, target: Path) -> list[Path]:
    """The published figures with their lineage as a flat data package in ``target``, for an
    auditor or the FOD Economie to take the numbers rather than retype them."""
    import pandas as pd

    resources = []
    for name in ("indicators", "conditions", "history", "changes", "publications", "figures"):
        declared = computed.resources.get(name)
        if declared is None:  # a project without that table (no trends notebook: no history)
            continue
        fields = [f for f in declared["schema"]["fields"] if f["name"] not in _DRAWINGS]
        frame = pd.read_csv(computed.path(name), dtype=str, keep_default_na=False)
        frame[[f["name"] for f in fields]].to_csv(
            target / f"{name}.csv", index=False, lineterminator="\n"
        )
        resources.append(
            {**declared, "path": f"{name}.csv", "schema": {**declared["schema"], "fields": fields}}
        )
    found = json.loads((computed.folder / NAME).read_text(encoding="utf-8"))
    package = {"name": found["name"], "title": found["title"], "resources": resources}
    (target / NAME).write_text(json.dumps(package, indent=1, ensure_ascii=False), encoding="utf-8")
    return [target / NAME, *(target / r["path"] for r in resources)]
