"""Which files a notebook read: the dependencies its cache entry is checked against."""

from __future__ import annotations

from pathlib import Path

_log: Path | None = None


def record_to(log: Path | None) -> None:
    """Start recording reads into ``log`` (one path a line), or stop with ``None``."""
    global _log
    _log = log
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("", encoding="utf-8")


def record(path: Path) -> None:
    if _log is not None:
        with _log.open("a", encoding="utf-8") as handle:
            handle.write(f"{Path(path).resolve()}\n")


def recorded(log: Path) -> list[Path]:
    if not log.is_file():
        return []
    return sorted({Path(line) for line in log.read_text(encoding="utf-8").splitlines() if line})
