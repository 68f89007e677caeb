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
from impactreport.inputs import schemas, tables
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


def recode(name: str, encoding: str) -> Callable[[Path], None]:
    """The file saved in another encoding, as "Unicode text" from Excel (no byte-order mark)."""

    def apply(folder: Path) -> None:
        path = folder / name
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return apply


def damaged_xml(folder: Path) -> None:
    """An .xlsx whose sheet XML was cut: the zip is whole, the XML inside is not."""
    import zipfile

    to_excel("persons")(folder)
    path = folder / "persons.xlsx"
    with zipfile.ZipFile(path) as book:
        parts = [(item, book.read(item.filename)) for item in book.infolist()]
    with zipfile.ZipFile(path, "w") as book:
        for item, data in parts:
            cut = item.filename.startswith("xl/worksheets/")
            book.writestr(item, data[: len(data) // 2] if cut else data)


def declared_in_another_case(folder: Path) -> None:
    """The descriptor names publications.csv; the file is publications.CSV."""
    import json

    resources = [
        {"name": p.stem, "path": p.name, "origin": {"kind": "definition"}}
        for p in sorted(folder.iterdir())
    ]
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))
    (folder / "publications.csv").rename(folder / "publications.CSV")


def rename(old: str, new: str) -> Callable[[Path], None]:
    return lambda folder: (folder / old).rename(folder / new)


def cut_by_nul_bytes(folder: Path) -> None:
    """A file whose end was lost while it was written: its last blocks are zeros."""
    path = folder / "publications.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\0" * 512)


def year_folder_with_a_space(folder: Path) -> None:
    folder.rename(folder.with_name(f"{folder.name} "))


def title_row(book, sheet) -> None:
    sheet.insert_rows(1)
    sheet["A1"] = "Loonexport 2031"


def table_on_row_2(book, sheet) -> None:
    sheet.insert_rows(1)


DIVIDEND_CAP = (
    "governance.dividend_cap",
    "percent",
    "",
    "document",
    "Royal decree of 8 January 1962",
)


def percent_cell(book, sheet) -> None:
    """6 typed as ``6%``: Excel stores 0.06 and shows it as a percentage."""
    fact, unit, *rest = DIVIDEND_CAP
    sheet.append([fact, 0.06, unit, *rest])
    sheet.cell(row=sheet.max_row, column=2).number_format = "0%"


def with_dividend_cap(value: str) -> Callable[[Path], None]:
    """The optional fact ``governance.dividend_cap`` added to facts.csv with ``value``."""

    def apply(folder: Path) -> None:
        fact, unit, *rest = DIVIDEND_CAP
        with (folder / "facts.csv").open("a", encoding="utf-8") as facts:
            facts.write(",".join([fact, value, unit, *rest]) + "\n")

    return apply


def to_parquet(name: str, change: Callable) -> Callable[[Path], None]:
    """Replace ``name.csv`` by a Parquet export whose frame ``change`` rewrites."""

    def apply(folder: Path) -> None:
        frame = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        (folder / f"{name}.csv").unlink()
        change(frame).to_parquet(folder / f"{name}.parquet", index=False)

    return apply


def zoned(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as a database writes them: midnight in Brussels, stored in UTC."""
    for column in ("start_date", "end_date"):
        local = pd.to_datetime(frame[column].replace("", None))
        frame[column] = local.dt.tz_localize("Europe/Brussels").dt.tz_convert("UTC")
    frame["declared_days"] = frame["declared_days"].astype(int)
    frame["declared_hours"] = frame["declared_hours"].astype(float)
    return frame


def numeric_csv(folder: Path) -> None:
    """Every number of a NUMERIC column written with its scale: 250.00 days, 6.500 hours."""
    path = folder / "contracts.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["declared_days"] = [f"{int(v)}.00" for v in frame["declared_days"]]
    frame["declared_hours"] = [f"{float(v):.3f}" for v in frame["declared_hours"]]
    frame.to_csv(path, index=False)


def numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as a database NUMERIC column exports them: Decimal values of a fixed scale."""
    from decimal import Decimal

    for column, scale in (("declared_days", "0.00"), ("declared_hours", "0.000")):
        frame[column] = [Decimal(v).quantize(Decimal(scale)) for v in frame[column]]
    return frame


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
        edit(
            "facts.csv",
            'cineclub.screenings,10,count,,document,"Bijzonder verslag 2024, '
            '“Bevorderen van de erkenning van ons sociaal en economisch nut”"\n',
            "",
        ),
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
    "tab-separated file named .csv": (
        columns("persons.csv", lambda line: line.replace(",", "\t")),
        "persons.csv",
        1,
        None,
        "separated by tabs",
    ),
    "header cell with a trailing space": (
        edit("persons.csv", "person_id,gender", "person_id,gender "),
        "persons.csv",
        1,
        "gender",
        "header cell 'gender ' has a stray space: rename it 'gender'",
    ),
    "title line above the header": (
        edit("persons.csv", "person_id,gender", "Export HR 2031\nperson_id,gender"),
        "persons.csv",
        1,
        None,
        "the header is on row 2, below 1 row of other text",
    ),
    "Excel title row above the header": (
        to_excel("contracts", title_row),
        "contracts.xlsx",
        1,
        None,
        "the header is on row 2",
    ),
    "upper-case extension": (
        rename("publications.csv", "publications.CSV"),
        "publications.CSV",
        None,
        None,
        "names are case-sensitive): rename it publications.csv",
    ),
    "year folder with a trailing space": (
        year_folder_with_a_space,
        f"{Y} ",
        None,
        None,
        f"has a stray space: rename it data/{Y}/",
    ),
    "scientific notation": (
        edit("facts.csv", "loans.amount_total,1001063,", "loans.amount_total,1.00E+06,"),
        "facts.csv",
        None,
        "value",
        "scientific notation",
    ),
    "percent sign in a CSV cell": (
        with_dividend_cap("6%"),
        "facts.csv",
        None,
        "value",
        "'6%' has a percent sign",
    ),
    "time of day in a date": (
        edit("contracts.csv", f"{Y}-03-08,{Y}-03-09", f"{Y}-03-08 10:30:00,{Y}-03-09"),
        "contracts.csv",
        3,
        "start_date",
        "holds a time of day",
    ),
    "stray semicolon in an author list": (
        edit("publications.csv", ",Yvon Jadoul", ',"Yvon Jadoul;"'),
        "publications.csv",
        3,
        "authors",
        "lists an empty author (a stray ';')",
    ),
    "explanations without a language column": (
        write("explanations.csv", b'condition,explanation\n3,"Eenmalige uitkering."\n'),
        "explanations.csv",
        None,
        "lang",
        "no column 'lang': the report is published in nl, fr",
    ),
    "explanation in an unknown language": (
        write(
            "explanations.csv",
            b"condition,lang,explanation\n3,nl,Eenmalig.\n3,de,Einmalig.\n",
        ),
        "explanations.csv",
        3,
        "lang",
        "'de' is not allowed: expected one of nl, fr",
    ),
    "explanation missing a language": (
        write("explanations.csv", b"condition,lang,explanation\n3,nl,Eenmalig.\n"),
        "explanations.csv",
        None,
        None,
        "condition 3 has no explanation in fr",
    ),
    "explanation twice in one language": (
        write(
            "explanations.csv",
            b"condition,lang,explanation\n3,nl,Eenmalig.\n3,fr,Unique.\n3,nl,Nog eens.\n",
        ),
        "explanations.csv",
        4,
        "lang",
        "condition 3 is explained twice in nl",
    ),
    "file cut by NUL bytes": (cut_by_nul_bytes, "publications.csv", None, None, "NUL bytes"),
    "a title line above the header": (
        lambda folder: (folder / "facts.csv").write_text(
            "Facts of the year\n" + (folder / "facts.csv").read_text(encoding="utf-8"),
            encoding="utf-8",
        ),
        "facts.csv",
        1,
        None,
        "the header is on row 2, below 1 row of other text (a title?)",
    ),
    "UTF-16 with tabs names its encoding": (
        write("persons.csv", "person_id\tgender\nP1\tF\n".encode("utf-16")),
        "persons.csv",
        1,
        None,
        "the file is UTF-16 text and its columns are separated by tabs",
    ),
    "xlsx whose XML is damaged": (
        damaged_xml,
        "persons.xlsx",
        None,
        None,
        "the XML inside it is damaged (",
    ),
    "a declared file named in another case": (
        declared_in_another_case,
        "datapackage.json",
        None,
        None,
        "'publications.csv' is not in 2031/, but 'publications.CSV' is",
    ),
    "a pay month not written as its first day": (
        edit("pay.csv", f"P4,{Y}-02-01", f"P4,{Y}-02-15"),
        "pay.csv",
        5,
        "month",
        "not the first day of its month",
    ),
    "a pay export without one team": (
        edit("pay.csv", f"P3,{Y}-01-01,support", f"P3,{Y}-01-01,member"),
        "pay.csv",
        None,
        "team",
        "no row with team 'support'",
    ),
    "more hours than 24 per declared day": (
        edit("contracts.csv", ",2,14", ",2,49"),
        "contracts.csv",
        3,
        "declared_hours",
        "more than 24 hours per declared day",
    ),
    "a declared total the records do not give": (
        lambda folder: (
            (folder / "facts.csv")
            .open("a", encoding="utf-8")
            .write("workforce.contracts,6,count,,document,Social balance sheet\n")
        ),
        "contracts.csv",
        None,
        None,
        "rows give workforce.contracts = 5, while facts.csv row",
    ),
    "row numbers after a line break inside quotes": (
        edit("publications.csv", ",Yvon Jadoul", ',"Yvon\nJadoul"\n"x",'),
        "publications.csv",
        4,
        "authors",
        "row 4 (line 5)",
    ),
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


def _read_with(reader: Callable, path: Path) -> pd.DataFrame | str | None:
    """What one CSV reader makes of ``path``: its frame, its one-line refusal, or None."""
    try:
        table = reader(path, path.read_bytes(), None)
    except DataError as error:
        return str(error)
    return None if table is None else table.frame


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_fast_csv_reader_agrees_with_the_exact_one(mini_project: Project, case: str) -> None:
    """Arrow's reader either gives what the standard library's gives, or hands the file over."""
    folder = mini_project.year_data(FIXTURE_YEAR)
    CASES[case][0](folder)
    for path in sorted(folder.rglob("*.[cC][sS][vV]")):
        fast = _read_with(tables._read_csv_fast, path)
        if fast is None:
            continue
        exact = _read_with(tables._read_csv_exact, path)
        if isinstance(fast, str) or isinstance(exact, str):
            assert fast == exact, path.name
        else:
            pd.testing.assert_frame_equal(fast, exact, check_exact=True)


def test_plain_export_takes_the_fast_reader(mini_project: Project) -> None:
    folder = mini_project.year_data(FIXTURE_YEAR)
    for name in ("persons", "contracts", "pay", "facts", "publications"):
        assert _read_with(tables._read_csv_fast, folder / f"{name}.csv") is not None, name


@pytest.mark.parametrize(
    "mutate",
    [
        edit("publications.csv", ",Yvon Jadoul", ',"Yvon\nJadoul"'),  # a record on two lines
        edit("publications.csv", "\n", "\n\n"),  # a blank line
        edit("publications.csv", "\n", "\r"),  # a line ended by a carriage return alone
        recode("publications.csv", "utf-16-le"),
    ],
    ids=["line break inside quotes", "blank line", "lone carriage return", "UTF-16"],
)
def test_files_whose_rows_are_not_lines_go_to_the_exact_reader(
    mini_project: Project, mutate: Callable[[Path], None]
) -> None:
    """Row numbers of these count records, not lines: only the exact reader knows them."""
    folder = mini_project.year_data(FIXTURE_YEAR)
    mutate(folder)
    assert _read_with(tables._read_csv_fast, folder / "publications.csv") is None


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
        for year_folder in published_project.data.glob(f"{FIXTURE_YEAR}*"):
            shutil.rmtree(year_folder)  # the year's folder, renamed or not
        shutil.copytree(saved, folder)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code == 2
    assert (
        len(errors) == 1 and file_name in errors[0] and expected in " ".join(result.output.split())
    )
    assert "Traceback" not in result.output
    assert publication(published_project) == before


READ_AS_MEANT = {
    # case: (mutate, table, column, row index, the value it means)
    "UTF-16 without byte-order mark": (
        recode("persons.csv", "utf-16-le"),
        "persons",
        "gender",
        1,
        "M",
    ),
    "UTF-16 with byte-order mark": (recode("persons.csv", "utf-16"), "persons", "gender", 1, "M"),
    "float artefact of a 1-decimal value": (
        edit(
            "facts.csv",
            "training.support_hours,1946.5,",
            "training.support_hours,1946.4999999999998,",
        ),
        "facts",
        "value",
        "training.support_hours",
        1946.5,
    ),
    "NUMERIC decimals in CSV": (
        numeric_csv,
        "contracts",
        "declared_days",
        2,
        250,
    ),
    "NUMERIC decimals in Parquet": (
        to_parquet("contracts", numeric),
        "contracts",
        "declared_hours",
        0,
        6.5,
    ),
    "timestamp at 23:59:59 on the last day": (
        edit("contracts.csv", f"{Y}-06-30,60", f"{Y}-06-30 23:59:59,60"),
        "contracts",
        "end_date",
        4,
        pd.Timestamp(f"{Y}-06-30"),
    ),
    "time-zone-aware timestamp in CSV": (
        edit("contracts.csv", f"{Y}-03-08,{Y}-03-09", f"{Y}-03-07T23:00:00Z,{Y}-03-09"),
        "contracts",
        "start_date",
        1,
        pd.Timestamp(f"{Y}-03-08"),
    ),
    "time-zone-aware timestamps in Parquet": (
        to_parquet("contracts", zoned),
        "contracts",
        "start_date",
        1,
        pd.Timestamp(f"{Y}-03-08"),
    ),
    "Excel percent cell": (
        to_excel("facts", percent_cell),
        "facts",
        "value",
        "governance.dividend_cap",
        6.0,
    ),
    "Excel table starting on row 2": (
        to_excel("contracts", table_on_row_2),
        "contracts",
        "declared_hours",
        4,
        228.0,
    ),
    "line break inside quotes": (
        edit("publications.csv", ",Yvon Jadoul", ',"Yvon\nJadoul"'),
        "publications",
        "authors",
        1,
        "Yvon\nJadoul",
    ),
}


@pytest.mark.parametrize("case", READ_AS_MEANT, ids=list(READ_AS_MEANT))
def test_an_honest_other_form_is_read_as_meant(mini_project: Project, case: str) -> None:
    mutate, name, column, where, meant = READ_AS_MEANT[case]
    mutate(mini_project.year_data(FIXTURE_YEAR))
    frame = getattr(compute.validate(mini_project, FIXTURE_YEAR), name)
    if isinstance(where, str):
        frame = frame.set_index("id")
    assert frame.at[where, column] == meant


def test_excel_row_numbers_count_the_rows_above_the_table(mini_project: Project) -> None:
    def late_bad_cell(book, sheet) -> None:
        sheet.insert_rows(1)
        sheet["D4"] = "x"

    to_excel("pay", late_bad_cell)(mini_project.year_data(FIXTURE_YEAR))
    with pytest.raises(DataError, match=r"pay.xlsx, sheet 'pay', row 4, column 'gross_wage'"):
        compute.validate(mini_project, FIXTURE_YEAR)


def test_csv_and_excel_read_a_line_break_alike(mini_project: Project) -> None:
    folder = mini_project.year_data(FIXTURE_YEAR)
    edit("publications.csv", ",Yvon Jadoul", ',"Yvon\nJadoul"')(folder)
    from_csv = compute.validate(mini_project, FIXTURE_YEAR).publications
    to_excel("publications")(folder)
    from_excel = compute.validate(mini_project, FIXTURE_YEAR).publications
    assert from_csv.equals(from_excel)


@pytest.mark.parametrize("pattern", [r"\S", r"^[a-z_]+$"])
def test_a_column_of_few_distinct_values_is_matched_as_value_by_value(pattern: str) -> None:
    """The door matches a team column once per distinct team: the same answer, row by row."""
    column = pd.Series(["member"] * 40 + [" lead", "Support", "", "\x1c"], dtype="str")
    assert len(column.unique()) * 4 < len(column)
    assert schemas._mismatches(column, pattern).tolist() == (~column.str.match(pattern)).tolist()
