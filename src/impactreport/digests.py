"""Digests of files, folders and values, and the library versions: what every cache key is made
of. Only the standard library here: the no-change path stays fast."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import time
from importlib import metadata
from pathlib import Path

_NAME = re.compile(r"[A-Za-z0-9._-]+")


# a file's digest is kept by its status (a long-running preview hashes the same files on every
# edit), but only once the file is older than this: a write within the clock's granularity of
# the last one may leave its status as it was (git's "racy" files)
SETTLED_NS = 2_000_000_000
_kept: dict[str, tuple[tuple[int, ...], str]] = {}


def file_digest(path: Path) -> str:
    status = os.stat(path)
    stamp = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    name = os.path.abspath(path)
    kept = _kept.get(name)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > SETTLED_NS:
        _kept[name] = (stamp, digest)
    return digest


def tree_digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): file_digest(p) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def text_digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def package_digest(package: Path) -> str:
    """Every file of the package, whatever its type (code, templates, reference documents)."""
    files = sorted(
        p
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.relative_to(package).parts
    )
    return text_digest({str(p.relative_to(package)): file_digest(p) for p in files})


def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def libraries() -> list[str]:
    """The libraries whose version can change what a notebook or a render produces: the
    package's own dependencies, as ``pyproject.toml`` declares them (not the extras)."""
    try:
        declared = metadata.requires("impactreport") or []
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        declared = []
    return sorted(
        _NAME.match(requirement).group(0).lower()
        for requirement in declared
        if "extra ==" not in requirement
    )


@functools.cache  # installed versions do not change while the process runs
def versions() -> dict[str, str]:
    return {"python": sys.version.split()[0], **{name: version(name) for name in libraries()}}
