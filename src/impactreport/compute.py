"""Run every notebook for a year with papermill and assemble the indicators table.

The build is written to a fresh folder and swapped in only when every notebook succeeded, so a
failed run leaves the previous build as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import papermill
from papermill.exceptions import PapermillExecutionError

from impactreport import indicators
from impactreport.errors import NotebookError
from impactreport.inputs import check_year, load_reference, load_year
from impactreport.paths import Project

KERNEL = "python3"


@dataclass(frozen=True)
class ComputeResult:
    year: int
    build: Path
    indicators: Path
    notebooks: tuple[Path, ...]


def notebooks(project: Project) -> list[Path]:
    return sorted(project.notebooks.glob("[0-9][0-9]-*.ipynb"))


def validate(project: Project, year: int):
    """Check a year's inputs and nothing else; raises on the first problem."""
    reference = load_reference(project)
    return load_year(project, year, reference)


class _NotebookFailed(Exception):
    def __init__(self, notebook: str, error: PapermillExecutionError) -> None:
        super().__init__(notebook)
        self.notebook = notebook
        self.error = error


def _run(notebook: Path, executed: Path, parameters: dict, cwd: Path) -> None:
    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL,
            cwd=str(cwd),
            progress_bar=False,
        )
    except PapermillExecutionError as exc:
        raise _NotebookFailed(notebook.name, exc) from None


def compute(
    project: Project,
    year: int,
    *,
    on_notebook: Callable[[str, str], None] | None = None,
) -> ComputeResult:
    check_year(project, year)
    reference = load_reference(project)
    load_year(project, year, reference)  # fail fast, before any kernel starts

    final = project.year_build(year) / "compute"
    staging = final.with_name(f".compute-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    executed_dir = staging / "notebooks"
    executed_dir.mkdir()

    parameters = {"year": year, "project_root": str(project.root), "build_dir": str(staging)}
    sources = notebooks(project)

    def run(notebook: Path) -> Path:
        if on_notebook:
            on_notebook(notebook.name, "running")
        executed = executed_dir / notebook.name
        _run(notebook, executed, parameters, project.notebooks)
        if on_notebook:
            on_notebook(notebook.name, "done")
        return executed

    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            executed = list(pool.map(run, sources))
        table = indicators.assemble(sorted((staging / "indicators").glob("*.csv")), reference.catalogue)
        table.to_csv(staging / "indicators.csv", index=False, lineterminator="\n")
    except _NotebookFailed as failure:
        kept = project.year_build(year) / "failed"
        _keep_failed(staging, kept)
        error = failure.error
        raise NotebookError(
            f"{failure.notebook} failed in cell {error.exec_count} ({error.ename}: {error.evalue}); "
            f"the executed notebook with its traceback is kept at {kept / 'notebooks' / failure.notebook}"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace(staging, final)
    return ComputeResult(
        year=year,
        build=final,
        indicators=final / "indicators.csv",
        notebooks=tuple(final / "notebooks" / p.name for p in executed),
    )


def _keep_failed(staging: Path, failed: Path) -> None:
    """Keep the executed notebooks of a failed run beside the last good build, for the analyst."""
    shutil.rmtree(failed, ignore_errors=True)
    staging.rename(failed)


def _replace(staging: Path, final: Path) -> None:
    """Swap the new build in; the old one is removed only after the swap."""
    old = final.with_name(f".old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
