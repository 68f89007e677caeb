"""Every error a user can cause, with a message that says what to fix.

The CLI prints ``str(error)`` on one line and exits non-zero; tracebacks only with ``--debug``.
"""

from __future__ import annotations

from pathlib import Path


class ImpactReportError(Exception):
    """Base of all errors the user can act on."""

    exit_code = 1


class DataError(ImpactReportError):
    """An input file breaks its schema: names the file, row and column, and what was expected."""

    exit_code = 2

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
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
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


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
    """``--final`` was asked while published values rest on synthetic or unverified input."""

    exit_code = 7


class RenderError(ImpactReportError):
    """The sources cannot be turned into a publication (missing value, unsupported construct)."""

    exit_code = 4


class NotebookError(ImpactReportError):
    """A notebook failed; the executed copy with its traceback is kept for the analyst."""

    exit_code = 5


class UnknownIndicatorError(ImpactReportError):
    """An indicator id that the year's table does not hold."""

    exit_code = 8
