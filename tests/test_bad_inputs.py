"""Bad input gets one clear message naming the file, the row and the column, and nothing else."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_YEAR, built_fixture_project
from impactreport.cli import app
from impactreport.errors import DataError
from impactreport.paths import Project
from impactreport.pipeline import compute


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture changed: {old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def columns(name: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    """Change every line of a CSV file the same way (drop or add a column)."""

    def apply(folder: Path) -> None:
        path = folder / name
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(change(line) for line in lines) + "\n", encoding="utf-8")

    return apply


def write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(content)


def to_excel(name: str, mutate: Callable | None = None) -> Callable[[Path], None]:
    """Replace ``name.csv`` by an .xlsx export, optionally spoiled by ``mutate(sheet)``."""

    def apply(folder: Path) -> None:
        from openpyxl import Workbook

        frame = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        (folder / f"{name}.csv").unlink()
        book = Workbook()
        sheet = book.active
        sheet.title = name
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append(list(row))
        if mutate:
            mutate(book, sheet)
        book.save(folder / f"{name}.xlsx")

    return apply


def merged_header(book, sheet) -> None:
    sheet.insert_rows(1)
    sheet["A1"] = "Export HR"
    sheet.merge_cells("A1:C1")


def formula(book, sheet) -> None:
    sheet["H3"] = "=H2*2"


def truncated_parquet(folder: Path) -> None:
    frame = pd.read_csv(folder / "persons.csv")
    (folder / "persons.csv").unlink()
    frame.to_parquet(folder / "persons.parquet")
    data = (folder / "persons.parquet").read_bytes()
    (folder / "persons.parquet").write_bytes(data[: len(data) // 2])


def wrong_year_folder(folder: Path) -> None:
    """The 2031 files dropped into the folder of 2030."""
    target = folder.parent / str(FIXTURE_YEAR - 1)
    shutil.copytree(folder, target)


def also_xlsx(folder: Path) -> None:
    shutil.copyfile(folder / "persons.csv", folder / "persons.xlsx")


Y = FIXTURE_YEAR
CASES = {
    "missing column": (
        columns("contracts.csv", lambda line: line.rsplit(",", 1)[0]),
        "contracts.csv",
        None,
        "declared_hours",
        "missing column",
    ),
    "extra column": (
        columns("persons.csv", lambda line: line + (",age" if "gender" in line else ",40")),
        "persons.csv",
        None,
        "age",
        "unexpected column",
    ),
    "word in a number column": (
        edit("contracts.csv", ",250,1900", ",many,1900"),
        "contracts.csv",
        4,
        "declared_days",
        "not a number",
    ),
    "negative count": (
        edit("contracts.csv", ",250,1900", ",-250,1900"),
        "contracts.csv",
        4,
        "declared_days",
        "0 or more",
    ),
    "duplicate person id": (
        edit("persons.csv", "P4,M", "P3,M"),
        "persons.csv",
        5,
        "person_id",
        "duplicate 'P3'",
    ),
    "duplicate contract id": (
        edit("contracts.csv", "C2,", "C1,"),
        "contracts.csv",
        3,
        "contract_id",
        "duplicate 'C1'",
    ),
    "date outside the year": (
        edit("contracts.csv", f"{Y}-03-08", f"{Y - 1}-12-30"),
        "contracts.csv",
        3,
        "start_date",
        f"inside the financial year {Y}",
    ),
    "pay month outside the year": (
        edit("pay.csv", f"P4,{Y}-02-01", f"P4,{Y + 1}-02-01"),
        "pay.csv",
        5,
        "month",
        f"inside the financial year {Y}",
    ),
    "date not ISO": (
        edit("contracts.csv", f"{Y}-03-01,{Y}-03-01", f"01/03/{Y},{Y}-03-01"),
        "contracts.csv",
        2,
        "start_date",
        "YYYY-MM-DD",
    ),
    "unknown team": (
        edit("contracts.csv", "P3,support", "P3,staff"),
        "contracts.csv",
        5,
        "team",
        "one of member, support",
    ),
    "unknown gender": (
        edit("persons.csv", "P2,M", "P2,Q"),
        "persons.csv",
        3,
        "gender",
        "one of F, M, X",
    ),
    "unknown contract type": (
        edit(
            "contracts.csv",
            f"open-ended,full-time,{Y}-01-01,,250",
            f"permanent,full-time,{Y}-01-01,,250",
        ),
        "contracts.csv",
        4,
        "contract_type",
        "one of open-ended, fixed-term",
    ),
    "decimal comma": (
        edit("facts.csv", "training.support_hours,1946.5", 'training.support_hours,"1946,5"'),
        "facts.csv",
        None,
        "value",
        "decimal comma",
    ),
    "decimal comma in hours": (
        edit("contracts.csv", ",6.5", ',"6,5"'),
        "contracts.csv",
        2,
        "declared_hours",
        "decimal comma",
    ),
    "thousands separator": (
        edit("contracts.csv", ",250,1900", ',250,"1.900"'),
        "contracts.csv",
        4,
        "declared_hours",
        "thousands separator",
    ),
    "thousands separator in a count": (
        edit("facts.csv", "payments.reminders,34945", "payments.reminders,34.945"),
        "facts.csv",
        None,
        "value",
        "thousands separator",
    ),
    "empty file": (write("pay.csv", b""), "pay.csv", None, None, "empty"),
    "header only": (
        write("pay.csv", b"person_id,month,team,gross_wage,benefits\n"),
        "pay.csv",
        None,
        None,
        "no data rows",
    ),
    "not UTF-8": (
        write("persons.csv", "person_id,gender\nPé1,F\n".encode("latin-1")),
        "persons.csv",
        None,
        None,
        "not UTF-8",
    ),
    "semicolons with a byte-order mark": (
        write("persons.csv", "\ufeffperson_id;gender\nP1;F\n".encode()),
        "persons.csv",
        1,
        None,
        "semicolons",
    ),
    "row with an extra field": (
        edit("persons.csv", "P2,M", "P2,M,x"),
        "persons.csv",
        3,
        None,
        "3 fields where the header has 2",
    ),
    "empty required cell": (edit("pay.csv", "P2,", ","), "pay.csv", 3, "person_id", "empty"),
    "unknown person": (
        edit("contracts.csv", "C5,P4", "C5,P9"),
        "contracts.csv",
        6,
        "person_id",
        "'P9' is unknown",
    ),
    "fixed term without end": (
        edit("contracts.csv", f"{Y}-03-01,{Y}-03-01", f"{Y}-03-01,"),
        "contracts.csv",
        2,
        "end_date",
        "fixed-term contract needs an end_date",
    ),
    "ends before it starts": (
        edit("contracts.csv", f"{Y}-03-08,{Y}-03-09", f"{Y}-03-08,{Y}-03-07"),
        "contracts.csv",
        3,
        "end_date",
        "ends before it starts",
    ),
    "more days than the contract lasts": (
        edit("contracts.csv", ",2,14", ",5,14"),
        "contracts.csv",
        3,
        "declared_days",
        "5 days declared on a contract of 2 calendar days",
    ),
    "unknown fact id": (
        edit("facts.csv", "activity.offices,", "activity.branches,"),
        "facts.csv",
        3,
        "id",
        "unknown fact id 'activity.branches'",
    ),
    "missing fact": (
        edit("facts.csv", "cineclub.screenings,10,count,,document,Cine-club programme 2024\n", ""),
        "facts.csv",
        None,
        None,
        "missing fact 'cineclub.screenings'",
    ),
    "duplicate fact": (
        edit(
            "facts.csv",
            "activity.offices,8,",
            "activity.offices,8,count,,system,x\nactivity.offices,8,",
        ),
        "facts.csv",
        4,
        "id",
        "duplicate 'activity.offices'",
    ),
    "unit does not match the id": (
        edit("facts.csv", "loans.amount_year,236510,EUR", "loans.amount_year,236510,count"),
        "facts.csv",
        None,
        "unit",
        "expected 'EUR'",
    ),
    "unknown unit": (
        edit("facts.csv", "site.area,4800,m2", "site.area,4800,sqm"),
        "facts.csv",
        None,
        "unit",
        "one of count",
    ),
    "unknown qualifier": (
        edit("facts.csv", "smartlabs.groups,10,count,about", "smartlabs.groups,10,count,roughly"),
        "facts.csv",
        None,
        "qualifier",
        "one of",
    ),
    "fractional count": (
        edit("facts.csv", "activity.offices,8,", "activity.offices,8.5,"),
        "facts.csv",
        3,
        "value",
        "not a whole number",
    ),
    "Excel merged header": (
        to_excel("contracts", merged_header),
        "contracts.xlsx",
        None,
        None,
        "merged cells",
    ),
    "Excel formula": (to_excel("contracts", formula), "contracts.xlsx", 3, None, "formula"),
    "Excel bad cell": (
        to_excel("pay", lambda b, s: s.__setitem__("D3", "2.500,00")),
        "pay.xlsx",
        3,
        "gross_wage",
        "thousands separator",
    ),
    "truncated Parquet": (
        truncated_parquet,
        "persons.parquet",
        None,
        None,
        "not a readable Parquet file",
    ),
    "same input twice": (also_xlsx, "persons.csv", None, None, "describe the same input"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_named_precisely(mini_project: Project, case: str) -> None:
    mutate, file_name, row, column, expected = CASES[case]
    folder = mini_project.year_data(FIXTURE_YEAR)
    mutate(folder)
    with pytest.raises(DataError) as caught:
        compute.validate(mini_project, FIXTURE_YEAR)
    message = str(caught.value)
    assert file_name in message
    assert expected in message
    if row is not None:
        assert f"row {row}" in message
    if column is not None:
        assert f"column {column!r}" in message


def test_wrong_year_folder(mini_project: Project) -> None:
    wrong_year_folder(mini_project.year_data(FIXTURE_YEAR))
    with pytest.raises(DataError, match=f"inside the financial year {FIXTURE_YEAR - 1}"):
        compute.validate(mini_project, FIXTURE_YEAR - 1)


def test_excel_export_is_accepted(mini_project: Project) -> None:
    folder = mini_project.year_data(FIXTURE_YEAR)
    for name in ("contracts", "pay", "facts"):
        to_excel(name)(folder)
    inputs = compute.validate(mini_project, FIXTURE_YEAR)
    assert len(inputs.contracts) == 5
    assert inputs.contracts["declared_hours"].sum() == pytest.approx(3972.5)


def test_cli_check_prints_one_line_and_fails(mini_project: Project, monkeypatch) -> None:
    edit("contracts.csv", ",250,1900", ",-250,1900")(mini_project.year_data(FIXTURE_YEAR))
    monkeypatch.chdir(mini_project.root)
    result = CliRunner().invoke(app, ["check", "--year", str(FIXTURE_YEAR)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "contracts.csv, row 4, column 'declared_days'" in " ".join(result.output.split())


def test_unknown_year_lists_the_years(mini_project: Project, monkeypatch) -> None:
    monkeypatch.chdir(mini_project.root)
    result = CliRunner().invoke(app, ["check", "--year", "1999"])
    assert result.exit_code == 2
    assert f"years with data: {FIXTURE_YEAR}" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_excel_named_sheet_is_read_beside_other_sheets(mini_project: Project) -> None:
    folder = mini_project.year_data(FIXTURE_YEAR)

    def notes_first(book, sheet) -> None:
        notes = book.create_sheet("Toelichting", 0)  # a first sheet an analyst added
        notes["A1"] = "Export van het loonsysteem"

    to_excel("contracts", notes_first)(folder)
    inputs = compute.validate(mini_project, FIXTURE_YEAR)
    assert len(inputs.contracts) == 5
    to_excel("pay", lambda book, sheet: sheet.__setitem__("D3", "x"))(folder)
    with pytest.raises(DataError, match=r"pay.xlsx, sheet 'pay', row 3, column 'gross_wage'"):
        compute.validate(mini_project, FIXTURE_YEAR)


@pytest.fixture(scope="module")
def published_project(tmp_path_factory) -> Project:
    return built_fixture_project(tmp_path_factory, "bad-inputs")


def publication(project: Project) -> dict[str, bytes]:
    folder = project.output / str(FIXTURE_YEAR)
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_stops_the_build_and_keeps_the_publication(
    published_project: Project, case: str, tmp_path: Path, monkeypatch
) -> None:
    mutate, file_name, row, column, expected = CASES[case]
    folder = published_project.year_data(FIXTURE_YEAR)
    saved = tmp_path / "saved"
    shutil.copytree(folder, saved)
    before = publication(published_project)
    mutate(folder)
    monkeypatch.chdir(published_project.root)
    try:
        result = CliRunner().invoke(app, ["build", "--year", str(FIXTURE_YEAR)])
    finally:
        shutil.rmtree(folder)
        shutil.copytree(saved, folder)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code == 2
    assert (
        len(errors) == 1 and file_name in errors[0] and expected in " ".join(result.output.split())
    )
    assert "Traceback" not in result.output
    assert publication(published_project) == before
