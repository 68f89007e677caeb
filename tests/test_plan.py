"""Which notebooks run, and the reason the analyst reads, from each notebook's cache entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from impactreport import digests
from impactreport.errors import NotebookError
from impactreport.inputs import door
from impactreport.paths import Project
from impactreport.pipeline import cache, plan

YEAR = 2024
SHARED = {"parameters": "year 2024", "libraries": "pandas 2"}


def notebook(project: Project, name: str = "01-workforce.ipynb", text: str = "{}") -> Path:
    path = project.notebooks / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def cached(project: Project, item: plan.Plan, reads: dict[str, str], tmp_path: Path) -> None:
    part = tmp_path / "part"
    (part / "indicators").mkdir(parents=True, exist_ok=True)
    (part / "indicators" / "workforce.csv").write_text("id,value\n", encoding="utf-8")
    cache.store(plan.entry_folder(project, YEAR, item.notebook), item.key, part, {"reads": reads})


def test_the_notebooks_are_the_numbered_ones_in_order(tmp_path: Path) -> None:
    project = Project(tmp_path)
    for name in ("02-loans.ipynb", "01-workforce.ipynb", "scratch.ipynb", "9-old.ipynb"):
        notebook(project, name)
    assert [p.name for p in plan.notebooks(project)] == ["01-workforce.ipynb", "02-loans.ipynb"]


def test_a_notebook_runs_for_a_reason_and_is_reused_without_one(tmp_path: Path) -> None:
    project = Project(tmp_path)
    path = notebook(project)
    data = tmp_path / "data" / str(YEAR) / "facts.csv"
    data.parent.mkdir(parents=True)
    data.write_text("id,value\n", encoding="utf-8")
    assert plan.plan(project, YEAR, path, SHARED, force=False).reason == "no cache entry"
    first = plan.plan(project, YEAR, path, SHARED, force=False)
    cached(project, first, {"data/2024/facts.csv": digests.file_digest(data)}, tmp_path)

    assert plan.plan(project, YEAR, path, SHARED, force=False).reason is None
    assert plan.plan(project, YEAR, path, SHARED, force=True).reason == "--force"
    other = {**SHARED, "parameters": "year 2025"}
    assert plan.plan(project, YEAR, path, other, force=False).reason == "parameters changed"
    data.write_text("id,value\nactivity.offices,8\n", encoding="utf-8")
    assert plan.plan(project, YEAR, path, SHARED, force=False).reason == (
        "data/2024/facts.csv changed"
    )
    notebook(project, text='{"cells": []}')
    assert plan.plan(project, YEAR, path, SHARED, force=False).reason == "notebook changed"


def test_a_table_of_the_doors_copy_is_named_by_the_file_it_came_from(tmp_path: Path) -> None:
    project = Project(tmp_path)
    copy = door.folder(project, YEAR)
    copy.mkdir(parents=True)
    sources = {"facts": "data/2024/facts.csv", "fact_checks": "data/2024/facts.csv"}
    (copy / door.SOURCES).write_text(json.dumps(sources), encoding="utf-8")
    stale = [
        "_build/2024/inputs/facts.parquet",
        "_build/2024/inputs/fact_checks.parquet",  # the same file, named once
        "_build/2024/inputs/pay.parquet",  # not in the copy's sources: as recorded
        "data/reference/indicators.csv",
    ]
    assert plan.by_source(project, YEAR, stale) == [
        "data/2024/facts.csv",
        "_build/2024/inputs/pay.parquet",
        "data/reference/indicators.csv",
    ]


def test_a_run_is_stored_with_what_its_kernel_read(tmp_path: Path) -> None:
    project = Project(tmp_path)
    item = plan.plan(project, YEAR, notebook(project), SHARED, force=False)
    part = tmp_path / "staging" / "parts" / "01-workforce"
    (part / "figures").mkdir(parents=True)
    (part / "figures" / "fig.svg").write_text("<svg/>", encoding="utf-8")
    facts = tmp_path / "data" / str(YEAR) / "facts.csv"
    facts.parent.mkdir(parents=True)
    facts.write_text("id,value\n", encoding="utf-8")
    log = tmp_path / "reads.txt"
    log.write_text("", encoding="utf-8")
    with pytest.raises(NotebookError, match="recorded no reads"):
        plan.store(project, YEAR, item, part, log)
    log.write_text(f"{facts}\n{part / 'figures' / 'fig.svg'}\n", encoding="utf-8")
    plan.store(project, YEAR, item, part, log)
    entry = cache.load(plan.entry_folder(project, YEAR, item.notebook))
    # its own output is no dependency
    assert entry["key"] == item.key
    assert entry["reads"] == {"data/2024/facts.csv": digests.file_digest(facts)}
