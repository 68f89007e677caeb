"""Read one input table from CSV, Excel (.xlsx) or Parquet, as an analyst would export it.

Files are read as they are: CSV and Excel cells arrive as text so that the schema layer can say
exactly which cell is wrong (a decimal comma, a thousands separator, a word in a number column).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impactreport.errors import DataError
from impactreport.inputs import reads

FORMATS = (".csv", ".xlsx", ".parquet")


@dataclass(frozen=True)
class Table:
    """A loaded input: its frame, where it came from, and how to name a row of it."""

    frame: pd.DataFrame
    path: Path
    sheet: str | None = None
    typed: bool = False  # Parquet carries types; CSV and Excel carry text

    def row_label(self, index: int) -> int:
        """The row number a person sees: the spreadsheet line (header = 1) or the record number."""
        return index + 1 if self.typed else index + 2

    def error(
        self, problem: str, *, index: int | None = None, column: str | None = None
    ) -> DataError:
        row = None if index is None else self.row_label(index)
        return DataError(self.path, problem, row=row, column=column, sheet=self.sheet)


def find_input(folder: Path, name: str) -> Path:
    """The one file ``<name>.csv|.xlsx|.parquet`` in ``folder``."""
    found = [folder / f"{name}{ext}" for ext in FORMATS if (folder / f"{name}{ext}").is_file()]
    if not found:
        raise DataError(
            folder / f"{name}.csv",
            f"missing input: expected {name}.csv, {name}.xlsx or {name}.parquet",
        )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise DataError(folder, f"{names} describe the same input: keep exactly one")
    return found[0]


def read_table(path: Path) -> Table:
    reads.record(path)
    if path.stat().st_size == 0:
        raise DataError(path, "the file is empty: expected a header row and data rows")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_excel(path)
    if suffix == ".parquet":
        return _read_parquet(path)
    raise DataError(path, f"unsupported file type {suffix!r}: expected one of {', '.join(FORMATS)}")


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark from Excel is harmless
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            path, f"not UTF-8 (byte {exc.start} on line {line}): save the file as UTF-8"
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DataError(path, "the file is empty: expected a header row and data rows")
    header = lines[0]
    if ";" in header and "," not in header:
        raise DataError(
            path,
            "columns are separated by semicolons: export as comma-separated CSV (decimal point, no "
            "thousands separator)",
            row=1,
        )
    rows = list(csv.reader(lines))
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        if row and len(row) != width:
            raise DataError(path, f"{len(row)} fields where the header has {width}", row=number)
    frame = pd.DataFrame([r for r in rows[1:] if r], columns=rows[0], dtype=object)
    return Table(frame=frame, path=path)


def _read_excel(path: Path) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=False, data_only=False)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataError(path, f"not a readable .xlsx workbook ({exc})") from None
    sheet = book[path.stem] if path.stem in book.sheetnames else book.worksheets[0]
    if sheet.merged_cells.ranges:
        first = sorted(str(r) for r in sheet.merged_cells.ranges)[0]
        raise DataError(
            path,
            f"merged cells ({first}): unmerge them, one header row, one value per cell",
            sheet=sheet.title,
        )
    values = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            if cell.data_type == "f":
                raise DataError(
                    path,
                    f"cell {cell.coordinate} holds a formula ({cell.value}): paste values only",
                    sheet=sheet.title,
                    row=cell.row,
                )
            cells.append(cell.value)
        values.append(cells)
    while values and all(v is None for v in values[-1]):
        values.pop()
    if not values or all(v is None for v in values[0]):
        raise DataError(
            path, "the sheet is empty: expected a header row and data rows", sheet=sheet.title
        )
    header = [("" if v is None else str(v)) for v in values[0]]
    while header and header[-1] == "":
        header.pop()
    body = [[_cell_text(v) for v in row[: len(header)]] for row in values[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return Table(frame=frame, path=path, sheet=sheet.title)


def _cell_text(value: object) -> str:
    """Excel cells as text, the way the CSV path sees them (dates as ISO, integers without .0)."""
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_parquet(path: Path) -> Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(path, f"not a readable Parquet file ({exc}); export it again") from None
    frame = arrow.to_pandas()
    return Table(frame=frame, path=path, typed=True)
