"""Digests of files, folders and values, and the library versions: what every cache key is made
of. Only the standard library here: the no-change path stays fast."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from importlib import metadata
from pathlib import Path

_NAME = re.compile(r"[A-Za-z0-9._-]+")


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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
