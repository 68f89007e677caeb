"""Which files a notebook run read and which modules it ran: what its cache entry depends on.

Recording starts in the kernel before the notebook's first cell (the compute step passes
``start`` to the kernel) and sees every read, whoever makes it: an audit hook receives the
``open`` events of Python code (the package's readers, pandas, openpyxl, the notebook's own
``open``) and the folder listings; pyarrow opens Parquet files in native code, which raises no
event, so its readers are wrapped to say which paths they were given. Modules already imported
when recording starts are written at once; later imports show as the ``open`` of their code.
Each path is written once, as it is seen, so a run that is killed still leaves what it read.
A kernel kept for another run (the preview's) starts each run over with ``restart``.
"""

from __future__ import annotations

import importlib
import os
import sys
import sysconfig
import warnings
from importlib.util import source_from_cache
from pathlib import Path

_fd: int | None = None
_seen: set[str] = set()
_skipped: tuple[str, ...] = ()  # the interpreter's and the libraries' own files
_stdlib = sysconfig.get_paths()["stdlib"] + os.sep
_importlib = os.path.dirname(importlib.__file__) + os.sep
_LISTINGS = ("os.listdir", "os.scandir")
_hooked = False
_fresh: tuple = ()  # the process's state when recording started: what ``restart`` restores
_KEPT = ("impactreport", "impactreport.inputs", __name__)  # imported before recording starts


def start(log: str) -> None:
    """Record into ``log`` (one path a line) from now on, for the rest of the process."""
    global _fd, _skipped, _hooked, _fresh
    if _fd is not None:
        return
    # as given and as resolved: a project's .venv may be a link to the environment
    prefixes = (sys.prefix, sys.base_prefix)
    _skipped = tuple(
        {os.path.abspath(p) + os.sep for p in prefixes}
        | {str(Path(p).resolve()) + os.sep for p in prefixes}
    )
    _fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    for module in list(sys.modules.values()):
        _module(module)
    if not _hooked:
        _fresh = (os.getcwd(), list(sys.path), dict(os.environ), list(warnings.filters))
        sys.addaudithook(_hook)
        _wrap_pyarrow()
        _hooked = True


def restart(log: str, ours: tuple[str, ...]) -> None:
    """Record a new run of this process into ``log`` as if it had just started: the modules of
    the folders ``ours`` (the package, the project) are forgotten, to be imported and recorded
    again, and the working folder, ``sys.path``, the environment and the warnings filters are
    those of the start."""
    global _fd
    if _fd is not None:
        os.close(_fd)
        _fd = None
    for name, module in list(sys.modules.items()):
        source = getattr(module, "__file__", None) or ""
        if name not in _KEPT and source.startswith(ours) and not source.startswith(_skipped):
            del sys.modules[name]
            # a kept package's attribute would answer ``from package import name`` unread
            package, _, attribute = name.rpartition(".")
            if package in _KEPT and package in sys.modules:
                vars(sys.modules[package]).pop(attribute, None)
    folder, path, environment, filters = _fresh
    os.chdir(folder)
    sys.path[:] = path
    os.environ.clear()
    os.environ.update(environment)
    warnings.filters[:] = filters
    warnings._filters_mutated()
    _seen.clear()
    start(log)


def record(path: Path | str) -> None:
    """Note a read made where no audit event is raised (native code); a folder: its listing."""
    if _fd is not None:
        _write(os.fspath(path))


def recorded(log: Path) -> list[Path]:
    if not log.is_file():
        return []
    return sorted({Path(line) for line in log.read_text(encoding="utf-8").splitlines() if line})


def _hook(event: str, args: tuple) -> None:
    if event == "open":
        path, mode = args[0], args[1]
        if isinstance(path, str | bytes | os.PathLike) and _reads(mode, args[2]):
            _code_or_file(os.fsdecode(path))
    elif event in _LISTINGS and isinstance(args[0], str | bytes | os.PathLike) and _asked():
        _write(os.fsdecode(args[0]))


def _asked() -> bool:
    """Whether a folder listing was asked for by the project's code (the package, a notebook),
    not by the import system or a library looking for its own files."""
    frame = sys._getframe(2)
    while frame is not None:
        source = frame.f_code.co_filename
        if source.startswith("<frozen") or source.startswith(_importlib):
            return False
        if not source.startswith(_stdlib) or "site-packages" in source:
            return not source.startswith(_skipped)
        frame = frame.f_back
    return False


def _reads(mode: str | None, flags: int) -> bool:
    if mode is None:  # os.open: only the flags tell
        return flags & (os.O_WRONLY | os.O_RDWR) == 0
    return not any(c in mode for c in "wax+")


def _code_or_file(path: str) -> None:
    if path.endswith(".pyc"):
        try:
            path = source_from_cache(path)
        except ValueError:
            return
    _write(path)


def _module(module: object) -> None:
    source = getattr(module, "__file__", None)
    if isinstance(source, str):
        _write(source)


def _write(path: str) -> None:
    absolute = os.path.abspath(path)
    if absolute in _seen or _fd is None:
        return
    _seen.add(absolute)
    if not absolute.startswith(_skipped):
        os.write(_fd, f"{absolute}\n".encode())


def _wrap_pyarrow() -> None:
    """Parquet files are opened by pyarrow's native code: its readers say which paths."""
    import pyarrow.parquet as pq

    for cls in (pq.ParquetFile, pq.ParquetDataset):
        cls.__init__ = _recording(cls.__init__)


def _recording(init):
    def wrapper(self, source, *args, **kwargs):
        for item in source if isinstance(source, list | tuple) else [source]:
            if isinstance(item, str | os.PathLike):
                record(item)
                if os.path.isdir(item):  # a dataset: every file in it
                    for inner in sorted(Path(item).rglob("*")):
                        record(inner)
        return init(self, source, *args, **kwargs)

    return wrapper
