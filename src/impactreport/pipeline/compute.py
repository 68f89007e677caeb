"""Run every notebook for a year with papermill and assemble the indicators table.

Each notebook writes into a folder of its own, cached under a key made of everything that can
change its output: the notebook, its parameters, the package's code, the library versions and the
files it read (recorded while it ran). A rebuild re-executes only the notebooks whose key changed,
in parallel. The build is assembled in a fresh folder and swapped in only when all succeeded, so a
failed run leaves the previous build as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from impactreport.errors import NotebookError
from impactreport.inputs import reads
from impactreport.paths import Project
from impactreport.pipeline import cache

KERNEL = "python3"
PACKAGE = Path(__file__).resolve().parents[1]
BUILD_KEY = "build-key.txt"
# what the kernels never import, by the package's layout: the stages after analysis
NOT_IN_NOTEBOOKS = ("publishing", "pipeline", "cli.py", "__main__.py")

Report = Callable[[str, str], None]  # (notebook, what happens to it)


@dataclass(frozen=True)
class ComputeResult:
    year: int
    build: Path
    indicators: Path
    executed: tuple[str, ...]  # notebooks that ran
    reused: tuple[str, ...]  # notebooks taken from the cache


@dataclass(frozen=True)
class Plan:
    notebook: Path
    key: dict
    reason: str | None  # why it must run; None: the cache entry is good

    @property
    def name(self) -> str:
        return self.notebook.name


def notebooks(project: Project) -> list[Path]:
    return sorted(project.notebooks.glob("[0-9][0-9]-*.ipynb"))


def validate(project: Project, year: int):
    """Check what a year's build reads (its inputs, earlier years' indicators) and nothing else."""
    from impactreport.inputs import door

    return door.validate(project, year)


def admit(project: Project, year: int) -> None:
    """The data door, before any kernel: bad data answers now, about its file, in check time."""
    from impactreport.inputs import door

    door.admit(project, year)


def shared_key(project: Project, year: int) -> dict:
    """What every notebook's key shares: parameters, the package's code, the library versions."""
    from impactreport.config import profile_group

    return {
        "parameters": cache.text_digest({"year": year, "languages": profile_group(project.root)}),
        "code": cache.code_digest(PACKAGE, exclude=NOT_IN_NOTEBOOKS),
        "libraries": cache.text_digest(cache.versions()),
    }


def entry_folder(project: Project, year: int, notebook: Path) -> Path:
    return project.build / "cache" / str(year) / notebook.stem


def _read_digests(paths: list[Path]) -> dict[str, str]:
    """Digests of the files read, and of the listing of their folders (a new file beside them)."""
    digests = {str(p): _digest(p) for p in paths}
    for folder in sorted({p.parent for p in paths if not p.is_dir()}):
        names = sorted(x.name for x in folder.iterdir()) if folder.is_dir() else []
        digests[f"{folder}/"] = cache.text_digest(names)
    return digests


def _digest(path: Path) -> str:
    """A file's content; a folder's list of names (a notebook that looked for which years exist)."""
    if path.is_file():
        return cache.file_digest(path)
    if path.is_dir():
        return cache.text_digest(sorted(x.name for x in path.iterdir()))
    return "missing"


def plan(project: Project, year: int, notebook: Path, shared: dict, *, force: bool) -> Plan:
    key = {"notebook": cache.file_digest(notebook), **shared}
    if force:
        return Plan(notebook, key, "--force")
    entry = cache.load(entry_folder(project, year, notebook))
    if entry is None:
        return Plan(notebook, key, "no cache entry")
    differs = cache.changed(entry["key"], key)
    if differs:
        return Plan(notebook, key, f"{', '.join(differs)} changed")
    previous = entry.get("reads", {})
    now = _read_digests([Path(p) for p in previous if not p.endswith("/")])
    stale = [p for p in previous if previous[p] != now.get(p)]
    if stale:
        names = [_display(project, p) for p in stale]
        return Plan(notebook, key, f"{', '.join(names)} changed")
    return Plan(notebook, key, None)


def _display(project: Project, path: str) -> str:
    try:
        return str(Path(path).relative_to(project.root)) + ("/" if path.endswith("/") else "")
    except ValueError:
        return path


def _execute(project: Project, year: int, item: Plan, part: Path) -> None:
    import papermill  # heavy: imported only when a notebook really runs
    from papermill.exceptions import PapermillExecutionError

    part.mkdir(parents=True)
    executed = part / "notebooks" / item.name
    executed.parent.mkdir()
    parameters = {"year": year, "project_root": str(project.root), "build_dir": str(part)}
    try:
        papermill.execute_notebook(
            str(item.notebook),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL,
            cwd=str(project.notebooks),
            progress_bar=False,
        )
    except PapermillExecutionError as exc:
        raise _NotebookFailed(item.name, exc) from None


class _NotebookFailed(Exception):
    def __init__(self, notebook: str, error) -> None:
        super().__init__(notebook)
        self.notebook = notebook
        self.error = error


def compute(
    project: Project, year: int, *, force: bool = False, report: Report | None = None
) -> ComputeResult:

    say = report or (lambda _name, _what: None)
    project.year_folder(year)
    admit(project, year)
    final = project.year_build(year) / "compute"
    shared = shared_key(project, year)
    plans = [plan(project, year, nb, shared, force=force) for nb in notebooks(project)]
    build_key = _build_key(project, year, plans)
    to_run = [p for p in plans if p.reason]
    for item in plans:
        say(item.name, f"runs: {item.reason}" if item.reason else "reused from cache")
    result = ComputeResult(
        year=year,
        build=final,
        indicators=final / "indicators.csv",
        executed=tuple(p.name for p in to_run),
        reused=tuple(p.name for p in plans if not p.reason),
    )
    if not to_run and _current(final, build_key):
        return result

    staging = final.with_name(f".compute-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        _run_all(project, year, to_run, staging, say)
        for item in plans:
            part = staging / "parts" / item.notebook.stem
            if item.reason:
                log = part / "reads.txt"
                cache.store(
                    entry_folder(project, year, item.notebook),
                    item.key,
                    part,
                    {"reads": _read_digests(reads.recorded(log))},
                )
            else:
                shutil.copytree(entry_folder(project, year, item.notebook) / cache.OUTPUTS, part)
        _assemble(project, staging, [staging / "parts" / p.notebook.stem for p in plans])
        shutil.rmtree(staging / "parts")
        (staging / BUILD_KEY).write_text(_build_key(project, year, plans), encoding="utf-8")
    except _NotebookFailed as failure:
        kept = project.year_build(year) / "failed"
        shutil.rmtree(kept, ignore_errors=True)
        staging.rename(kept)
        error = failure.error
        executed = kept / "parts" / Path(failure.notebook).stem / "notebooks" / failure.notebook
        raise NotebookError(
            f"{failure.notebook} failed in cell {error.exec_count} ({error.ename}: {error.evalue}); "
            f"the executed notebook with its traceback is kept at {executed}"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace(staging, final)
    return result


def _build_key(project: Project, year: int, plans: list[Plan]) -> str:
    """The key of a whole build: every notebook's key and the content of its cache entry."""

    def entry_text(item: Plan) -> str:
        try:
            return (entry_folder(project, year, item.notebook) / cache.ENTRY).read_text(
                encoding="utf-8"
            )
        except OSError:
            return "none"

    return cache.text_digest([(p.name, p.key, entry_text(p)) for p in plans])


def _current(final: Path, build_key: str) -> bool:
    try:
        return (final / BUILD_KEY).read_text(encoding="utf-8") == build_key
    except OSError:
        return False


@contextmanager
def _kernel_output(log: Path):
    """Kernels inherit our stderr and fill it with their start-up chatter: send it to a log."""
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _run_all(project: Project, year: int, to_run: list[Plan], staging: Path, say: Report) -> None:
    """Run the notebooks in parallel, on inputs the data door has validated already."""

    def run(item: Plan) -> None:
        _execute(project, year, item, staging / "parts" / item.notebook.stem)
        say(item.name, "done")

    with (
        _kernel_output(staging / "kernels.log"),
        ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
    ):
        for future in [pool.submit(run, item) for item in to_run]:
            future.result()


def _assemble(project: Project, staging: Path, parts: list[Path]) -> None:
    """Merge the notebooks' folders into one build; two notebooks never write the same file."""
    from impactreport.analysis import indicators
    from impactreport.errors import DataError
    from impactreport.inputs.load import load_reference

    owner: dict[Path, Path] = {}
    for part in parts:
        for path in sorted(part.rglob("*")):
            relative = path.relative_to(part)
            if path.is_dir() or relative.parts[0] == "indicators" or relative.name == "reads.txt":
                continue
            if relative in owner:
                raise DataError(
                    path, f"also written by {owner[relative].name}: each output has one notebook"
                )
            owner[relative] = part
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, staging / relative)
    catalogue = load_reference(project).catalogue
    table = indicators.assemble(
        sorted(p for part in parts for p in (part / "indicators").glob("*.csv")), catalogue
    )
    table.to_csv(staging / "indicators.csv", index=False, lineterminator="\n")


def _replace(staging: Path, final: Path) -> None:
    """Swap the new build in; the old one is removed only after the swap."""
    old = final.with_name(f".old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
