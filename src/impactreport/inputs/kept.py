"""Validated tables kept by file content while a long-running process (the preview) asks again.

An edit of one input then validates that input alone; the payroll and the other declared tables
are read and checked once per content. Outside such a process nothing is kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from impactreport import digests

if TYPE_CHECKING:  # the door asks keeping() on every build: pandas only when a table is read
    import pandas as pd

    from impactreport.inputs.tables import Table

# (file, its digest, schema, year) -> the table and its typed frame; None: nothing is kept
_kept: dict[tuple, tuple[Table, pd.DataFrame]] | None = None


def keep_validated() -> None:
    """From now on, keep each validated table for as long as its file does not change."""
    global _kept
    if _kept is None:
        _kept = {}


def keeping() -> bool:
    return _kept is not None


def validated(
    path: Path, schema, year: int | None, columns: list[str]
) -> tuple[Table, pd.DataFrame]:
    """``columns`` of the file read and validated against ``schema``: its table (to name rows)
    and its typed frame, the caller's to change."""
    from impactreport.inputs import schemas
    from impactreport.inputs.tables import read_table

    if _kept is None:
        table = read_table(path, columns)
        return table, schemas.validate(table, schema, year=year)
    key = (str(path), digests.file_digest(path), repr(schema), year)
    if key not in _kept:
        for other in [k for k in _kept if k[0] == key[0]]:
            del _kept[other]  # the file's earlier content
        table = read_table(path, columns)
        _kept[key] = table, schemas.validate(table, schema, year=year)
    table, frame = _kept[key]
    return table, frame.copy()
