"""The fixtures every test may ask for; what they are made of lives in ``support/``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from impactreport.paths import Project
from support.order import pytest_collection_modifyitems
from support.projects import (
    CONTRACTS,
    FIXTURE_NOTEBOOKS,
    FIXTURE_YEAR,
    NOTEBOOKS,
    PAY,
    PERSONS,
    ROOT,
    built_2024_project,
    built_fixture_golden,
    built_fixture_project,
    copy_sources,
    made_once,
    private_copy,
    write_year,
)
from support.quarto import QuartoRun, need_quarto, rendered_2024

# what the test files import from here
__all__ = [
    "CONTRACTS",
    "FIXTURE_NOTEBOOKS",
    "FIXTURE_YEAR",
    "NOTEBOOKS",
    "PAY",
    "PERSONS",
    "ROOT",
    "built_fixture_golden",
    "built_fixture_project",
    "copy_sources",
    "made_once",
    "need_quarto",
    "private_copy",
    "pytest_collection_modifyitems",
    "write_year",
]

# the project's own analysis modules beside its notebooks (notebooks/payroll_indicators.py)
sys.path.insert(0, str(ROOT / "notebooks"))
# the fixture notebooks (and the fixture cooperative's) run inside a test project (they need its
# parameters), not under nbval
collect_ignore_glob = ["fixtures/notebooks/*", "fixtures/zonnedak/notebooks/*"]


@pytest.fixture
def mini_project(tmp_path: Path) -> Project:
    """A project whose only year is a small hand-made fixture year."""
    copy_sources(tmp_path)
    write_year(tmp_path / "data", FIXTURE_YEAR)
    return Project(tmp_path)


@pytest.fixture(scope="session")
def computed_2024(tmp_path_factory) -> Project:
    """The 2024 project computed (and built), for tests that work on its computed outputs."""
    return built_2024_project(tmp_path_factory, "computed-2024")


@pytest.fixture
def own_built_2024(tmp_path_factory) -> Project:
    """The built 2024 project, in a copy the test may change."""
    return built_2024_project(tmp_path_factory, "own-2024")


@pytest.fixture(scope="session")
def built_2024(tmp_path_factory) -> Project:
    """The 2024 report built (compute, render, publish), read by many tests."""
    return built_2024_project(tmp_path_factory, "built-2024")


@pytest.fixture(scope="session")
def quarto_2024(tmp_path_factory) -> QuartoRun:
    """The 2024 report rendered in a fresh clone by Quarto and by the built-in renderer."""
    return rendered_2024(tmp_path_factory)
