"""Shared fixtures: a tiny project with hand-made data, laid out exactly like the real one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from impactreport.paths import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_YEAR = 2031
FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
# the fixture notebooks run inside a test project (they need its parameters), not under nbval
collect_ignore_glob = ["fixtures/notebooks/*"]

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
    # the payroll facts of 2024 would not reconcile with the tiny payroll: keep the others
    kept = [line for line in facts if not line.startswith("workforce.")]
    (folder / "facts.csv").write_text("".join(kept), encoding="utf-8")
    return folder


def copy_sources(target: Path) -> None:
    for source in [*ROOT.glob("_quarto*.yml"), *ROOT.glob("*.qmd")]:
        shutil.copyfile(source, target / source.name)
    for name in ("sections", "templates", "notebooks"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, target / name)
    shutil.copytree(ROOT / "data" / "reference", target / "data" / "reference")


@pytest.fixture
def mini_project(tmp_path: Path) -> Project:
    """A project whose only year is a small hand-made fixture year."""
    copy_sources(tmp_path)
    write_year(tmp_path / "data", FIXTURE_YEAR)
    return Project(tmp_path)


@pytest.fixture(scope="session")
def project_2024(tmp_path_factory) -> Project:
    """A copy of the project with the real 2024 data, so tests never touch the working build."""
    root = tmp_path_factory.mktemp("project")
    copy_sources(root)
    shutil.copytree(ROOT / "data" / "2024", root / "data" / "2024")
    return Project(root)


@pytest.fixture(scope="session")
def computed_2024(project_2024: Project) -> Project:
    from impactreport.pipeline import compute

    compute.compute(project_2024, 2024)
    return project_2024


@pytest.fixture(scope="session")
def built_2024(computed_2024: Project) -> Project:
    """The 2024 report built (compute, render, publish) in the project copy."""
    from impactreport.pipeline import build

    build.build(computed_2024, 2024)
    return computed_2024


def built_fixture_project(tmp_path_factory, name: str) -> Project:
    """A project of its own with the fixture year, built once for a module's tests."""
    from impactreport.pipeline import build

    root = tmp_path_factory.mktemp(name)
    copy_sources(root)
    write_year(root / "data", FIXTURE_YEAR)
    project = Project(root)
    build.build(project, FIXTURE_YEAR)
    return project
