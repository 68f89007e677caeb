"""One notebook run: a kernel that never came up is started once more, a failing notebook keeps
its executed copy, and a notebook whose results would go nowhere is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from papermill.exceptions import PapermillExecutionError

from impactreport.errors import NotebookError
from impactreport.paths import Project
from impactreport.pipeline import notebook_run
from impactreport.pipeline.plan import Plan

YEAR = 2024
ITEM = Plan(Path("notebooks/01-workforce.ipynb"), {}, "no cache entry")
NO_KERNEL = RuntimeError("Kernel died before replying to kernel_info")


def runner_failing(*failures: BaseException):
    """A runner that raises each of ``failures`` in turn, then runs; the runs it was asked for."""
    calls = []

    def run(papermill, project, item, executed, parameters, log) -> None:
        calls.append(parameters)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]

    return run, calls


def test_a_kernel_that_never_came_up_is_started_once_more(tmp_path: Path, capfd) -> None:
    project = Project(tmp_path)
    run, calls = runner_failing(NO_KERNEL)
    folder = tmp_path / "part"
    notebook_run.execute(project, YEAR, ITEM, folder, tmp_path / "reads.txt", run)
    assert len(calls) == 2
    assert calls[0] == {"year": YEAR, "project_root": str(tmp_path), "build_dir": str(folder)}
    assert "01-workforce.ipynb: Kernel died" in capfd.readouterr().err
    run, calls = runner_failing(NO_KERNEL, NO_KERNEL)
    with pytest.raises(RuntimeError, match="kernel_info"):
        notebook_run.execute(project, YEAR, ITEM, tmp_path / "again", tmp_path / "r.txt", run)
    assert len(calls) == notebook_run.KERNEL_STARTS


def test_another_error_is_not_retried(tmp_path: Path) -> None:
    run, calls = runner_failing(RuntimeError("no such kernel"))
    with pytest.raises(RuntimeError, match="no such kernel"):
        notebook_run.execute(Project(tmp_path), YEAR, ITEM, tmp_path / "p", tmp_path / "r", run)
    assert len(calls) == 1


def test_a_failing_notebook_names_its_cell_and_where_its_traceback_is_kept(
    tmp_path: Path,
) -> None:
    error = PapermillExecutionError(3, 4, "1 / 0", "ZeroDivisionError", "division by zero", [])
    run, _ = runner_failing(error)
    staging = tmp_path / "staging"
    folder = notebook_run.part(staging, ITEM.notebook)
    with pytest.raises(notebook_run.NotebookFailed) as failed:
        notebook_run.execute(Project(tmp_path), YEAR, ITEM, folder, tmp_path / "r.txt", run)
    kept = tmp_path / "failed"
    message = str(failed.value.kept_in(kept))
    assert message == (
        "01-workforce.ipynb failed in cell 4 (ZeroDivisionError: division by zero); the executed "
        f"notebook with its traceback is kept at {kept}/parts/01-workforce/notebooks/"
        "01-workforce.ipynb"
    )


def test_a_notebook_that_writes_no_result_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "part"
    (folder / "notebooks").mkdir(parents=True)
    (folder / "notebooks" / "01-workforce.ipynb").write_text("{}", encoding="utf-8")
    (folder / "figures").mkdir()  # a folder, but nothing in it
    with pytest.raises(NotebookError, match="notebooks/01-workforce.ipynb wrote no indicator"):
        notebook_run.require_results(ITEM, folder)
    (folder / "figures" / "nl").mkdir()
    (folder / "figures" / "nl" / "fig-staff.svg").write_text("<svg/>", encoding="utf-8")
    notebook_run.require_results(ITEM, folder)


def test_the_kernel_works_in_the_notebooks_folder_and_records_from_its_first_line(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path)
    arguments = notebook_run.kernel_arguments(project, tmp_path / "reads.txt")
    [startup] = [a for a in arguments if a.startswith("--IPKernelApp.exec_lines=")]
    assert f"os.chdir({str(project.notebooks)!r})" in startup
    assert f"sys.path.insert(0, {str(project.notebooks)!r})" in startup
    assert startup.endswith(f"reads.start({str(tmp_path / 'reads.txt')!r})")
