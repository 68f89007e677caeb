"""Text from data stays text: escape it for the markdown it is pasted into."""

from __future__ import annotations

import re
import string

# pandoc's markdown lets a backslash escape any ASCII punctuation (all_symbols_escapable)
_PUNCTUATION = set(string.punctuation)
# line breaks and runs of spaces become one space; no-break spaces (20 892, 6 %) stay
_SPACES = re.compile(r"[ \t\r\n]+")


def flatten(text: object) -> str:
    """One line, single spaces; no-break spaces kept."""
    return _SPACES.sub(" ", str(text)).strip()


def markdown(text: str) -> str:
    """Inline markdown that shows ``text`` literally: no emphasis, link, HTML, shortcode or heading."""
    return "".join(f"\\{c}" if c in _PUNCTUATION else c for c in flatten(text))


def attribute(text: str) -> str:
    """A double-quoted attribute value (fig-alt="...") that shows ``text`` literally."""
    flat = flatten(text).replace("\\", "\\\\").replace('"', '\\"')
    # a shortcode opener inside an attribute would be expanded by Quarto: make it inert
    return flat.replace("{{<", "{\u200b{<").replace(">}}", ">}\u200b}")


# a colon, semicolon, exclamation or question mark closing a word (not 8:5, not https://),
# markdown-escaped or not
_CLOSING_MARK = re.compile(r"(?<=[\w*)»\]’])[ \u00a0]?(\\?[:;!?])(?=[\s*),]|$)")


def spaced_punctuation(text: str, space: str) -> str:
    """French typography: ``space`` (a narrow no-break space) before : ; ! ? that close a word."""
    return _CLOSING_MARK.sub(lambda m: space + m.group(1), text) if space else text
