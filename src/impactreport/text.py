"""Text from data stays text: escape it for the markdown it is pasted into."""

from __future__ import annotations

import string

# pandoc's markdown lets a backslash escape any ASCII punctuation (all_symbols_escapable)
_PUNCTUATION = set(string.punctuation)


def markdown(text: str) -> str:
    """Inline markdown that shows ``text`` literally: no emphasis, link, HTML, shortcode or heading."""
    flat = " ".join(str(text).split())
    return "".join(f"\\{c}" if c in _PUNCTUATION else c for c in flat)


def attribute(text: str) -> str:
    """A double-quoted attribute value (fig-alt="...") that shows ``text`` literally."""
    flat = " ".join(str(text).split())
    flat = flat.replace("\\", "\\\\").replace('"', '\\"')
    # a shortcode opener inside an attribute would be expanded by Quarto: make it inert
    return flat.replace("{{<", "{\u200b{<").replace(">}}", ">}\u200b}")


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
