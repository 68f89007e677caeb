"""A table the package has never seen, declared only in a data package: validated by the door with
file, row and column, and read by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURE_YEAR
from impactreport.commands import newyear
from impactreport.errors import DataError
from impactreport.inputs import door
from impactreport.paths import Project

LOANS = """loan_id,person_id,kind,granted_on,amount
L1,P1,interest-free,{y}-02-03,2500
L2,P3,interest-free,{y}-05-20,4000
L3,P3,guarantee,{y}-11-30,1200
"""

SCHEMA = {
    "fields": [
        {"name": "loan_id", "type": "string", "constraints": {"pattern": "L[0-9]+"}},
        {"name": "person_id", "type": "string", "constraints": {"required": True}},
        {
            "name": "kind",
            "type": "string",
            "constraints": {"required": True, "enum": ["interest-free", "guarantee"]},
        },
        {"name": "granted_on", "type": "date", "constraints": {"required": True}, "inYear": True},
        {"name": "amount", "type": "integer", "constraints": {"minimum": 1, "maximum": 25000}},
    ],
    "primaryKey": "loan_id",
    "foreignKeys": [
        {"fields": "person_id", "reference": {"resource": "persons", "fields": "person_id"}}
    ],
}


def declare_loans(project: Project, schema: dict = SCHEMA) -> Path:
    """prets.csv beside the year's other files, and a descriptor declaring every file: the
    loans register with its Table Schema, the others by their origin."""
    folder = project.year_data(FIXTURE_YEAR)
    (folder / "prets.csv").write_text(LOANS.format(y=FIXTURE_YEAR), encoding="utf-8")
    resources = [
        {"name": p.stem, "path": p.name, "origin": {"kind": "definition"}}
        for p in sorted(folder.iterdir())
    ]
    for resource in resources:
        if resource["name"] == "prets":
            resource["schema"] = schema
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}), "utf-8")
    return folder


def refusal(project: Project) -> str:
    with pytest.raises(DataError) as caught:
        door.validate(project, FIXTURE_YEAR)
    return str(caught.value)


def test_a_declared_table_is_validated_typed_and_read_by_name(mini_project: Project) -> None:
    declare_loans(mini_project)
    loans = door.validate(mini_project, FIXTURE_YEAR).table("prets")
    assert list(loans["amount"]) == [2500, 4000, 1200] and loans["amount"].dtype == "Int64"
    assert str(loans["granted_on"].dtype).startswith("datetime64")
    door.admit(mini_project, FIXTURE_YEAR)
    admitted = door.read(mini_project, FIXTURE_YEAR)
    assert admitted.table("prets")["amount"].sum() == 7700
    assert admitted.prets["kind"].tolist() == ["interest-free", "interest-free", "guarantee"]
    assert admitted.files["prets"] == f"data/{FIXTURE_YEAR}/prets.csv"


@pytest.mark.parametrize(
    "old, new, row, column, expected",
    [
        (",2500", ",2.500", 2, "amount", "thousands separator"),
        ("guarantee", "gift", 4, "kind", "expected one of interest-free, guarantee"),
        (
            "L2,P3",
            "L2,P9",
            3,
            "person_id",
            "'P9' is unknown: expected a person_id listed in persons",
        ),
        ("L3,", "L1,", 4, "loan_id", "duplicate 'L1' (first on row 2)"),
        (",4000", ",40000", 3, "amount", "expected 25000 or less"),
        (f"{FIXTURE_YEAR}-05-20", f"{FIXTURE_YEAR + 1}-05-20", 3, "granted_on", "financial year"),
        ("L2,P3,interest-free,", "L2,P3,,", 3, "kind", "empty"),
        ("L3,", "L3b,", 4, "loan_id", "'L3b' is not allowed: expected text matching L[0-9]+"),
        ("L3,", ",", 4, "loan_id", "empty"),
    ],
    ids=[
        "type",
        "enum",
        "foreign key",
        "primary key",
        "maximum",
        "in year",
        "required",
        "pattern matches the whole value",
        "a key is required",
    ],
)
def test_a_broken_row_of_a_declared_table_is_named(
    mini_project: Project, old: str, new: str, row: int, column: str, expected: str
) -> None:
    folder = declare_loans(mini_project)
    path = folder / "prets.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    message = refusal(mini_project)
    assert "prets.csv" in message and expected in message
    assert f"row {row}" in message and f"column {column!r}" in message


def test_a_table_declared_nowhere_is_refused_not_skipped(mini_project: Project) -> None:
    folder = mini_project.year_data(FIXTURE_YEAR)
    (folder / "prets.csv").write_text(LOANS.format(y=FIXTURE_YEAR), encoding="utf-8")
    message = refusal(mini_project)
    assert "prets.csv: no schema declares prets.csv" in message


def test_a_declared_schema_names_its_own_mistakes(mini_project: Project) -> None:
    schema = {**SCHEMA, "primaryKey": "number"}
    declare_loans(mini_project, schema)
    assert "resource prets: 'number' is not one of its fields" in refusal(mini_project)


def test_a_reference_table_is_validated_and_read_by_name(mini_project: Project) -> None:
    reference = mini_project.reference
    (reference / "offices.csv").write_text("office,opened\nBrussel,1998\nLiège,x\n", "utf-8")
    package = json.loads((reference / "datapackage.json").read_text(encoding="utf-8"))
    fields = [
        {"name": "office", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "opened", "type": "integer", "constraints": {"minimum": 1900}},
    ]
    package["resources"].append(
        {
            "name": "offices",
            "path": "offices.csv",
            "origin": {"kind": "definition"},
            "schema": {"fields": fields},
        }
    )
    (reference / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    message = refusal(mini_project)
    assert "offices.csv, row 3" in message and "column 'opened'" in message
    (reference / "offices.csv").write_text("office,opened\nBrussel,1998\nLiège,2004\n", "utf-8")
    offices = door.validate(mini_project, FIXTURE_YEAR).table("offices")
    assert offices["opened"].tolist() == [1998, 2004]


def test_new_year_carries_a_declared_schema_forward(mini_project: Project) -> None:
    declare_loans(mini_project)
    newyear.new_year(mini_project, FIXTURE_YEAR + 1)
    folder = mini_project.year_data(FIXTURE_YEAR + 1)
    package = json.loads((folder / newyear.DESCRIPTOR).read_text(encoding="utf-8"))
    loans = next(r for r in package["resources"] if r["name"] == "prets")
    assert loans["schema"] == SCHEMA
    header = (folder / "prets.csv").read_text(encoding="utf-8").splitlines()
    assert header == ["loan_id,person_id,kind,granted_on,amount"]
    # the payroll's schema is declared once for every year: its resources carry none
    pay = next(r for r in package["resources"] if r["name"] == "pay")
    assert "schema" not in pay
