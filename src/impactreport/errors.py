"""Every error a user can cause, with a message that says what to fix.

The CLI prints ``str(error)`` on one line and exits non-zero; tracebacks only with ``--debug``.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ImpactReportError(Exception):
    """Base of all errors the user can act on."""

    exit_code = 1


class DataError(ImpactReportError):
    """A file breaks what is declared of it (an input its schema, a computed table the results
    package): names the file, row and column, and what was expected."""

    exit_code = 2

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.row = row
        self.column = column
        self.sheet = sheet
        where = [str(path)]
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            # a CSV record spanning lines: the line too, for a text editor
            where.append(f"row {row}" if line in (None, row) else f"row {row} (line {line})")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


class StorageError(ImpactReportError):
    """The disk refuses a write (full, read-only, no permission): nothing half-written is kept."""

    exit_code = 7


STORAGE_ADVICE = {
    errno.ENOSPC: "free space on that disk, then build again",
    errno.EDQUOT: "the disk quota is used up: free space, then build again",
    errno.EROFS: "that folder is read-only: build in a writable copy of the project",
    errno.EACCES: "no permission to write there: check the folder's owner and permissions",
    errno.EPERM: "no permission to write there: check the folder's owner and permissions",
}


@contextmanager
def storage_errors() -> Iterator[None]:
    """A write the disk refuses becomes one StorageError line, not a traceback."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in STORAGE_ADVICE:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        raise StorageError(
            f"cannot write {where}{exc.strerror or errno.errorcode[exc.errno]}: "
            f"{STORAGE_ADVICE[exc.errno]}"
        ) from None


class ReconciliationError(ImpactReportError):
    """A computed indicator disagrees with the value declared for it."""

    exit_code = 3


class ConfigError(ImpactReportError):
    """A parameter or a project file is wrong (unknown year, unknown language, bad YAML)."""

    exit_code = 2


class ConditionError(ImpactReportError):
    """An accreditation condition is not met in the year and no explanation was recorded."""

    exit_code = 6


class DraftError(ImpactReportError):
    """``--final`` was refused: published values rest on synthetic or unverified input, or the
    project is not what the board approved."""

    exit_code = 9


class RenderError(ImpactReportError):
    """The sources cannot be turned into a publication (missing value, unsupported construct)."""

    exit_code = 4


class NotebookError(ImpactReportError):
    """A notebook failed; the executed copy with its traceback is kept for the analyst."""

    exit_code = 5


class UnknownIndicatorError(ImpactReportError):
    """An indicator id that the year's table does not hold."""

    exit_code = 8
