"""Projects the tests work on: a tiny hand-made year laid out exactly like the real one, and the
real 2024 project and the fixture year built once per run, which each test reads through a copy."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

from impactreport.paths import Project

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_YEAR = 2031
FIXTURE_NOTEBOOKS = ROOT / "tests" / "fixtures" / "notebooks"
# the project's notebooks: where there is analysis or a chart (facts that need none pass to the
# indicators table without a kernel)
NOTEBOOKS = [
    "01-workforce-and-wages.ipynb",
    "03-loans-and-financing.ipynb",
    "06-trends.ipynb",
]

PERSONS = """person_id,gender
P1,F
P2,M
P3,F
P4,M
"""

CONTRACTS = """contract_id,person_id,team,contract_type,regime,start_date,end_date,declared_days,declared_hours
C1,P1,member,fixed-term,part-time,{y}-03-01,{y}-03-01,1,6.5
C2,P1,member,fixed-term,part-time,{y}-03-08,{y}-03-09,2,14
C3,P2,member,open-ended,full-time,{y}-01-01,,250,1900
C4,P3,support,open-ended,full-time,{y}-01-01,,240,1824
C5,P4,member,open-ended,part-time,{y}-01-01,{y}-06-30,60,228
"""

PAY = """person_id,month,team,gross_wage,benefits
P1,{y}-03-01,member,2000.00,0
P2,{y}-01-01,member,2500.00,100.00
P3,{y}-01-01,support,3000.00,150.00
P4,{y}-02-01,member,4000.00,200.00
"""


def write_year(data: Path, year: int) -> Path:
    folder = data / str(year)
    folder.mkdir(parents=True)
    (folder / "persons.csv").write_text(PERSONS, encoding="utf-8")
    (folder / "contracts.csv").write_text(CONTRACTS.format(y=year), encoding="utf-8")
    (folder / "pay.csv").write_text(PAY.format(y=year), encoding="utf-8")
    shutil.copyfile(ROOT / "data" / "2024" / "publications.csv", folder / "publications.csv")
    facts = (
        (ROOT / "data" / "2024" / "facts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    )
    # the payroll facts of 2024 would not reconcile with the tiny payroll: keep the others (the
    # figures the catalogue computes from records are the payroll's)
    with (ROOT / "data" / "reference" / "indicators.csv").open(encoding="utf-8") as handle:
        computed = {row["id"] for row in csv.DictReader(handle) if row["origin"] == "records"}
    kept = [line for line in facts if line.split(",", 1)[0] not in computed]
    (folder / "facts.csv").write_text("".join(kept), encoding="utf-8")
    return folder


def copy_sources(target: Path) -> None:
    for source in Project(ROOT).sources():
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / source.name)
    shutil.copytree(ROOT / "data" / "reference", target / "data" / "reference")


# --- built once per run, copied per user -----------------------------------------------------------


def made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made by ``make`` once for the whole run, whichever worker asks first; the others
    wait for it. Read it through ``private_copy``: tests write into what they get."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, made = shared / f"once-{name}", shared / f"once-{name}.made"
    with FileLock(f"{folder}.lock"):
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a run that failed half-way
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


def private_copy(tmp_path_factory, folder: Path, name: str) -> Project:
    """A project copied as an analyst copies a folder: its build cache stays valid."""
    root = tmp_path_factory.mktemp(name)
    shutil.copytree(folder, root, symlinks=True, dirs_exist_ok=True)
    return Project(root)


def _make_built_2024(root: Path) -> None:
    from impactreport.pipeline import build

    copy_sources(root)
    shutil.copytree(ROOT / "data" / "2024", root / "data" / "2024")
    build.build(Project(root), 2024)


def built_2024_project(tmp_path_factory, name: str) -> Project:
    """A project of its own with the real 2024 data, built: a copy of one built once per run, so
    tests never touch the working build."""
    golden = made_once(tmp_path_factory, "built-2024", _make_built_2024)
    return private_copy(tmp_path_factory, golden, name)


def _make_built_fixture(root: Path) -> None:
    from impactreport.pipeline import build

    copy_sources(root)
    write_year(root / "data", FIXTURE_YEAR)
    build.build(Project(root), FIXTURE_YEAR)


def built_fixture_golden(tmp_path_factory) -> Path:
    """The fixture year's project, built once per run: read it through a copy."""
    return made_once(tmp_path_factory, "built-fixture", _make_built_fixture)


def built_fixture_project(tmp_path_factory, name: str) -> Project:
    """A project of its own with the fixture year, built: a copy of one built once per run."""
    return private_copy(tmp_path_factory, built_fixture_golden(tmp_path_factory), name)
