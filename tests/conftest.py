"""Shared fixtures: a tiny project with hand-made data, laid out exactly like the real one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from impactreport.paths import Project

ROOT = Path(__file__).resolve().parents[1]
# the project's own analysis modules beside its notebooks (notebooks/payroll_indicators.py)
sys.path.insert(0, str(ROOT / "notebooks"))
FIXTURE_YEAR = 2031
FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
# the project's notebooks: where there is analysis or a chart (facts that need none pass to the
# indicators table without a kernel)
NOTEBOOKS = [
    "01-workforce-and-wages.ipynb",
    "03-loans-and-financing.ipynb",
    "06-trends.ipynb",
]
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
    for source in Project(ROOT).sources():
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / source.name)
    shutil.copytree(ROOT / "data" / "reference", target / "data" / "reference")


@pytest.fixture
def mini_project(tmp_path: Path) -> Project:
    """A project whose only year is a small hand-made fixture year."""
    copy_sources(tmp_path)
    write_year(tmp_path / "data", FIXTURE_YEAR)
    return Project(tmp_path)


# The browser tests make the real-Quarto rendering, the longest thing a run makes, as they start:
# first; the real-Quarto tests only read it: last, so that no worker waits for it idle. The rest
# goes largest file first (xdist's own order, turned off in pyproject.toml for this one).
FIRST, LAST = "test_browser.py", "test_quarto_real.py"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """nbval runs every notebook on the 2024 data, a full compute: not for the fast tier."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
    sizes = Counter(item.path for item in items)
    items.sort(key=lambda i: (i.path.name != FIRST, i.path.name == LAST, -sizes[i.path]))


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


# --- real Quarto ---------------------------------------------------------------------------------


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


def _render_with_quarto(folder: Path) -> None:
    """``quarto render --profile nl``, ``impactreport build --renderer quarto --lang fr --pages``,
    then the default ``impactreport build`` (built-in) in a fresh clone, without activation and
    without ``python`` on PATH; what each did goes to ``run.json``."""
    quarto = need_quarto()
    root = fresh_clone(folder / "clone")
    env = {
        "HOME": os.environ.get("HOME", str(root)),
        "LANG": "C.UTF-8",
        "PATH": analyst_path(folder / "bin", quarto),
    }
    impactreport = str(Path(sys.executable).with_name("impactreport"))
    commands = {
        "quarto render --profile nl": (["quarto", "render", "--profile", "nl"], "nl"),
        "impactreport build --renderer quarto --lang fr --pages": (
            [impactreport, "build", "--year", "2024", "--renderer", "quarto", "--lang", "fr"]
            + ["--pages"],
            "fr",
        ),
        "impactreport build": ([impactreport, "build", "--year", "2024"], None),
    }
    seconds, outputs, quarto_editions = {}, {}, {}
    for name, (command, lang) in commands.items():
        start = time.perf_counter()
        done = subprocess.run(
            command,
            cwd=root,
            env={**env, "IMPACTREPORT_YEAR": "2024"},
            capture_output=True,
            text=True,
        )
        seconds[name] = time.perf_counter() - start
        outputs[name] = done.stdout + done.stderr
        assert done.returncode == 0, f"{name} failed:\n{outputs[name][-3000:]}"
        if lang is not None:  # keep Quarto's edition before the built-in build replaces it
            quarto_editions[lang] = str(root / "_output" / f"quarto-2024-{lang}")
            shutil.copytree(root / "_output" / "2024" / lang, quarto_editions[lang])
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


@pytest.fixture(scope="session")
def quarto_2024(tmp_path_factory) -> QuartoRun:
    """The 2024 report rendered in a fresh clone by Quarto and by the built-in renderer, once for
    every test that needs it (parity, browser, git status). Tests only read it."""
    folder = made_once(tmp_path_factory, "quarto-2024", _render_with_quarto)
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
