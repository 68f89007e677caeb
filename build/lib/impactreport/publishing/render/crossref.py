"""Figures, tables and ``@fig-``/``@tbl-`` references: validation, numbering and resolution.

Quarto semantics (crossref/index.lua, refs.lua, format.lua): one counter per kind, in document order
after includes; ids start with ``fig-``/``tbl-`` and are lower case; ``@Fig-x`` capitalises the
prefix. Two deliberate differences: duplicate ids and unresolved references are RenderErrors (Quarto
lets the later id win and prints ``?@fig-x`` in bold).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from impactreport.errors import RenderError
from impactreport.publishing.render.metadata import Words
from impactreport.publishing.render.pandoc_ast import Node, attr_dict, nodes, stringify

FLOAT_ID = re.compile(r"^(?P<kind>fig|tbl)-[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_ASCII_SPACES = re.compile(r"[ \t\r\n]+")
WIDTH = re.compile(r"^\d+(?:\.\d+)?(?:%|cm|mm|in|pt)$")
FIGURE_ATTRIBUTES = {"fig-alt", "width"}
# Quarto gives every float caption this fixed id suffix (customnodes/floatreftarget.lua).
CAPTION_UUID = "0ceaefa1-69ba-4598-a22c-09a6ac19f8ca"

Locate = Callable[[str], str]


@dataclass(frozen=True)
class Float:
    kind: str  # "fig" or "tbl"
    id: str
    number: int


@dataclass(frozen=True)
class FigureParts:
    id: str
    src: str
    alt: str
    width: str | None
    caption: list[Node]


@dataclass(frozen=True)
class Reference:
    float: Float
    word: str  # the localised prefix, capitalised for @Fig-


def index_floats(blocks: list[Node], locate: Locate) -> dict[str, Float]:
    """Every numbered figure and table by id, numbered per kind in document order."""
    index: dict[str, Float] = {}
    counters = {"fig": 0, "tbl": 0}
    for node in nodes(blocks):
        if node["t"] == "Figure":
            float_id = figure_parts(node, locate).id
        elif node["t"] == "Table" and node["c"][0][0]:
            float_id = _checked_id(node["c"][0][0], "tbl", locate)
        else:
            continue
        if float_id in index:
            raise RenderError(f"{locate('#' + float_id)}: duplicate id #{float_id}")
        kind = float_id[:3]
        counters[kind] += 1
        index[float_id] = Float(kind, float_id, counters[kind])
    return index


def figure_parts(figure: Node, locate: Locate) -> FigureParts:
    """The pieces of ``![Caption](src){#fig-id fig-alt="…" width="…"}``, validated."""
    attr, caption, body = figure["c"]
    images = [n for n in nodes(body) if n["t"] == "Image"]
    if len(images) != 1:
        raise RenderError(f"{locate(stringify(caption))}: a figure holds exactly one image")
    image_attr, _, (src, _) = images[0]["c"]
    figure_id = _checked_id(attr[0] or image_attr[0], "fig", locate, src)
    options = attr_dict(image_attr)
    where = locate("#" + figure_id)
    unknown = sorted(set(options) - FIGURE_ATTRIBUTES)
    if unknown or image_attr[1]:
        raise RenderError(f"{where}: unsupported figure attribute(s) {unknown or image_attr[1]}")
    # ASCII whitespace only: the no-break spaces of numbers (20 892) stay as in the body text
    alt = " ".join(_ASCII_SPACES.split(options.get("fig-alt", ""))).strip()
    if not alt:
        raise RenderError(f'{where}: figure #{figure_id} needs fig-alt="…" (alternative text)')
    width = options.get("width")
    if width is not None and not WIDTH.match(width):
        raise RenderError(f"{where}: width {width!r}: use a number with %, cm, mm, in or pt")
    return FigureParts(figure_id, src, alt, width, caption_inlines(caption))


def caption_inlines(caption: list[Any]) -> list[Node]:
    """The inlines of a pandoc ``Caption`` ``[short, blocks]``."""
    inlines: list[Node] = []
    for block in caption[1]:
        if inlines:
            inlines.append({"t": "Space"})
        inlines.extend(block["c"])
    return inlines


def resolve(cite: Node, index: dict[str, Float], words: Words, locate: Locate) -> Reference:
    """The float a bare ``@fig-x`` / ``@Fig-x`` citation points to."""
    citations = cite["c"][0]
    key = citations[0]["citationId"]
    where = locate("@" + key)
    bare = (
        len(citations) == 1
        and citations[0]["citationMode"]["t"] == "AuthorInText"
        and not citations[0]["citationPrefix"]
        and not citations[0]["citationSuffix"]
    )
    if not bare:
        raise RenderError(f"{where}: write a cross-reference as a bare @{key}, without brackets")
    target = key[:1].lower() + key[1:]
    if target not in index:
        raise RenderError(
            f"{where}: unresolved cross-reference @{key}: no #{target} in the document"
        )
    found = index[target]
    return Reference(found, words.prefix(found.kind, capitalise=key[:1].isupper()))


def _checked_id(float_id: str, kind: str, locate: Locate, fallback: str = "") -> str:
    match = FLOAT_ID.match(float_id)
    if not match or match["kind"] != kind:
        needle = "#" + float_id if float_id else fallback
        raise RenderError(
            f"{locate(needle)}: id {float_id or '(none)'!r}: give it #{kind}-… in lower case"
            " (letters, digits, - and _)"
        )
    return float_id
