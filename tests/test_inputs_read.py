"""The files a compute build was made from, for the provenance: what the notebooks read that is
not code, and what the package's own tables come from, each table of the door's copy named by
the export it came from."""

from __future__ import annotations

import json
from pathlib import Path

from impactreport import digests
from impactreport.inputs import door
from impactreport.paths import Project
from impactreport.pipeline import cache, inputs_read
from impactreport.pipeline.plan import Plan, entry_folder

YEAR = 2024


def write(project: Project, relative: str, text: str) -> Path:
    path = project.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_inputs_are_the_files_read_named_as_the_analyst_knows_them(tmp_path: Path) -> None:
    project = Project(tmp_path)
    contracts = write(project, "data/2024/contracts.csv", "person,start\n")
    facts = write(project, "data/2024/facts.csv", "id,value\n")
    copy = door.folder(project, YEAR)
    write(project, "_build/2024/inputs/contracts.parquet", "typed contracts")
    write(project, "_build/2024/inputs/facts.parquet", "typed facts")
    sources = {"contracts": "data/2024/contracts.csv", "facts": "data/2024/facts.csv"}
    (copy / door.SOURCES).write_text(json.dumps(sources), encoding="utf-8")
    catalogue = write(project, "data/reference/indicators.csv", "id\n")
    item = Plan(project.notebooks / "01-workforce.ipynb", {}, None)
    part = tmp_path / "part"
    (part / "tables").mkdir(parents=True)
    (part / "tables" / "t.csv").write_text("a\n", encoding="utf-8")
    reads = {
        "_build/2024/inputs/contracts.parquet": "digest of the copy",
        "notebooks/payroll_indicators.py": "code",
        "/site-packages/impactreport/analysis/payroll.py": "code",
        "data/2024/": "a listing",
    }
    cache.store(entry_folder(project, YEAR, item.notebook), {}, part, {"reads": reads})
    target = tmp_path / "inputs.json"
    inputs_read.write(project, YEAR, [item], target)
    assert json.loads(target.read_text(encoding="utf-8")) == {
        "data/2024/contracts.csv": digests.file_digest(contracts),
        "data/2024/facts.csv": digests.file_digest(facts),
        "_build/2024/inputs/sources.json": digests.file_digest(copy / door.SOURCES),
        "data/reference/indicators.csv": digests.file_digest(catalogue),
    }
