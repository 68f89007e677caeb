"""``{{< include path >}}``: textual paste, before anything else, like Quarto.

Quarto semantics (src/core/handlers/base.ts ``resolvePath``): the shortcode must be alone on its
line; paths resolve against the directory of the TOP-LEVEL document even inside nested includes; a
leading ``/`` means the project root; a missing file or a cycle is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from impactreport.errors import RenderError

INCLUDE_LINE = re.compile(
    r"""^\{\{<\s*include\s+(?:"(?P<dq>[^"]+)"|'(?P<sq>[^']+)'|(?P<bare>\S+))\s*>\}\}\s*$"""
)


@dataclass(frozen=True)
class SourceLine:
    """One line of the expanded document and where it came from (for error messages)."""

    text: str
    file: Path
    number: int


@dataclass(frozen=True)
class Expansion:
    root: Path
    lines: list[SourceLine]
    files: list[Path]  # every file read, top document first, in reading order

    @property
    def text(self) -> str:
        return "".join(line.text + "\n" for line in self.lines)

    def locate(self, needle: str) -> str:
        """``file:line`` of the first source line containing ``needle`` (else the top document)."""
        for line in self.lines:
            if needle and needle in line.text:
                return f"{display_path(line.file, self.root)}:{line.number}"
        return display_path(self.files[0], self.root)


def include_target(line: str) -> str | None:
    """The path of a block include shortcode on ``line``, else None."""
    match = INCLUDE_LINE.match(line)
    return match and (match["dq"] or match["sq"] or match["bare"])


def expand_includes(top: Path, root: Path) -> Expansion:
    """The top document with every include pasted in, recursively."""
    lines: list[SourceLine] = []
    files: list[Path] = []
    _expand(top.resolve(), top.resolve().parent, root.resolve(), [], lines, files)
    return Expansion(root.resolve(), lines, files)


def resolve_include(target: str, doc_dir: Path, root: Path) -> Path:
    """Quarto's rule: ``/x`` is in the project root, anything else in the top document's dir."""
    if target.startswith("/"):
        return (root / target.lstrip("/")).resolve()
    return (doc_dir / target).resolve()


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root when inside it, for messages."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _expand(
    path: Path,
    doc_dir: Path,
    root: Path,
    stack: list[Path],
    lines: list[SourceLine],
    files: list[Path],
) -> None:
    stack.append(path)
    files.append(path)
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        target = include_target(text)
        if target is None:
            lines.append(SourceLine(text, path, number))
            continue
        where = f"{display_path(path, root)}:{number}"
        included = resolve_include(target, doc_dir, root)
        if not included.is_relative_to(root):
            raise RenderError(f"{where}: include leaves the project folder: {target}")
        if included in stack:
            chain = " -> ".join(display_path(p, root) for p in [*stack, included])
            raise RenderError(f"{where}: circular include: {chain}")
        if not included.is_file():
            raise RenderError(f"{where}: included file not found: {target} ({included})")
        _expand(included, doc_dir, root, stack, lines, files)
    stack.pop()
