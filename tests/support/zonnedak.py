"""The fictitious cooperative Zonnedak (``tests/fixtures/zonnedak``): a project ``init`` makes,
the files its analyst writes over it, and the project computed once per run, which each test
that builds reads through a copy of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.projects import ROOT, made_once

FIXTURE = ROOT / "tests" / "fixtures" / "zonnedak"
YEAR = "2024"
IMPACTREPORT = str(Path(sys.executable).with_name("impactreport"))


def run(
    args: list[str], cwd: Path, *, columns: int = 200, **env: str
) -> subprocess.CompletedProcess:
    """The command as an analyst runs it: from the project folder, no project variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("IMPACTREPORT_")}
    return subprocess.run(
        [IMPACTREPORT, *args],
        cwd=cwd,
        env={**clean, "COLUMNS": str(columns), **env},
        capture_output=True,
        text=True,
    )


def init(folder: Path) -> Path:
    root = folder / "zonnedak"
    done = run(
        ["init", str(root), "--organisation", "Zonnedak (fictief)", "--languages", "nl"]
        + ["--year", YEAR],
        folder,
    )
    assert done.returncode == 0, done.stderr
    return root


def fill_in(root: Path) -> None:
    """What the analyst writes: the fixture's files over the new project; the skeleton's
    chapters that the organisation's own chapters replace are gone."""
    for section in (root / "sections" / "nl").glob("_0[2-9]-*.qmd"):
        section.unlink()
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))


def _make_computed(folder: Path) -> None:
    root = init(folder)
    fill_in(root)
    done = run(["compute", "--year", YEAR], root)
    assert done.returncode == 0, done.stderr


def computed_copy(tmp_path_factory, target: Path) -> Path:
    """Zonnedak filled in and computed, copied to ``target`` as an analyst copies a project
    folder (its computed results stay valid)."""
    golden = made_once(tmp_path_factory, "zonnedak-computed", _make_computed)
    shutil.copytree(golden / "zonnedak", target, symlinks=True)
    return target
