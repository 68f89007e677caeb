"""Read one input table from CSV, Excel (.xlsx) or Parquet, as an analyst would export it.

Files are read as they are: CSV and Excel cells arrive as text so that the schema layer can say
exactly which cell is wrong (a decimal comma, a thousands separator, a word in a number column).
CSV follows the standard library's quoting rules (``csv``, default dialect): a line break inside
quotes stays in the value, and a row number is the record's row as a spreadsheet shows it, with
the line of the file beside it when a record spans lines. What an export gets wrong before any
cell is read (the encoding, the separator, NUL bytes, a title line, a stray space in a header cell)
is named here, with what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from impactreport.errors import DataError
from impactreport.inputs import reads

FORMATS = (".csv", ".xlsx", ".parquet")
HEAD_ROWS = 10  # rows searched for a header that is not on the first one
CHUNK = 200_000  # CSV records converted to Arrow text at a time: bounded memory for big exports


@dataclass(frozen=True)
class Table:
    """A loaded input: its frame, where it came from, and how to name a row of it."""

    frame: pd.DataFrame
    path: Path
    sheet: str | None = None
    typed: bool = False  # Parquet carries types; CSV and Excel carry text
    header_row: int = 1  # the spreadsheet row of the header (an .xlsx may start lower)
    lines: np.ndarray | None = None  # CSV: the file line each record starts on, if any spans lines

    def row_label(self, index: int) -> int:
        """The row number a person sees: the spreadsheet row or, for Parquet, the record number."""
        return index + 1 if self.typed else index + self.header_row + 1

    def error(
        self, problem: str, *, index: int | None = None, column: str | None = None
    ) -> DataError:
        row = None if index is None else self.row_label(index)
        line = None if index is None or self.lines is None else int(self.lines[index])
        return DataError(self.path, problem, row=row, column=column, sheet=self.sheet, line=line)


def find_input(folder: Path, name: str) -> Path:
    """The one file ``<name>.csv|.xlsx|.parquet`` in ``folder``."""
    found = [folder / f"{name}{ext}" for ext in FORMATS if (folder / f"{name}{ext}").is_file()]
    if not found:
        expected = f"expected {name}.csv, {name}.xlsx or {name}.parquet"
        near = _same_but_case(folder, name)
        if near:
            raise DataError(
                folder / near,
                f"named {near!r}, {expected} (names are case-sensitive): rename it "
                f"{name}{Path(near).suffix.lower()}",
            )
        raise DataError(folder / f"{name}.csv", f"missing input: {expected}")
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise DataError(folder, f"{names} describe the same input: keep exactly one")
    return found[0]


def present(folder: Path, name: str) -> bool:
    """Whether ``folder`` holds the input ``name`` in any format (or named in another case,
    which ``find_input`` then reports)."""
    wanted = {f"{name}{ext}" for ext in FORMATS}
    return folder.is_dir() and any(p.name.lower() in wanted for p in folder.iterdir())


def _same_but_case(folder: Path, name: str) -> str | None:
    """A file that would be the input if names were compared without case (``Pay.CSV``)."""
    wanted = {f"{name}{ext}" for ext in FORMATS}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.lower() in wanted and path.name not in wanted:
            return path.name
    return None


def read_table(path: Path, columns: list[str] | None = None) -> Table:
    """The table in ``path``; with the ``columns`` it should have, a misplaced header is named."""
    reads.record(path)
    if path.stat().st_size == 0:
        raise DataError(path, "the file is empty: expected a header row and data rows")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, columns)
    if suffix == ".xlsx":
        return _read_excel(path, columns)
    if suffix == ".parquet":
        return _read_parquet(path)
    raise DataError(path, f"unsupported file type {suffix!r}: expected one of {', '.join(FORMATS)}")


def _decode(path: Path, raw: bytes) -> str:
    """The text of a CSV export: UTF-8 (with or without Excel's byte-order mark) or UTF-16."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return raw.decode(utf16)
    nul = raw.find(b"\0")
    if nul >= 0:
        line = raw[:nul].count(b"\n") + 1
        raise DataError(
            path,
            f"NUL bytes from byte {nul} (line {line}): the file was cut off or damaged while "
            "being written; export it again",
        )
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark from Excel is harmless
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            path,
            f"not UTF-8 (byte {exc.start} on line {line}{_guess_encoding(raw)}): save the file "
            "as UTF-8",
        ) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of the text is NUL (Windows "Unicode text")."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _guess_encoding(raw: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:65536]).best()
    return "" if best is None else f", looks like {best.encoding}"


def _check_header(
    path: Path, rows: list[list[str]], columns: list[str] | None, sheet: str | None = None
) -> None:
    """Name a header that is there but not as expected: a stray space, or rows above it."""
    if not columns or not rows:
        return
    for cell in rows[0]:
        if cell != cell.strip() and cell.strip() in columns:
            raise DataError(
                path,
                f"header cell {cell!r} has a stray space: rename it {cell.strip()!r}",
                row=1,
                sheet=sheet,
                column=cell.strip(),
            )
    if set(columns) <= set(rows[0]):
        return
    for number, row in enumerate(rows[1:], start=2):
        if set(columns) <= {c.strip() for c in row}:
            raise _below_title(path, number, sheet)


def _below_title(path: Path, number: int, sheet: str | None = None) -> DataError:
    above = number - 1
    return DataError(
        path,
        f"the header is on row {number}, below {above} row{'s' if above > 1 else ''} of other "
        f"text (a title?): delete {'them' if above > 1 else 'it'}, the header must be the first "
        "row",
        row=1,
        sheet=sheet,
    )


def _header_row(rows: list[list[str]]) -> int:
    """The row (1-based) where the table starts when narrower rows (a title, a blank line) sit
    above rows that all have the same width; 1 otherwise."""
    if len(rows) < 3:
        return 1
    width = len(rows[-1])
    start = len(rows) - 1
    while start > 0 and len(rows[start - 1]) == width:
        start -= 1
    if 0 < start < len(rows) - 1 and all(len(r) < width for r in rows[:start]):
        return start + 1
    return 1


def _read_csv(path: Path, columns: list[str] | None = None) -> Table:
    raw = path.read_bytes()
    return _read_csv_fast(path, raw, columns) or _read_csv_exact(path, raw, columns)


def _read_csv_fast(path: Path, raw: bytes, columns: list[str] | None) -> Table | None:
    """Arrow's CSV reader, when the file is plain: UTF-8, one record a line, no blank lines.

    Anything else (another encoding, NUL bytes, a record spanning lines, a field count that
    differs) returns None, and the exact reader names the problem and its row."""
    import pyarrow.csv as pacsv

    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(raw):
        return None
    if b"\0" in raw or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")):
        return None  # a lone carriage return ends a line for Arrow, not for the line count
    body = pa.py_buffer(raw)
    if raw.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    end = -1
    for _ in range(HEAD_ROWS):
        end = raw.find(b"\n", end + 1)
        if end < 0:
            end = len(raw)
            break
    try:
        head = raw[:end].decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    header = next(csv.reader(io.StringIO(head, newline="")), None)
    if not header:
        return None
    try:
        arrow = pacsv.read_csv(
            body,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    records = raw.count(b"\n") + (not raw.endswith(b"\n"))
    if arrow.num_rows + 1 != records or arrow.column_names != header:
        return None  # a blank line or a line break inside quotes: row and line differ
    _check_head(path, head, columns)
    return Table(frame=arrow.to_pandas(), path=path)


def _check_head(
    path: Path, text: str, columns: list[str] | None, encoding: str | None = None
) -> None:
    """What is wrong before any cell is read: a blank first line, the header, the separator."""
    first = text[: text.find("\n")] if "\n" in text else text
    if not first.strip():
        raise DataError(path, "the file is empty: expected a header row and data rows")
    head = list(itertools.islice(csv.reader(io.StringIO(text, newline="")), HEAD_ROWS))
    _check_header(path, head, columns)
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if separator in first and "," not in first:
            written = f"the file is {encoding} text and its " if encoding else ""
            raise DataError(
                path,
                f"{written}columns are separated by {name}: export as comma-separated CSV"
                f"{' in UTF-8' if encoding else ''} (decimal point, no thousands separator)",
                row=1,
            )
    number = _header_row(head)
    if number > 1:
        raise _below_title(path, number)


def _read_csv_exact(path: Path, raw: bytes, columns: list[str] | None = None) -> Table:
    """The standard library's reader, record by record: slow, and exact about every row."""
    text = _decode(path, raw)
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(raw)
    _check_head(path, text, columns, "UTF-16" if utf16 else None)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    width = len(header)
    columns: list[list[pa.Array]] = [[] for _ in header]
    chunk: list[list[str]] = []
    starts: list[int] = []
    line = reader.line_num
    for row in reader:
        if row:
            if len(row) != width:
                raise DataError(
                    path,
                    f"{len(row)} fields where the header has {width}",
                    row=len(starts) + 2,
                    line=line + 1 if line + 1 != len(starts) + 2 else None,
                )
            chunk.append(row)
            starts.append(line + 1)
            if len(chunk) == CHUNK:
                _flush(chunk, columns)
        line = reader.line_num
    _flush(chunk, columns)
    arrays = [pa.chunked_array(parts, pa.string()) for parts in columns]
    frame = pa.Table.from_arrays(arrays, names=header).to_pandas()  # Arrow-backed text
    lines = np.asarray(starts)
    spans = bool(len(lines)) and not np.array_equal(lines, np.arange(2, len(lines) + 2))
    return Table(frame=frame, path=path, lines=lines if spans else None)


def _flush(chunk: list[list[str]], columns: list[list[pa.Array]]) -> None:
    for i, values in enumerate(zip(*chunk, strict=True)):
        columns[i].append(pa.array(values, pa.string()))
    chunk.clear()


def _read_excel(path: Path, columns: list[str] | None = None) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=False, data_only=False)
    except SyntaxError as exc:  # XML that does not parse: the workbook was damaged
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(
            path,
            f"not a readable .xlsx workbook: the XML inside it is damaged ({reason}); open it "
            "in Excel and save it again, or export it again",
        ) from None
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise DataError(path, f"not a readable .xlsx workbook ({reason})") from None
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
            cells.append(_cell_text(cell.value, cell.number_format))
        values.append(cells)
    while values and all(v == "" for v in values[-1]):
        values.pop()
    skipped = 0  # empty rows above the table: Excel's row numbers stay the ones shown
    while values and all(v == "" for v in values[0]):
        values.pop(0)
        skipped += 1
    if not values:
        raise DataError(
            path, "the sheet is empty: expected a header row and data rows", sheet=sheet.title
        )
    _check_header(path, values[:HEAD_ROWS], columns, sheet.title)
    header = list(values[0])
    while header and header[-1] == "":
        header.pop()
    body = [row[: len(header)] + [""] * (len(header) - len(row)) for row in values[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return Table(frame=frame, path=path, sheet=sheet.title, header_row=skipped + 1)


def _cell_text(value: object, number_format: str = "General") -> str:
    """Excel cells as text, the way the CSV path sees them (dates as ISO, integers without .0).

    A cell formatted as a percentage holds the fraction (6 % is 0.06): its text is the percentage
    shown, as a CSV export of the sheet would write it."""
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in number_format:
            value = round(value * 100, 10)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
    return str(value)


def _read_parquet(path: Path) -> Table:
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(path, f"not a readable Parquet file ({exc}); export it again") from None
    frame = arrow.to_pandas()
    return Table(frame=frame, path=path, typed=True)
