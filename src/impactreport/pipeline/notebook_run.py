"""Run notebooks with papermill, in parallel, each in a fresh kernel that records what it reads.

Each notebook writes into a part of its own in the staging folder (``part``), its kernel's reads
to a log beside it (``reads_log``). A kernel that dies before answering is started once more; a
notebook that fails keeps its executed copy, traceback included, for the analyst.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from impactreport.errors import NotebookError
from impactreport.paths import Project
from impactreport.pipeline.plan import Plan, store

KERNEL = "python3"
# a kernel that dies before answering (rare, when several start at once on a busy machine) is
# started once more; one that dies twice fails the build
KERNEL_STARTS = 2
KERNELS_LOG = "kernels.log"

Report = Callable[[str, str], None]  # (notebook, what happens to it)
# runs one notebook: (papermill, project, plan, executed notebook, parameters, reads log);
# ``run_notebook`` in a fresh kernel, or the preview's warm kernels
Runner = Callable[..., None]


def part(staging: Path, notebook: Path) -> Path:
    """Where one notebook's outputs lie in the staging folder, before they are assembled."""
    return staging / "parts" / notebook.stem


def reads_log(staging: Path, item: Plan) -> Path:
    return staging / "reads" / f"{item.notebook.stem}.txt"


class NotebookFailed(Exception):
    def __init__(self, notebook: str, error) -> None:
        super().__init__(notebook)
        self.notebook = notebook
        self.error = error

    def kept_in(self, kept: Path) -> NotebookError:
        """The analyst's message, the failed staging folder kept as ``kept``."""
        error = self.error
        executed = part(kept, Path(self.notebook)) / "notebooks" / self.notebook
        return NotebookError(
            f"{self.notebook} failed in cell {error.exec_count} ({error.ename}: {error.evalue}); "
            f"the executed notebook with its traceback is kept at {executed}"
        )


def run_all(
    project: Project, year: int, to_run: list[Plan], staging: Path, say: Report, runner: Runner
) -> None:
    """Run the notebooks in parallel, on inputs the data door has validated already; each run
    is cached as it ends, so that another notebook failing does not throw it away."""

    (staging / "reads").mkdir()

    def run(item: Plan) -> None:
        folder, log = part(staging, item.notebook), reads_log(staging, item)
        execute(project, year, item, folder, log, runner)
        require_results(item, folder)
        store(project, year, item, folder, log)
        say(item.name, "done")

    with (
        kernel_output(staging / KERNELS_LOG),
        ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
    ):
        for future in [pool.submit(run, item) for item in to_run]:
            future.result()


def execute(
    project: Project, year: int, item: Plan, folder: Path, log: Path, runner: Runner
) -> None:
    """One notebook run into ``folder``, its kernel started once more if it never came up."""
    import papermill  # heavy: imported only when a notebook really runs
    from papermill.exceptions import PapermillExecutionError

    folder.mkdir(parents=True)
    executed = folder / "notebooks" / item.name
    executed.parent.mkdir()
    parameters = {"year": year, "project_root": str(project.root), "build_dir": str(folder)}
    for attempt in range(1, KERNEL_STARTS + 1):
        try:
            runner(papermill, project, item, executed, parameters, log)
            return
        except PapermillExecutionError as exc:
            raise NotebookFailed(item.name, exc) from None
        except RuntimeError as exc:  # nbclient's words for a kernel that never came up
            if attempt == KERNEL_STARTS or "kernel_info" not in str(exc):
                raise
            # file descriptor 2 is kernels.log while the notebooks run (see kernel_output)
            os.write(2, f"{item.name}: {exc}; starting another kernel\n".encode())


def run_notebook(
    papermill, project: Project, item: Plan, executed: Path, parameters, log, **engine
) -> None:
    """The notebook run by papermill, in a fresh kernel (or in ``engine``'s ``km``, which a
    first run starts exactly so)."""
    from impactreport.pipeline.kernel_client import ReadyKernelManager

    papermill.execute_notebook(
        str(item.notebook),
        str(executed),
        parameters=parameters,
        kernel_name=KERNEL,
        progress_bar=False,
        extra_arguments=kernel_arguments(project, log),
        kernel_manager_class=ReadyKernelManager,
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


@contextmanager
def kernel_output(log: Path):
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


def require_results(item: Plan, folder: Path) -> None:
    """A notebook whose results would go nowhere is refused (a ``savefig`` of its own, say)."""
    written = [
        p for kind in ("indicators", "figures", "tables") for p in folder.glob(f"{kind}/**/*")
    ]
    if not any(p.is_file() for p in written):
        raise NotebookError(
            f"notebooks/{item.name} wrote no indicator, figure or table: write them with "
            "ctx.write_indicators(theme, rows) and charts.for_each_edition(ctx, 'fig-<id>', draw)"
            " (docs/adding-a-chart.md)"
        )
