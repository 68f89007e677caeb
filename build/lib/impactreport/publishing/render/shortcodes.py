"""``{{< var key >}}`` and ``{{< meta key >}}``: textual substitution of markdown values.

Quarto semantics (quarto-pre/shortcodes-handlers.lua, options.lua): dotted keys nest,
``\\.`` escapes a dot, a numeric segment indexes a list 1-based, values are markdown inserted
as-is, and ``{{{< x >}}}`` is the literal text ``{{< x >}}``. One deliberate difference: a missing
key is a RenderError here, where Quarto prints ``?var:key`` in bold and carries on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from impactreport.errors import RenderError
from impactreport.publishing.render.includes import SourceLine, display_path

_SHORTCODE = re.compile(
    r"\{\{\{<(?P<escaped>.*?)>\}\}\}"
    r"|\{\{<\s*(?P<name>var|meta)\s+(?P<key>.*?)\s*>\}\}"
)
# the text before a match ends inside a double-quoted attribute value: key="...
_IN_ATTRIBUTE = re.compile(r"=\s*\"(?:[^\"\\]|\\.)*$")
_MISSING = object()


def expand_shortcodes(
    lines: Iterable[SourceLine], variables: dict[str, Any], metadata: dict[str, Any], root: Path
) -> str:
    """The document text with var and meta shortcodes replaced by their values."""
    sources = {"var": variables, "meta": metadata}
    return "".join(_expand_line(line, sources, root) + "\n" for line in lines)


def lookup(data: dict[str, Any], key: str) -> Any:
    """The value at a dotted ``key``; raises KeyError when any segment is missing."""
    value: Any = data
    for segment in split_key(key):
        value = _step(value, segment)
        if value is _MISSING or value is None:
            raise KeyError(key)
    return value


def split_key(key: str) -> list[str]:
    """``a.b\\.c.1`` -> ``['a', 'b.c', '1']``."""
    return [part.replace("\\.", ".") for part in re.split(r"(?<!\\)\.", key.strip("\"'"))]


def as_markdown(value: Any) -> str:
    """A scalar as Quarto's Lua ``tostring`` writes it; a list or map raises TypeError."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _expand_line(line: SourceLine, sources: dict[str, dict[str, Any]], root: Path) -> str:
    def replace(match: re.Match[str]) -> str:
        if match["escaped"] is not None:
            return "{{<" + match["escaped"] + ">}}"
        name, key = match["name"], match["key"]
        where = f"{display_path(line.file, root)}:{line.number}: {match[0]}"
        origin = "_variables.yml" if name == "var" else "the document metadata"
        try:
            value = as_markdown(lookup(sources[name], key))
        except KeyError as exc:
            raise RenderError(f"{where}: no value for {key!r} in {origin}") from exc
        except TypeError as exc:
            raise RenderError(
                f"{where}: {key!r} is a {exc} in {origin}, not a single value"
            ) from exc
        if _IN_ATTRIBUTE.search(line.text[: match.start()]):
            return value.replace("\\", "\\\\").replace('"', '\\"')
        return value

    return _SHORTCODE.sub(replace, line.text)


def _step(value: Any, segment: str) -> Any:
    if isinstance(value, list):
        if not segment.isdigit() or not 1 <= int(segment) <= len(value):
            return _MISSING
        return value[int(segment) - 1]  # Lua lists are 1-based
    if isinstance(value, dict):
        if segment in value:
            return value[segment]
        return value.get(int(segment), _MISSING) if segment.isdigit() else _MISSING
    return _MISSING
