"""Run every notebook for a year with papermill and assemble the indicators table.

Each notebook writes into a folder of its own, cached under a key made of everything that can
change its output: the notebook, its parameters and the library versions, and what its kernel
really read and ran, recorded while it ran (``inputs.reads``, ``pipeline.keys``). A rebuild
re-executes only the notebooks whose key changed, in parallel. Facts that need no analysis pass
from the door's copy to the indicators table here, without a kernel, and every row gets its
lineage here from the year's descriptor. The results are then declared and checked as a data
package of their own (``analysis.results``), with the reference data and the edition's status:
all that publishing reads. The build is assembled in a fresh folder and swapped in only when all
succeeded, so a failed run leaves the previous build as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from impactreport import digests, folders
from impactreport.analysis import results
from impactreport.errors import NotebookError
from impactreport.inputs import reads
from impactreport.paths import Project
from impactreport.pipeline import cache, keys

KERNEL = "python3"
# a kernel that dies before answering (rare, when several start at once on a busy machine) is
# started once more; one that dies twice fails the build
KERNEL_STARTS = 2
BUILD_KEY = "build-key.txt"
# what the editions read from a build (the files its results package names), for the render
# key: a notebook run again with the same results (an input changed and changed back, a comment
# in a module) renders nothing
OUTPUTS_KEY = "outputs-key.txt"

Report = Callable[[str, str], None]  # (notebook, what happens to it)
# runs one notebook: (papermill, project, plan, executed notebook, parameters, reads log);
# ``run_notebook`` in a fresh kernel, or the preview's warm kernels
Runner = Callable[..., None]


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
    """What every notebook's key shares: the parameters and the library versions. The code each
    one ran is among its recorded reads."""
    from impactreport.config import profile_group

    return {
        "parameters": digests.text_digest({"year": year, "languages": profile_group(project.root)}),
        "libraries": digests.text_digest(digests.versions()),
    }


def entry_folder(project: Project, year: int, notebook: Path) -> Path:
    return project.build / "cache" / str(year) / notebook.stem


def plan(
    project: Project,
    year: int,
    notebook: Path,
    shared: dict,
    *,
    force: bool,
    known: keys.Digests | None = None,
) -> Plan:
    key = {"notebook": digests.file_digest(notebook), **shared}
    if force:
        return Plan(notebook, key, "--force")
    entry = cache.load(entry_folder(project, year, notebook))
    if entry is None:
        return Plan(notebook, key, "no cache entry")
    differs = cache.changed(entry["key"], key)
    if differs:
        return Plan(notebook, key, f"{', '.join(differs)} changed")
    stale = (known or keys.Digests(project)).stale(entry.get("reads", {}))
    if stale:
        return Plan(notebook, key, f"{', '.join(_by_source(project, year, stale))} changed")
    return Plan(notebook, key, None)


def _by_source(project: Project, year: int, stale: list[str]) -> list[str]:
    """Name a table of the door's typed copy by the input file it came from, as the analyst
    knows it (``_build/2024/inputs/contracts.parquet`` -> ``data/2024/contracts.csv``)."""
    from impactreport.inputs import door

    copy = door.folder(project, year)
    try:
        sources = json.loads((copy / door.SOURCES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        sources = {}
    shown = []
    for path in stale:
        name = Path(path).stem if Path(path).parent == copy.relative_to(project.root) else None
        shown.append(sources.get(name, path) if name else path)
    return list(dict.fromkeys(shown))


def _execute(
    project: Project, year: int, item: Plan, part: Path, log: Path, runner: Runner
) -> None:
    import papermill  # heavy: imported only when a notebook really runs
    from papermill.exceptions import PapermillExecutionError

    part.mkdir(parents=True)
    executed = part / "notebooks" / item.name
    executed.parent.mkdir()
    parameters = {"year": year, "project_root": str(project.root), "build_dir": str(part)}
    for attempt in range(1, KERNEL_STARTS + 1):
        try:
            runner(papermill, project, item, executed, parameters, log)
            return
        except PapermillExecutionError as exc:
            raise _NotebookFailed(item.name, exc) from None
        except RuntimeError as exc:  # nbclient's words for a kernel that never came up
            if attempt == KERNEL_STARTS or "kernel_info" not in str(exc):
                raise
            # file descriptor 2 is kernels.log while the notebooks run (see _kernel_output)
            os.write(2, f"{item.name}: {exc}; starting another kernel\n".encode())


def run_notebook(
    papermill, project: Project, item: Plan, executed: Path, parameters, log, **engine
) -> None:
    """The notebook run by papermill, in a fresh kernel (or in ``engine``'s ``km``, which a
    first run starts exactly so)."""
    papermill.execute_notebook(
        str(item.notebook),
        str(executed),
        parameters=parameters,
        kernel_name=KERNEL,
        progress_bar=False,
        extra_arguments=kernel_arguments(project, log),
        **engine,
    )


def kernel_arguments(project: Project, log: Path) -> list[str]:
    """How a notebook's kernel starts. It works in the notebooks' folder and imports the
    project's modules there (payroll_indicators.py). Set in the kernel, not with papermill's cwd,
    which changes the working folder of this whole process while the notebook runs: two notebooks
    in parallel threads would restore each other's folder, and a kernel start elsewhere.
    Recording starts in the kernel before the notebook's first line runs; a crash of the kernel
    leaves its stack in kernels.log."""
    return [
        # a batch run keeps no command history (parallel kernels would share its file)
        "--HistoryManager.enabled=False",
        "--IPKernelApp.exec_lines="
        "import faulthandler; faulthandler.enable(); "
        f"import os, sys; os.chdir({str(project.notebooks)!r}); "
        f"sys.path.insert(0, {str(project.notebooks)!r}); "
        f"from impactreport.inputs import reads; reads.start({str(log)!r})",
    ]


class _NotebookFailed(Exception):
    def __init__(self, notebook: str, error) -> None:
        super().__init__(notebook)
        self.notebook = notebook
        self.error = error


def compute(
    project: Project,
    year: int,
    *,
    force: bool = False,
    report: Report | None = None,
    runner: Runner | None = None,
) -> ComputeResult:

    say = report or (lambda _name, _what: None)
    project.year_folder(year)
    admit(project, year)
    final = project.year_build(year) / "compute"
    shared = shared_key(project, year)
    known = keys.Digests(project)
    plans = [plan(project, year, nb, shared, force=force, known=known) for nb in notebooks(project)]
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
        folders.tidy(final)  # what a killed run left beside the build
        return result

    checked = check_conditions(project, year)
    staging = folders.beside(final)
    try:
        _run_all(project, year, to_run, staging, say, runner or run_notebook)
        for item in plans:
            part = staging / "parts" / item.notebook.stem
            if item.reason:
                _store(project, year, item, part, _log(staging, item))
            else:
                shutil.copytree(entry_folder(project, year, item.notebook) / cache.OUTPUTS, part)
        _assemble(project, year, staging, [staging / "parts" / p.notebook.stem for p in plans])
        _write_inputs(project, year, plans, staging / "inputs.json")
        _write_tables(project, year, staging, checked)
        _write_results(project, year, staging)
        shutil.rmtree(staging / "parts")
        shutil.rmtree(staging / "reads", ignore_errors=True)
        (staging / BUILD_KEY).write_text(_build_key(project, year, plans), encoding="utf-8")
        (staging / OUTPUTS_KEY).write_text(_outputs_key(project, year, staging), encoding="utf-8")
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
    folders.swap(staging, final)
    return result


def check_conditions(project: Project, year: int):
    """The conditions as checked, evaluated once, here: they follow from the declared facts
    alone. One not met and unexplained stops the build before any kernel starts."""
    from impactreport.analysis import conditions
    from impactreport.inputs import door
    from impactreport.inputs.load import AdmittedReference

    admitted = door.read(project, year)
    reference = AdmittedReference(project).conditions
    results = conditions.evaluate(reference, admitted.facts, admitted.explanations)
    conditions.check(results, year)
    return conditions.checked_table(reference, results)


def _write_tables(project: Project, year: int, staging: Path, checked) -> None:
    """The tables that need no analysis, written by the package rather than by a notebook: the
    conditions as checked and the year's publications, as the door validated them."""
    from impactreport.errors import DataError
    from impactreport.inputs import door

    tables = staging / "tables"
    tables.mkdir(exist_ok=True)
    for name, frame in (
        ("conditions", checked),
        ("publications", door.read(project, year).publications),
    ):
        path = tables / f"{name}.csv"
        if path.exists():
            raise DataError(path, "written by a notebook: the package writes this table itself")
        frame.to_csv(path, index=False, lineterminator="\n")


def _log(staging: Path, item: Plan) -> Path:
    return staging / "reads" / f"{item.notebook.stem}.txt"


def _store(project: Project, year: int, item: Plan, part: Path, log: Path) -> None:
    """Cache a run with what it read; a run that recorded nothing cannot be keyed."""
    recorded = reads.recorded(log)
    if not recorded:
        raise NotebookError(f"{item.name}: its kernel recorded no reads ({log} is empty)")
    dependencies = keys.dependencies(project, recorded, own_output=part.parent.parent)
    cache.store(entry_folder(project, year, item.notebook), item.key, part, {"reads": dependencies})


def _write_inputs(project: Project, year: int, plans: list[Plan], target: Path) -> None:
    """The project files every notebook read (not code), and those the passed facts are made
    from, with their digests, for the provenance."""
    found = {
        str(path.relative_to(project.root)): digests.file_digest(path)
        for path in _passed_reads(project, year)
    }
    for item in plans:
        entry = cache.load(entry_folder(project, year, item.notebook)) or {}
        found.update(
            (name, digest)
            for name, digest in entry.get("reads", {}).items()
            if not Path(name).is_absolute() and not name.endswith((".py", "/"))
        )
    # a table of the door's typed copy stands for the export it was made from
    for name in list(found):
        [source] = _by_source(project, year, [name])
        if source != name and (project.root / source).is_file():
            del found[name]
            found[source] = digests.file_digest(project.root / source)
    target.write_text(json.dumps(found, indent=1, sort_keys=True), encoding="utf-8")


def _build_key(project: Project, year: int, plans: list[Plan]) -> str:
    """The key of a whole build: every notebook's key and the content of its cache entry, and
    what the facts passed without a notebook depend on."""

    def entry_text(item: Plan) -> str:
        try:
            return (entry_folder(project, year, item.notebook) / cache.ENTRY).read_text(
                encoding="utf-8"
            )
        except OSError:
            return "none"

    entries = [(p.name, p.key, entry_text(p)) for p in plans]
    return digests.text_digest(entries, _passed_key(project, year))


def _write_results(project: Project, year: int, staging: Path) -> None:
    """Declare the results as a data package and check it, with what the editions print beside
    the numbers: the reference data and the status the year's inputs give the edition."""
    from impactreport.analysis import indicators
    from impactreport.inputs.load import load_reference
    from impactreport.pipeline import approval
    from impactreport.publishing import draft, provenance

    reference = load_reference(project)
    table = indicators.read(staging / "indicators.csv")
    changed = approval.pending(project, year, table)
    status = draft.assess(project, year, table, reference, changed)
    signed = approval.signed(project, year, changed)
    record = {
        "draft": draft.as_record(status),
        "inputs": provenance.inputs_status(project, year, signed),
    }
    results.write(staging, year, reference, record)


def _outputs_key(project: Project, year: int, build: Path) -> str:
    """The files the results package names, all the editions read of a build (not the executed
    notebooks, whose run times differ at every run)."""
    files = {
        str(p.relative_to(build)): digests.file_digest(p) for p in results.Results(build).files()
    }
    return digests.text_digest(files)


def _current(final: Path, build_key: str) -> bool:
    try:
        same = (final / BUILD_KEY).read_text(encoding="utf-8") == build_key
    except OSError:
        return False
    # else assembled by an earlier version
    return same and (final / OUTPUTS_KEY).is_file() and (final / results.NAME).is_file()


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


def _run_all(
    project: Project, year: int, to_run: list[Plan], staging: Path, say: Report, runner: Runner
) -> None:
    """Run the notebooks in parallel, on inputs the data door has validated already."""

    (staging / "reads").mkdir()

    def run(item: Plan) -> None:
        part, log = staging / "parts" / item.notebook.stem, _log(staging, item)
        _execute(project, year, item, part, log, runner)
        _require_results(item, part)
        say(item.name, "done")

    with (
        _kernel_output(staging / "kernels.log"),
        ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
    ):
        for future in [pool.submit(run, item) for item in to_run]:
            future.result()


def _require_results(item: Plan, part: Path) -> None:
    """A notebook whose results would go nowhere is refused (a ``savefig`` of its own, say)."""
    written = [
        p for folder in ("indicators", "figures", "tables") for p in part.glob(f"{folder}/**/*")
    ]
    if not any(p.is_file() for p in written):
        raise NotebookError(
            f"notebooks/{item.name} wrote no indicator, figure or table: write them with "
            "ctx.write_indicators(theme, rows) and charts.for_each_edition(ctx, 'fig-<id>', draw)"
            " (docs/adding-a-chart.md)"
        )


def _assemble(project: Project, year: int, staging: Path, parts: list[Path]) -> None:
    """Merge the notebooks' folders into one build; two notebooks never write the same file."""
    from impactreport.analysis import indicators, lineage
    from impactreport.errors import DataError
    from impactreport.inputs import descriptor, door
    from impactreport.inputs.load import load_reference

    owner: dict[Path, Path] = {}
    for part in parts:
        for path in sorted(part.rglob("*")):
            relative = path.relative_to(part)
            if path.is_dir() or relative.parts[0] == "indicators":
                continue
            if relative in owner:
                raise DataError(
                    path, f"also written by {owner[relative].name}: each output has one notebook"
                )
            owner[relative] = part
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, staging / relative)
    catalogue = load_reference(project).catalogue
    written = sorted(p for part in parts for p in (part / "indicators").glob("*.csv"))
    computed = {i for path in written for i in indicators.read(path)["id"]}
    stored = door.read(project, year)
    facts, facts_path = stored.checked_facts, project.root / stored.files["facts"]
    # the facts no notebook computes pass from the door's copy
    passed = indicators.to_frame(indicators.passed_facts(catalogue, facts, year, computed))
    table = indicators.assemble(written, catalogue, passed)
    # each row's inputs, their origin and verification: from the year's descriptor, read here
    # rather than in the kernels, so that a recorded approval reruns no notebook
    table = lineage.annotate(table, facts, facts_path, descriptor.load(facts_path.parent))
    table.to_csv(staging / "indicators.csv", index=False, lineterminator="\n")


def _passed_reads(project: Project, year: int) -> list[Path]:
    """The project files what the package writes without a notebook is made from, for the
    provenance: the door's facts, publications and explanations and where they came from, the
    catalogue and the conditions, the year's descriptor."""
    from impactreport.inputs import descriptor, door

    copy = door.folder(project, year)
    tables = ("facts", "fact_checks", "publications", "explanations")
    found = [
        *(copy / f"{name}.parquet" for name in tables),
        copy / door.SOURCES,
        project.reference / "indicators.csv",
        project.reference / "conditions.csv",
    ]
    return [p for p in [*found, project.year_data(year) / descriptor.NAME] if p.is_file()]


def _passed_key(project: Project, year: int) -> str:
    """What the package writes without a notebook depends on, by rule: the door's copy (its
    manifest is the key of every input, the reference and the validation code) and the package's
    code (the passed facts, the conditions, the status and the results package are assembled by
    several stages; an assembly is quick, and a render follows only when a result changed), and
    what an approved year's status compares with the approval (the text, the lock)."""
    from impactreport.inputs import door
    from impactreport.pipeline import approval

    try:
        manifest = (door.folder(project, year) / door.MANIFEST).read_text(encoding="utf-8")
    except OSError:
        manifest = "none"
    return digests.text_digest(
        manifest, digests.package_digest(keys.PACKAGE), approval.key(project, year)
    )
