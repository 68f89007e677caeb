"""Warm kernels for the preview: one Jupyter kernel per notebook, kept alive between runs.

A notebook's first run starts its kernel exactly as ``compute`` starts a fresh one (the same
arguments, recording from before the first cell). Every later run finds the kernel back in the
state a fresh one starts in: once the edit's render is done, in the background, the namespace is
emptied (``%reset -f``), the figures closed and matplotlib's settings put back as imported; just
before the next run, every module of the package and of the project is forgotten, so that it is
imported again and its reading recorded as in a fresh kernel, the working folder, ``sys.path``,
the environment and the warnings filters are those of its start, and the reads are recorded
into the new run's log. The libraries (pandas, matplotlib, pyarrow) stay imported: that
is the time saved. A kernel whose notebook failed, that died, or that holds much more memory
than after its first run is shut down and the next run starts a new one. ``build`` never uses
these: it always starts fresh kernels.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path

from impactreport.paths import Project
from impactreport.pipeline.keys import PACKAGE

RESET_TIMEOUT = 30  # seconds for a kernel to answer the reset
STEP = 0.1  # seconds between two looks at whether the kernel still runs, while waiting
# a kernel resident above its size after the first run by this factor (plus some slack) is
# replaced: something of the notebook's outlives its namespace
GROWTH = 1.5
SLACK = 100 * 2**20

# Run in the kernel between two warm runs. Kept as text, not as a module of the package: importing
# a module would record it among the run's reads, which a fresh kernel does not read. The tidying
# is done once an edit's render is done, ahead of the next edit; the restart, which needs the next
# run's log, just before that run.
TIDY = """
get_ipython().run_line_magic("reset", "-f")
import gc as _gc, sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
if "matplotlib" in _sys.modules:
    _sys.modules["matplotlib"].rc_file_defaults()  # as imported; the backend stays
_gc.collect()
del _gc, _sys
"""
RESTART = """
from impactreport.inputs import reads as _reads
_reads.restart({log!r}, ({package!r}, {root!r}))
get_ipython().execution_count = 1
del _reads
"""


# what a kernel started ahead imports before any run: the libraries, never the project's code
LIBRARIES = "import matplotlib.pyplot, pandas, pyarrow.parquet"


class WarmKernels:
    """A ``compute`` runner (``compute.compute(..., runner=kernels.run)``) that keeps a kernel
    per notebook. Thread-safe as ``compute`` uses it: one run per notebook at a time."""

    def __init__(self, project: Project, log: Path) -> None:
        self.project = project
        self.log = log  # the kernels' own output (start-up chatter, a crash's stack)
        self._kernels: dict[str, _Kernel] = {}
        self._lock = threading.Lock()
        self.started = 0  # kernels started, for the tests and the preview's messages
        self.closed = False

    def run(self, papermill, project: Project, item, executed: Path, parameters, log) -> None:
        """Run ``item`` in its warm kernel, reset; a first run starts the kernel. A kernel that
        dies during the run is replaced and the run made once more in a new one."""
        from nbclient.exceptions import DeadKernelError

        from impactreport.pipeline.compute import run_notebook

        kernel = self._ready(item.name, project, log)
        try:
            try:
                run_notebook(papermill, project, item, executed, parameters, log, km=kernel.manager)
            except DeadKernelError:
                self.replace(item.name)
                kernel = self._start(item.name)
                run_notebook(papermill, project, item, executed, parameters, log, km=kernel.manager)
        except BaseException:
            self.replace(item.name)  # a failed run leaves a state no longer known
            raise
        kernel.resettable = True
        if kernel.baseline is None:
            kernel.baseline = _resident(kernel.pid())
        elif kernel.grown():
            self.replace(item.name)
            return
        kernel.untidy = True

    def tidy(self) -> None:
        """Tidy, in the background, every kernel that ran since: called once an edit's render is
        done, so that the tidying does not take a core from it, and before the next run may
        start (which waits for it)."""
        with self._lock:
            kernels = list(self._kernels.values())
        for kernel in kernels:
            if kernel.untidy:
                kernel.untidy = False
                kernel.tidy_ahead()

    def start_ahead(self, notebooks: list[Path]) -> None:
        """Start a kernel for each of ``notebooks`` that has none, as a first run starts it, with
        the libraries the notebooks use imported: the first edit that reruns one waits for
        neither. Its first run is then reset like any later one."""
        for notebook in notebooks:
            with self._lock:
                if self.closed or notebook.name in self._kernels:
                    continue
            kernel = self._start(notebook.name)
            if not kernel.start_ahead(self.project) or self.closed:
                self.replace(notebook.name)
                kernel.shut_down()  # closed while it started: no longer listed

    def _ready(self, name: str, project: Project, log: Path) -> _Kernel:
        """The notebook's kernel reset for a new run, or a new one (started by the run)."""
        with self._lock:
            kernel = self._kernels.get(name)
        if kernel is not None and kernel.reset(project, log):
            return kernel
        self.replace(name)
        return self._start(name)

    def _start(self, name: str) -> _Kernel:
        kernel = _Kernel(self.log)
        with self._lock:
            self._kernels[name] = kernel
            self.started += 1
        return kernel

    def replace(self, name: str) -> None:
        with self._lock:
            kernel = self._kernels.pop(name, None)
        if kernel is not None:
            kernel.shut_down()

    def close(self) -> None:
        with self._lock:
            self.closed = True
            kernels, self._kernels = list(self._kernels.values()), {}
        for kernel in kernels:
            kernel.shut_down()


class _Kernel:
    def __init__(self, log: Path) -> None:
        from impactreport.pipeline.compute import KERNEL
        from impactreport.pipeline.kernel_client import ReadyKernelManager

        self.manager = ReadyKernelManager(kernel_name=KERNEL)
        self.log = log
        self.baseline: int | None = None  # bytes resident after its first run
        self.resettable = False  # started and ready for a run: the next one resets it first
        self._tidying: threading.Thread | None = None  # the tidying ahead of the next run
        self.untidy = False  # ran, and not tidied since
        self._tidied = False

    def start_ahead(self, project: Project) -> bool:
        from jupyter_core.utils import run_sync

        from impactreport.pipeline.compute import kernel_arguments

        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as output:
            run_sync(self.manager.start_kernel)(
                extra_arguments=kernel_arguments(project, Path(os.devnull)),
                stdout=output,
                stderr=output,
            )
        self.resettable = self._execute(LIBRARIES) is not None
        if self.resettable:
            self.tidy_ahead()
        return self.resettable

    def pid(self) -> int | None:
        process = getattr(self.manager.provisioner, "process", None)
        return None if process is None or process.poll() is not None else process.pid

    def grown(self) -> bool:
        return _resident(self.pid()) > self.baseline * GROWTH + SLACK

    def tidy_ahead(self) -> None:
        """Tidy the kernel now, in the background, so that the next run only restarts it."""
        self._tidying = threading.Thread(target=self._tidy, daemon=True)
        self._tidying.start()

    def _tidy(self) -> None:
        self._tidied = self._execute(TIDY) is not None

    def reset(self, project: Project, log: Path) -> bool:
        """Back to a fresh kernel's state, recording into ``log``; False if it did not answer."""
        if self.pid() is None or not self.resettable:
            return False
        if self._tidying is not None:
            self._tidying.join()
        tidied, self._tidying, self._tidied = self._tidied, None, False
        restart = RESTART.format(package=str(PACKAGE), root=str(project.root), log=str(log))
        return self._execute(restart if tidied else TIDY + restart) is not None

    def _execute(self, code: str):
        """Run ``code`` in the kernel through a client of our own; its reply, None on failure.
        Waits in short steps, not for the whole timeout at once: a kernel ended under the wait
        (the preview stopped while it started) ends the wait at once."""
        from queue import Empty

        from jupyter_client import BlockingKernelClient

        if self.pid() is None:
            return None
        client = BlockingKernelClient()
        client.load_connection_info(self.manager.get_connection_info())
        client.start_channels()
        write = _write_to(self.log)
        try:
            sent = client.execute(code, store_history=False)
            limit = time.monotonic() + RESET_TIMEOUT
            while time.monotonic() < limit:
                _drain_output(client, sent, write)
                try:
                    reply = client.get_shell_msg(timeout=STEP)
                except Empty:
                    if self.pid() is None:
                        return None
                    continue
                if reply["parent_header"].get("msg_id") == sent:
                    _drain_output(client, sent, write)
                    return reply if reply["content"]["status"] == "ok" else None
            return None
        finally:
            client.stop_channels()

    def shut_down(self) -> None:
        """End the kernel's process (and its children) and remove its connection file."""
        process = getattr(self.manager.provisioner, "process", None)
        if process is not None and process.poll() is None:
            try:
                group = os.getpgid(process.pid)
                # the kernel leads a session of its own (jupyter_client starts it so)
                if group == os.getpgid(0):
                    raise OSError("the kernel shares our process group")
                os.killpg(group, signal.SIGKILL)
            except OSError:
                process.kill()
            process.wait()
        with contextlib.suppress(OSError):
            self.manager.cleanup_connection_file()


def _drain_output(client, sent: str, write) -> None:
    """What the kernel printed for the request ``sent`` so far, into its log."""
    from queue import Empty

    while True:
        try:
            message = client.get_iopub_msg(timeout=0)
        except Empty:
            return
        if message["parent_header"].get("msg_id") == sent:
            write(message)


def _write_to(log: Path):
    def hook(message) -> None:
        content = message.get("content", {})
        text = content.get("text") or "".join(content.get("traceback", []))
        if text:
            with log.open("a", encoding="utf-8") as handle:
                handle.write(text)

    return hook


def _resident(pid: int | None) -> int:
    """Bytes resident in memory for ``pid`` (0 if it is gone)."""
    if pid is None:
        return 0
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0
