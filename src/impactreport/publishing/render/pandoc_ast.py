"""Pandoc's JSON AST: reading and writing with the pandoc pypandoc ships, walking, and a few
node constructors."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pypandoc

from impactreport.errors import RenderError

Node = dict[str, Any]
# A visitor returns None (keep the node), a node (replace it) or a list of nodes (splice them in).
Visitor = Callable[[Node], Node | list[Node] | None]

READER = "markdown"


def read_markdown(
    text: str, filters: Iterable[Path] = (), cwd: Path | None = None
) -> dict[str, Any]:
    """The pandoc AST of markdown ``text`` (front matter included becomes ``meta``), after the
    Lua ``filters``, which run in the folder ``cwd``."""
    args = [f"--lua-filter={f}" for f in filters]
    return json.loads(_pandoc(text, "json", READER, args, cwd))


def write(document: dict[str, Any], to: str, args: Iterable[str]) -> str:
    """``document`` written by pandoc in format ``to``."""
    return _pandoc(json.dumps(document), to, "json", list(args))


def write_file(
    document: dict[str, Any],
    to: str,
    out_path: Path,
    args: Iterable[str],
    env: Mapping[str, str] | None = None,
) -> str:
    """Write ``document`` with pandoc to ``out_path`` (binary formats too); pandoc's warnings.

    ``env`` is added to the environment of the pandoc process (e.g. ``SOURCE_DATE_EPOCH``).
    """
    done = _run(
        "json",
        to,
        [f"--output={out_path}", *args],
        json.dumps(document),
        env={**os.environ, **(env or {})},
    )
    return done.stderr.decode("utf-8", errors="replace")


# only lists and dicts hold nodes: the walks skip the strings and numbers (most of the AST)
CONTAINERS = (list, dict)


def walk(value: Any, visit: Visitor) -> Any:
    """A copy of ``value`` with ``visit`` applied to every node, children before parents."""
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, dict):
                item = _walk_dict(item, visit)
                result = visit(item) if isinstance(item.get("t"), str) else None
            elif isinstance(item, list):
                item, result = walk(item, visit), None
            else:
                out.append(item)
                continue
            if result is None:
                out.append(item)
            elif isinstance(result, list):
                out.extend(result)
            else:
                out.append(result)
        return out
    if isinstance(value, dict):
        return _walk_dict(value, visit)
    return value


def _walk_dict(value: dict, visit: Visitor) -> dict:
    return {
        key: walk(item, visit) if isinstance(item, CONTAINERS) else item
        for key, item in value.items()
    }


def nodes(value: Any) -> Iterator[Node]:
    """Every node in ``value``, in document order (parents before children): each dict in a list
    with a string ``t``. A stack, not nested generators: the render walks the whole AST several
    times, and this is the preview's time."""
    if not isinstance(value, CONTAINERS):
        return
    stack: list[tuple[Any, bool]] = [(value, False)]
    pop, push = stack.pop, stack.append
    while stack:
        item, listed = pop()
        if isinstance(item, list):
            for inner in reversed(item):
                if isinstance(inner, CONTAINERS):
                    push((inner, True))
            continue
        if listed and isinstance(item.get("t"), str):
            yield item
        for inner in reversed(list(item.values())):
            if isinstance(inner, CONTAINERS):
                push((inner, False))


def stringify(value: Any) -> str:
    """The plain text of inlines (or any AST fragment)."""
    parts = []
    for node in nodes(value):
        if node["t"] == "Str":
            parts.append(node["c"])
        elif node["t"] in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
    return "".join(parts)


def attr_dict(attr: list[Any]) -> dict[str, str]:
    """The key-value pairs of a pandoc ``Attr`` ``[id, classes, pairs]``."""
    return dict(attr[2])


def raw_block(fmt: str, text: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, text]}


def raw_inline(fmt: str, text: str) -> Node:
    return {"t": "RawInline", "c": [fmt, text]}


def plain(inlines: list[Node]) -> Node:
    return {"t": "Plain", "c": inlines}


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def text(value: str) -> Node:
    return {"t": "Str", "c": value}


def link(inlines: list[Node], target: str, classes: list[str]) -> Node:
    return {"t": "Link", "c": [["", classes, []], inlines, [target, ""]]}


def _pandoc(
    source: str, to: str, source_format: str, args: list[str], cwd: Path | None = None
) -> str:
    """What pandoc writes for ``source``, run in ``cwd`` if given."""
    return _run(source_format, to, args, source, cwd=cwd).stdout.decode("utf-8")


def _run(
    source_format: str,
    to: str,
    args: list[str],
    source: str,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Pandoc run directly: in ``cwd`` rather than by changing this process's folder (editions
    render in threads), and not through ``pypandoc.convert_text``, which asks pandoc for its
    formats twice on every call. A failure raises, with pandoc's own words."""
    command = [pypandoc.get_pandoc_path(), f"--from={source_format}", f"--to={to}", *args]
    try:
        done = subprocess.run(
            command,
            input=source.encode("utf-8"),
            capture_output=True,
            cwd=cwd,
            env=env,
            check=False,
        )
    except OSError as exc:
        raise RenderError(f"pandoc ({source_format} -> {to}) could not run: {exc}") from exc
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", errors="replace")
        raise RenderError(f"pandoc ({source_format} -> {to}) failed: {' '.join(stderr.split())}")
    return done
