"""A real Quarto for the tests that need one, and the 2024 report rendered by it once per run in
a fresh clone, as an analyst's shell runs it: without activation and without ``python``."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.projects import ROOT, made_once


def need_quarto() -> str:
    """The ``quarto`` on PATH; skip without one, except under CI, where it is a failure."""
    executable = shutil.which("quarto")
    if executable is None:
        reason = "no `quarto` on PATH (Quarto 1.9 or later, quarto.org)"
        if os.environ.get("CI"):
            pytest.fail(f"real-Quarto tests cannot run although CI is set: {reason}", pytrace=False)
        pytest.skip(f"real-Quarto tests need Quarto: {reason}")
    return executable


def fresh_clone(target: Path) -> Path:
    """The project's files as a fresh clone has them (tracked and not ignored), committed in a
    repository of their own, with the running environment as its ``.venv``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith(".venv"):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "fresh clone"]):
        subprocess.run([*git, *command], cwd=target, check=True)
    if sys.prefix != sys.base_prefix:  # the README's .venv, made by the analyst
        (target / ".venv").symlink_to(sys.prefix)
        (target / ".git" / "info" / "exclude").write_text("/.venv\n", encoding="utf-8")
    return target


def analyst_path(folder: Path, quarto: str) -> str:
    """A PATH with Quarto and the system's commands, without any ``python`` (only ``python3``)
    and without the test environment: what an analyst's shell has when nothing is activated."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "quarto").symlink_to(quarto)
    system = ["/usr/bin", "/bin"]
    if any(Path(d, "python").exists() for d in system):  # hide it behind a copy without it
        shadow = folder / "system"
        shadow.mkdir()
        for directory in system:
            for command in Path(directory).iterdir():
                if command.name != "python" and not (shadow / command.name).exists():
                    (shadow / command.name).symlink_to(command)
        system = [str(shadow)]
    path = os.pathsep.join([str(folder), *system])
    assert shutil.which("python", path=path) is None
    return path


@dataclass
class QuartoRun:
    """The 2024 report rendered in a fresh clone: by Quarto (both ways the README names) and by
    the built-in renderer, with what each took."""

    root: Path
    env: dict[str, str]
    quarto: dict[str, Path]  # lang -> folder with Quarto's edition
    builtin: dict[str, Path]  # lang -> folder with the built-in edition
    seconds: dict[str, float]
    status: str  # `git status --porcelain` after everything
    outputs: dict[str, str]  # what each command printed


# an analyst's first command with Quarto: the Dutch edition, computed and rendered
DUTCH_RENDER = ["quarto", "render", "--profile", "nl"]


def _run_as_analyst(root: Path, env: dict[str, str], command: list[str]) -> tuple[float, str, int]:
    """``command`` in ``root`` with the analyst's environment: seconds, output, exit code."""
    start = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=root,
        env={**env, "IMPACTREPORT_YEAR": "2024"},
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, done.stdout + done.stderr, done.returncode


def _clone_and_render_dutch(folder: Path) -> None:
    """A fresh clone, and in it ``quarto render --profile nl`` without activation and without
    ``python`` on PATH; what it did goes to ``run.json``."""
    quarto = need_quarto()
    root = fresh_clone(folder / "clone")
    env = {
        "HOME": os.environ.get("HOME", str(root)),
        "LANG": "C.UTF-8",
        "PATH": analyst_path(folder / "bin", quarto),
    }
    seconds, output, code = _run_as_analyst(root, env, DUTCH_RENDER)
    assert code == 0, f"{' '.join(DUTCH_RENDER)} failed:\n{output[-3000:]}"
    run = {"env": env, "seconds": seconds, "output": output}
    (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")


@dataclass
class DutchRender:
    """A copy of the fresh clone in which ``quarto render --profile nl`` just ran."""

    root: Path
    env: dict[str, str]
    seconds: float
    output: str


def clone_rendered_in_dutch(tmp_path_factory, target: Path) -> DutchRender:
    """A copy (at ``target``) of a fresh clone in which ``quarto render --profile nl`` ran: the
    render is made once per run, whichever worker asks first; each user continues in a copy
    of its own, as ``cp -a`` makes it (the clone's git state and its links kept)."""
    folder = made_once(tmp_path_factory, "quarto-2024-nl", _clone_and_render_dutch)
    subprocess.run(["cp", "-a", str(folder / "clone"), str(target)], check=True)
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    return DutchRender(target, run["env"], run["seconds"], run["output"])


def _keep_quarto_edition(root: Path, lang: str) -> str:
    """Quarto's edition kept aside, before the built-in build replaces it."""
    kept = root / "_output" / f"quarto-2024-{lang}"
    shutil.copytree(root / "_output" / "2024" / lang, kept)
    return str(kept)


def _render_with_quarto(tmp_path_factory, folder: Path) -> None:
    """``quarto render --profile nl`` in a fresh clone (shared), then ``impactreport build
    --renderer quarto --lang fr --pages`` and the default ``impactreport build`` (built-in)
    in it, without activation and without ``python`` on PATH; what each did goes to
    ``run.json``."""
    dutch = clone_rendered_in_dutch(tmp_path_factory, folder / "clone")
    root, env = dutch.root, dutch.env
    impactreport = str(Path(sys.executable).with_name("impactreport"))
    commands = {
        "impactreport build --renderer quarto --lang fr --pages": (
            [impactreport, "build", "--year", "2024", "--renderer", "quarto", "--lang", "fr"]
            + ["--pages"],
            "fr",
        ),
        "impactreport build": ([impactreport, "build", "--year", "2024"], None),
    }
    first = " ".join(DUTCH_RENDER)
    seconds, outputs = {first: dutch.seconds}, {first: dutch.output}
    quarto_editions = {"nl": _keep_quarto_edition(root, "nl")}
    for name, (command, lang) in commands.items():
        seconds[name], outputs[name], code = _run_as_analyst(root, env, command)
        assert code == 0, f"{name} failed:\n{outputs[name][-3000:]}"
        if lang is not None:
            quarto_editions[lang] = _keep_quarto_edition(root, lang)
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    run = {
        "env": env,
        "quarto": quarto_editions,
        "seconds": seconds,
        "status": status,
        "outputs": outputs,
    }
    (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")


def rendered_2024(tmp_path_factory) -> QuartoRun:
    """The 2024 report rendered in a fresh clone by Quarto and by the built-in renderer, once for
    every test that needs it (parity, browser, git status). Tests only read it."""
    folder = made_once(
        tmp_path_factory, "quarto-2024", functools.partial(_render_with_quarto, tmp_path_factory)
    )
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    root = folder / "clone"
    return QuartoRun(
        root,
        run["env"],
        {lang: Path(path) for lang, path in run["quarto"].items()},
        {lang: root / "_output" / "2024" / lang for lang in ("nl", "fr")},
        run["seconds"],
        run["status"],
        run["outputs"],
    )
