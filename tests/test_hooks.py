"""The same pre-commit hooks that guard every commit pass on the committed tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_pre_commit_hooks_pass_on_the_committed_tree(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the hooks run on tracked files")
    if not (ROOT / ".venv" / "bin" / "ruff").exists() and not os.environ.get("CI"):
        pytest.skip("the hooks run the tools of .venv: set it up with the README's command")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    (clone / ".venv").symlink_to(ROOT / ".venv")  # the hooks run the project's own tools
    pre_commit = Path(sys.executable).with_name("pre-commit")
    command = [
        str(pre_commit) if pre_commit.exists() else shutil.which("pre-commit"),
        "run",
        "--all-files",
        "--show-diff-on-failure",
    ]
    run = subprocess.run(command, cwd=clone, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
