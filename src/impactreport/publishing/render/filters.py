"""``filters:`` of the project config: Lua filters that both renderers run.

Two of Quarto's entry points have a plain counterpart in the built-in renderer, which runs the
filter there: ``pre-ast`` (the parsed document, before anything else) when it parses the document,
and ``post-render`` (the document as the writer gets it) just before pandoc writes each format. Any
other placement would mean imitating Quarto's filter chain, so it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from impactreport.errors import RenderError

# filters/generated.lua's placeholder: the blocks of _generated/<name>.md, alone on its line
GENERATED_LINE = re.compile(r"^\{\{<\s*generated\s+(?P<name>[\w-]+)\s*>\}\}\s*$")


PLACES = ("pre-ast", "post-render")


def lua_filters(config: dict[str, Any], root: Path, at: str) -> list[Path]:
    """The Lua filters of ``filters:`` placed ``at`` (``{path: x.lua, at: <place>}``), as files."""
    paths = []
    for entry in config.get("filters") or []:
        if not (isinstance(entry, dict) and entry.get("at") in PLACES and "path" in entry):
            raise RenderError(
                f"_quarto.yml: filters: {entry!r}: the built-in renderer runs only Lua filters"
                f" given as {{path: <file>.lua, at: {' or '.join(PLACES)}}}"
            )
        path = root / str(entry["path"]).lstrip("/")
        if path.suffix != ".lua" or not path.is_file():
            raise RenderError(f"_quarto.yml: filters: {entry['path']}: no such Lua filter")
        if entry["at"] == at:
            paths.append(path)
    return paths


def kit_filters(paths: Iterable[Path], names: Iterable[str] | None = None) -> bool:
    """Whether each of ``paths`` is, byte for byte, one of the kit's own filters (of ``names``,
    else any): what the preview knows a filter to do."""
    kit = resources.files("impactreport") / "kit" / "filters"
    wanted = [kit / name for name in names] if names is not None else list(kit.iterdir())
    known = {f.read_bytes() for f in wanted if f.name.endswith(".lua")}
    return all(Path(p).read_bytes() in known for p in paths)
