"""The compute engine on tiny fixture notebooks, each named for the behaviour it shows: a run
reused when nothing changed, a failing notebook kept with its cell and error in one line, a
killed run that leaves the previous build as it was. No analysis runs here."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_NOTEBOOKS, FIXTURE_YEAR, copy_sources, write_year
from impactreport.analysis import indicators
from impactreport.errors import NotebookError
from impactreport.paths import Project
from impactreport.pipeline import compute

READS = "90-opens-its-own-file.ipynb"


def engine_project(root: Path) -> Project:
    """The fixture year with one tiny notebook, and a catalogue of declared facts only, which
    pass to the indicators table without a notebook."""
    copy_sources(root)
    shutil.rmtree(root / "notebooks")
    (root / "notebooks").mkdir()
    add_notebook(Project(root), "opens-its-own-file.ipynb", READS)
    catalogue = root / "data" / "reference" / "indicators.csv"
    with catalogue.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with catalogue.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["origin"] in indicators.FACT_ORIGINS)
    write_year(root / "data", FIXTURE_YEAR)
    (root / "data" / "note.txt").write_text("first note\n", encoding="utf-8")
    return Project(root)


def add_notebook(project: Project, fixture: str, name: str) -> Path:
    return Path(shutil.copyfile(FIXTURE_NOTEBOOKS / fixture, project.notebooks / name))


def run(project: Project) -> tuple[compute.ComputeResult, list[str]]:
    lines: list[str] = []
    result = compute.compute(
        project, FIXTURE_YEAR, report=lambda n, what: lines.append(f"{n}: {what}")
    )
    return result, lines


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return sha.hexdigest()


def value(project: Project, indicator_id: str) -> float:
    table = indicators.read(project.year_build(FIXTURE_YEAR) / "compute" / "indicators.csv")
    return float(table.set_index("id").at[indicator_id, "value"])


@pytest.mark.slow
def test_a_run_is_reused_until_what_it_read_changes(tmp_path: Path) -> None:
    project = engine_project(tmp_path)
    first, _ = run(project)
    assert first.executed == (READS,)
    again, lines = run(project)
    assert (again.executed, again.reused) == ((), (READS,))
    assert lines == [f"{READS}: reused from cache"]
    (project.data / "note.txt").write_text("second note\n", encoding="utf-8")
    changed, lines = run(project)
    assert changed.executed == (READS,)
    assert f"{READS}: runs: data/note.txt changed" in lines


@pytest.mark.slow
def test_a_kernel_that_dies_while_starting_is_started_once_more(
    tmp_path: Path, monkeypatch
) -> None:
    """nbclient's words when a kernel exits before answering: the engine starts another one
    once, says so in kernels.log, and the run completes; a second death fails the build."""
    import papermill

    project = engine_project(tmp_path)
    real, deaths = papermill.execute_notebook, []

    def dies_first(*args, **kwargs):
        if len(deaths) < kernel_deaths:
            deaths.append(1)
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", dies_first)
    kernel_deaths = 1
    result, _ = run(project)
    assert result.executed == (READS,) and deaths == [1]
    log = (project.year_build(FIXTURE_YEAR) / "compute" / "kernels.log").read_text("utf-8")
    assert f"{READS}: Kernel died before replying to kernel_info; starting another kernel" in log
    (project.data / "note.txt").write_text("second note\n", encoding="utf-8")
    deaths.clear()
    kernel_deaths = 2
    with pytest.raises(RuntimeError, match="kernel_info"):
        run(project)


@pytest.mark.slow
def test_passed_facts_follow_the_facts_without_a_kernel(tmp_path: Path) -> None:
    project = engine_project(tmp_path)
    run(project)
    assert value(project, "activity.offices") == 8  # no notebook computes it
    facts = project.year_data(FIXTURE_YEAR) / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("activity.offices,8,", "activity.offices,9,"), encoding="utf-8")
    result, _ = run(project)
    assert result.executed == ()  # the notebook read no facts
    assert value(project, "activity.offices") == 9


@pytest.mark.slow
def test_a_failing_notebook_is_kept_with_its_cell_and_error_in_one_line(tmp_path: Path) -> None:
    project = engine_project(tmp_path)
    run(project)
    build = project.year_build(FIXTURE_YEAR) / "compute"
    before = digest(build)
    add_notebook(project, "fails-in-a-cell.ipynb", "91-fails-in-a-cell.ipynb")
    with pytest.raises(NotebookError) as caught:
        run(project)
    message = str(caught.value)
    kept = (
        project.year_build(FIXTURE_YEAR)
        / "failed/parts/91-fails-in-a-cell/notebooks/91-fails-in-a-cell.ipynb"
    )
    assert "\n" not in message
    assert message == (
        "91-fails-in-a-cell.ipynb failed in cell 4 (ValueError: the fixture fails here); "
        f"the executed notebook with its traceback is kept at {kept}"
    )
    assert "the fixture fails here" in kept.read_text(encoding="utf-8")
    assert digest(build) == before


@pytest.mark.slow
def test_a_notebook_that_ran_beside_a_failing_one_is_not_run_again(tmp_path: Path) -> None:
    project = engine_project(tmp_path)
    failing = add_notebook(project, "fails-in-a-cell.ipynb", "91-fails-in-a-cell.ipynb")
    with pytest.raises(NotebookError, match="91-fails-in-a-cell.ipynb failed"):
        run(project)
    failing.unlink()
    result, _ = run(project)
    assert result.executed == () and result.reused == (READS,)  # cached as it ended


@pytest.mark.slow
def test_a_killed_run_leaves_the_previous_build_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    project = engine_project(tmp_path)
    run(project)
    year_build = project.year_build(FIXTURE_YEAR)
    before = digest(year_build / "compute")
    waits = add_notebook(project, "runs-until-killed.ipynb", "92-runs-until-killed.ipynb")
    process = subprocess.Popen(
        [sys.executable, "-m", "impactreport", "compute", "--year", str(FIXTURE_YEAR)],
        env={**os.environ, "IMPACTREPORT_ROOT": str(project.root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its notebook kernels die with it
    )
    deadline = time.monotonic() + 120
    while not list(year_build.glob(".compute@*/parts/92-runs-until-killed/started")):
        assert process.poll() is None and time.monotonic() < deadline, "the notebook never started"
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert digest(year_build / "compute") == before
    waits.unlink()
    result, _ = run(project)
    assert result.reused == (READS,)
    live = (year_build / "compute").resolve().name
    assert [p.name for p in year_build.glob(".compute@*")] == [live]


@pytest.mark.slow
def test_notebooks_in_parallel_import_modules_beside_them_whatever_the_folder(
    tmp_path: Path, monkeypatch
) -> None:
    """Each kernel works in the notebooks' folder, and this process stays where it was: the
    folder is set in the kernel, not by changing this process's folder around each run."""
    (tmp_path / "project").mkdir()
    project = engine_project(tmp_path / "project")
    (project.notebooks / "beside.py").write_text("ANSWER = 42\n", encoding="utf-8")
    for number in (91, 92, 93):
        add_notebook(project, "imports-a-module-beside-it.ipynb", f"{number}-imports.ipynb")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result, _ = run(project)
    assert len(result.executed) == 4
    assert Path.cwd() == elsewhere
