"""Compute a year: run its notebooks with papermill and assemble the results package.

Read top to bottom, one step a module:
- ``plan``: which notebooks run and why; each is cached under a key of everything that can
  change its output, what its kernel really read and ran included (``inputs.reads``, ``keys``);
- ``condition_gate``: the conditions, checked before any kernel starts;
- ``notebook_run``: the notebooks that must run, with papermill, in parallel;
- ``assembly``: the notebooks' parts merged, the facts that need no analysis passed, the
  package's own tables, the results package declared and checked (all that publishing reads);
- ``inputs_read``: the files the build was made from, for the provenance;
- ``compute_keys``: whether a build is current, and what the editions read of it.

The build is assembled in a fresh folder and swapped in only when all succeeded, so a failed run
leaves the previous build as it was.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from impactreport import folders
from impactreport.paths import Project
from impactreport.pipeline import assembly, cache, compute_keys, inputs_read, keys, notebook_run
from impactreport.pipeline.compute_keys import BUILD_KEY, OUTPUTS_KEY
from impactreport.pipeline.condition_gate import check_conditions
from impactreport.pipeline.notebook_run import (
    KERNEL,
    KERNEL_STARTS,
    Report,
    Runner,
    kernel_arguments,
    run_notebook,
)
from impactreport.pipeline.plan import Plan, entry_folder, notebooks, plan, shared_key

# the names callers know this module by, wherever they now live
__all__ = [
    "BUILD_KEY",
    "KERNEL",
    "KERNEL_STARTS",
    "OUTPUTS_KEY",
    "ComputeResult",
    "Plan",
    "Report",
    "Runner",
    "admit",
    "check_conditions",
    "compute",
    "entry_folder",
    "kernel_arguments",
    "notebooks",
    "plan",
    "run_notebook",
    "shared_key",
    "validate",
]


@dataclass(frozen=True)
class ComputeResult:
    year: int
    build: Path
    indicators: Path
    executed: tuple[str, ...]  # notebooks that ran
    reused: tuple[str, ...]  # notebooks taken from the cache


def validate(project: Project, year: int):
    """Check what a year's build reads (its inputs, earlier years' indicators) and nothing else."""
    from impactreport.inputs import door

    return door.validate(project, year)


def admit(project: Project, year: int) -> None:
    """The data door, before any kernel: bad data answers now, about its file, in check time."""
    from impactreport.inputs import door

    door.admit(project, year)


def compute(
    project: Project,
    year: int,
    *,
    force: bool = False,
    report: Report | None = None,
    runner: Runner | None = None,
) -> ComputeResult:
    """Compute ``year``: plan, check the conditions, run what changed, assemble, swap in."""
    say = report or (lambda _name, _what: None)
    project.year_folder(year)
    admit(project, year)
    final = project.year_build(year) / "compute"
    shared = shared_key(project, year)
    known = keys.Digests(project)
    plans = [plan(project, year, nb, shared, force=force, known=known) for nb in notebooks(project)]
    build_key = compute_keys.build_key(project, year, plans)
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
    if not to_run and compute_keys.current(final, build_key):
        folders.tidy(final)  # what a killed run left beside the build
        return result

    checked = check_conditions(project, year)
    staging = folders.beside(final)
    try:
        notebook_run.run_all(project, year, to_run, staging, say, runner or run_notebook)
        parts = _parts(project, year, plans, staging)
        assembly.merge(project, year, staging, parts)
        inputs_read.write(project, year, plans, staging / inputs_read.NAME)
        assembly.write_tables(project, year, staging, checked)
        assembly.write_results(project, year, staging)
        shutil.rmtree(staging / "parts")
        shutil.rmtree(staging / "reads", ignore_errors=True)
        compute_keys.write(staging, compute_keys.build_key(project, year, plans))
    except notebook_run.NotebookFailed as failure:
        kept = project.year_build(year) / "failed"
        shutil.rmtree(kept, ignore_errors=True)
        staging.rename(kept)
        raise failure.kept_in(kept) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    folders.swap(staging, final)
    return result


def _parts(project: Project, year: int, plans: list[Plan], staging: Path) -> list[Path]:
    """Each notebook's part: a run made now (and cached as it ended), or a reused one copied
    from its cache entry."""
    parts = []
    for item in plans:
        part = notebook_run.part(staging, item.notebook)
        if not item.reason:
            shutil.copytree(entry_folder(project, year, item.notebook) / cache.OUTPUTS, part)
        parts.append(part)
    return parts
