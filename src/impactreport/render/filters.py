"""``filters:`` of the project config: Lua filters that both renderers run.

The built-in renderer runs Lua filters placed ``at: pre-ast`` (Quarto runs those on the parsed
document before any of its own filters) when it parses the document; any other placement would
mean imitating Quarto's filter chain, so it is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from impactreport.errors import RenderError

# filters/generated.lua's placeholder: the blocks of _generated/<name>.md, alone on its line
GENERATED_LINE = re.compile(r"^\{\{<\s*generated\s+[\w-]+\s*>\}\}\s*$")


def pre_ast_filters(config: dict[str, Any], root: Path) -> list[Path]:
    """The Lua filters of ``filters:``, each ``{path: x.lua, at: pre-ast}``, as files."""
    paths = []
    for entry in config.get("filters") or []:
        if not (isinstance(entry, dict) and entry.get("at") == "pre-ast" and "path" in entry):
            raise RenderError(
                f"_quarto.yml: filters: {entry!r}: the built-in renderer runs only Lua filters"
                " given as {path: <file>.lua, at: pre-ast}"
            )
        path = root / str(entry["path"]).lstrip("/")
        if path.suffix != ".lua" or not path.is_file():
            raise RenderError(f"_quarto.yml: filters: {entry['path']}: no such Lua filter")
        paths.append(path)
    return paths
