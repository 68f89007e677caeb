"""``new-year``: prepare the data folder of a new year and start its narrative from the last one.

The folder holds every input with its columns and no rows, the facts of the previous year by id
with empty values and sources (a number copied by mistake is the error this prevents), and a
descriptor where the analyst declares where each input comes from. It is written beside
``data/`` and renamed into place, so a half-made year folder never stays. The narrative of every
edition gets each year-bound sentence marked for review (see ``review``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from impactreport import config
from impactreport.errors import ConfigError
from impactreport.inputs import declared, schemas
from impactreport.inputs.load import load_facts, load_reference
from impactreport.inputs.tables import present
from impactreport.paths import Project, four_digit_year
from impactreport.publishing import review

DESCRIPTOR = "datapackage.json"
# the package's own inputs of a year, after the project's declared tables
INPUTS = (schemas.FACTS, schemas.PUBLICATIONS)
FRICTIONLESS_TYPES = {"text": "string", "int": "integer", "float": "number", "date": "date"}


@dataclass(frozen=True)
class Input:
    """An input of the new year: its name, its columns and the schema its resource carries
    (``rules`` too); None when the reference declares it for every year."""

    name: str
    columns: list[str]
    schema: dict | None = None
    rules: tuple[dict, ...] = ()


def own_input(schema: schemas.Schema) -> Input:
    """One of the package's inputs, its fields and types written down for the analyst."""
    fields = [{"name": f.name, "type": FRICTIONLESS_TYPES[f.kind]} for f in schema.fields]
    return Input(schema.name, schema.columns, {"fields": fields})


@dataclass
class NewYear:
    year: int
    previous: int
    folder: Path
    facts: int = 0
    inputs: tuple[str, ...] = ()  # the files written, in the order an analyst fills them in
    marked: dict[Path, int] = field(default_factory=dict)  # section file -> sentences marked


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def inputs_like(project: Project, folder: Path) -> tuple[Input, ...]:
    """The inputs a year has when it is like the year in ``folder``: its declared tables (their
    schemas carried forward), the facts, and the publications when that year has them."""
    own = []
    for table in declared.year_tables(folder, project.reference):
        carried = table.declared_in.parent == folder  # the reference declares the others
        own.append(
            Input(
                table.name,
                table.schema.columns,
                table.table_schema if carried else None,
                table.rules if carried else (),
            )
        )
    return (
        *own,
        *(
            own_input(schema)
            for schema in INPUTS
            if schema is schemas.FACTS or present(folder, schema.name)
        ),
    )


def descriptor(year: int, inputs: tuple[Input, ...]) -> dict:
    """A Frictionless data package: each input, its columns, and its origin still to declare
    (``inputs/descriptor.py`` says what an origin holds)."""
    resources = []
    for item in inputs:
        resource: dict = {"name": item.name, "path": f"{item.name}.csv"}
        if item.schema is not None:
            resource["schema"] = item.schema
        if item.rules:
            resource["rules"] = list(item.rules)
        resources.append({**resource, "origin": {"kind": ""}})
    return {
        "name": f"special-report-{year}",
        "title": f"Inputs of the special report, financial year {year}",
        "resources": resources,
    }


def fact_rows(project: Project, previous: int) -> list[list[str]]:
    """Last year's fact ids (and any fact the catalogue added since), with empty values."""
    reference = load_reference(project)
    facts, _ = load_facts(project, previous, reference, complete=False)
    catalogue = reference.catalogue.set_index("id")
    kinds = dict(zip(facts["id"], facts["source_type"], strict=True))
    ids = list(facts["id"]) + sorted(
        set(catalogue.index[catalogue["origin"] == "fact"]) - set(facts["id"])
    )
    known = {"id": None, "unit": None, "source_type": None}
    rows = []
    for fact in ids:
        known.update(id=fact, unit=catalogue.at[fact, "unit"], source_type=kinds.get(fact, ""))
        rows.append([known.get(column) or "" for column in schemas.FACTS.columns])
    return rows


def new_year(project: Project, year: int) -> NewYear:
    folder = project.year_data(year)
    four_digit_year(year)
    if folder.exists():
        raise ConfigError(
            f"data/{year}/ already exists: new-year only prepares a year without a folder "
            f"(check it with `impactreport check --year {year}`)"
        )
    earlier = [y for y in project.years() if y < year]
    if not earlier:
        raise ConfigError(f"no year before {year} has data: new-year starts from the last one")
    result = NewYear(year=year, previous=earlier[-1], folder=folder)
    rows = fact_rows(project, result.previous)
    result.facts = len(rows)
    narrative = marked_narrative(project, since=review.narrative_year(project, year))
    staging = project.data / f".new-{year}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        inputs = inputs_like(project, project.year_data(result.previous))
        result.inputs = tuple(f"{item.name}.csv" for item in inputs)
        for item in inputs:
            body = rows if item.name == schemas.FACTS.name else []
            (staging / f"{item.name}.csv").write_text(
                csv_text(item.columns, body), encoding="utf-8"
            )
        (staging / DESCRIPTOR).write_text(
            json.dumps(descriptor(year, inputs), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for path, (text, count) in narrative.items():
        replace_text(path, text)
        result.marked[path] = count
    return result


def marked_narrative(project: Project, since: int) -> dict[Path, tuple[str, int]]:
    """Each section file naming ``since`` or later (or a claim), marked, before anything is
    written."""
    changed = {}
    for lang in config.languages(project):
        claims = review.claim_words(project, lang)
        for path in review.section_files(project, lang):
            text, count = review.mark(path.read_text(encoding="utf-8"), claims, since)
            if count:
                changed[path] = (text, count)
    return changed


def replace_text(path: Path, text: str) -> None:
    """Write beside the file and rename over it: the file is the old one or the new one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
