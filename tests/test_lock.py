"""One writing command at a time: a second one is refused in one line and leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import FIXTURE_YEAR
from impactreport import lock
from impactreport.paths import Project

CLI = [sys.executable, "-m", "impactreport"]
REFUSED = "another command is writing this project"


def start(project: Project, *args: str) -> subprocess.Popen:
    env = {**os.environ, "IMPACTREPORT_ROOT": str(project.root), "COLUMNS": "300"}
    return subprocess.Popen(
        [*CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finished(process: subprocess.Popen) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=600)
    return process.returncode, stderr


def half_made(project: Project) -> list[str]:
    """Hidden folders a command writes beside their place before swapping them in (a folder's
    link points at its live one)."""
    live = {p.parent / os.readlink(p) for p in project.build.rglob("*") if p.is_symlink()}
    return sorted(
        str(p.relative_to(project.root))
        for p in project.build.rglob(".*")
        if p.name != lock.NAME and p not in live
    )


@pytest.mark.parametrize(
    "command",
    [
        ["compute", "--year", str(FIXTURE_YEAR)],
        ["render", "--year", str(FIXTURE_YEAR)],
        ["build", "--year", str(FIXTURE_YEAR)],
        ["new-year", str(FIXTURE_YEAR + 1)],
    ],
    ids=lambda c: c[0],
)
def test_a_writing_command_is_refused_in_one_line_while_another_holds_the_lock(
    mini_project: Project, command: list[str]
) -> None:
    with lock.held(mini_project):
        code, stderr = finished(start(mini_project, *command))
    assert code != 0
    assert REFUSED in stderr and "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.strip()]) == 1, stderr
    assert not mini_project.year_build(FIXTURE_YEAR).exists()
    assert not mini_project.year_data(FIXTURE_YEAR + 1).exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "first, second",
    [("compute", "compute"), ("compute", "build")],
    ids=lambda c: c,
)
def test_two_commands_at_once_one_is_refused_and_nothing_is_half_made(
    mini_project: Project, first: str, second: str
) -> None:
    year = str(FIXTURE_YEAR)
    one = start(mini_project, first, "--year", year)
    two = start(mini_project, second, "--year", year)
    results = [finished(one), finished(two)]
    for code, stderr in results:
        assert "Traceback" not in stderr
        assert code == 0 or (REFUSED in stderr and len(stderr.strip().splitlines()) == 1), stderr
    assert any(code == 0 for code, _ in results)
    assert half_made(mini_project) == []
    assert (mini_project.year_build(FIXTURE_YEAR) / "compute" / "indicators.csv").is_file()
