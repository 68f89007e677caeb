"""The preview's reading of a document: part by part, each part parsed once per content.

Pandoc reading the whole report is most of a preview's render, though an edit changes one
chapter. Here each run of lines from one file (a chapter, the top document's lines between
includes) is parsed alone and kept by its text, and each ``{{< generated name >}}`` paragraph is
replaced by its block, parsed alone and kept by its file's content, which is what
``filters/generated.lua`` does. Joined, the blocks are what pandoc gives for the whole text,
as long as no part can change how another is read; where one could (a link or footnote defined
in another part, a list or a fenced block running on, an identifier in two parts, a project
filter that is not the kit's), the caller reads the whole text instead. The publication is always
read whole; a test holds the two readings equal on the real editions.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from impactreport.publishing.render.filters import GENERATED_LINE, kit_filters
from impactreport.publishing.render.last_used import LastUsed, side_by_side
from impactreport.publishing.render.pandoc_ast import READER, Node, nodes, read_markdown, stringify

KEPT = 400  # parsed parts kept, the oldest dropped first

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
DIV = re.compile(r"^\s*:{3,}")
DIV_OPENS = re.compile(r"^\s*:{3,}\s*\S")
# what ties one part to another: definitions of links and footnotes, example lists, raw HTML
# blocks, and a bracketed text that may name a heading or a reference defined elsewhere
ACROSS = re.compile(
    r"^ {0,3}\[[^\]]+\]:|\[\^|\^\[|\(@|</?div|<!--|-->|(?<![!\]\\])\[[^\]\n]*\](?![(\[{:])",
    re.MULTILINE | re.IGNORECASE,
)
# a first line that could carry on the part before it: indented text, a list item, a definition,
# a table caption
CARRIES_ON = re.compile(r"^(\s|[-*+]\s|\d+[.)]\s|#[.)]\s|[A-Za-z]{1,4}[.)]\s|[:~(]|Table:)")


@dataclass(frozen=True)
class Part:
    """A part as pandoc read it (kept as JSON: each reading gets its own copy), with the
    identifiers it gives and whether it cites, found once."""

    parsed: str
    identifiers: frozenset[str]
    cites: bool

    def document(self) -> dict[str, Any]:
        return json.loads(self.parsed)


_parsed = LastUsed(KEPT)  # Part by the text's key


def read(texts: list[str], filters: Iterable[Path], root: Path) -> dict[str, Any] | None:
    """The AST of ``"".join(texts)`` after the ``pre-ast`` ``filters``, read part by part; None
    where that could differ from reading it whole."""
    filters = list(filters)
    # only the kit's own generated.lua, which this module does for it, or no filter
    if not kit_filters(filters, ["generated.lua"]) or not all(_stands_alone(t) for t in texts):
        return None
    if not all(_separated(a, b) for a, b in zip(texts, texts[1:], strict=False)):
        return None
    generated = {p.stem: p.read_text(encoding="utf-8") for p in (root / "_generated").glob("*.md")}
    _parse_all([*texts, *generated.values()])
    blocks: list[Node] = []
    owners: dict[str, int] = {}
    version = None
    cited = 0  # citations so far: pandoc numbers them through the document
    for number, text in enumerate(texts):
        part = _parse(text)
        document = part.document()
        if document["meta"]:
            return None
        version = document["pandoc-api-version"]
        if part.cites:
            cited += _renumber_citations(document["blocks"], cited)
        with_generated = _with_generated(document["blocks"], generated)
        if with_generated is None:
            return None
        expanded, generated_identifiers = with_generated
        for identifier in part.identifiers | generated_identifiers:
            if owners.setdefault(identifier, number) != number:
                return None  # pandoc would have told them apart
        blocks.extend(expanded)
    return {"pandoc-api-version": version, "meta": {}, "blocks": blocks}


def _stands_alone(text: str) -> bool:
    lines = text.splitlines()
    fences = sum(1 for line in lines if FENCE.match(line))
    opened = closed = 0
    for line in lines:
        if DIV.match(line):
            if DIV_OPENS.match(line):
                opened += 1
            else:
                closed += 1
            if closed > opened:
                return False
    return fences % 2 == 0 and opened == closed and not ACROSS.search(text)


def _separated(before: str, after: str) -> bool:
    """A blank line between two parts, and nothing in the second that continues the first."""
    if before.endswith("\n\n") or before.strip() == "":
        blank = True
    else:
        blank = after.startswith("\n") or after.split("\n", 1)[0].strip() == ""
    first = next((line for line in after.splitlines() if line.strip()), "")
    return blank and not CARRIES_ON.match(first)


def _parse_all(texts: list[str]) -> None:
    """Parse side by side the texts not kept yet (a fact edit changes several generated
    blocks)."""
    missing = {key: text for text in texts if (key := _key(text)) not in _parsed}
    for key, document in zip(missing, side_by_side(read_markdown, missing.values()), strict=True):
        _keep(key, document)


def _parse(text: str) -> Part:
    key = _key(text)
    if key not in _parsed:
        _keep(key, read_markdown(text))
    return _parsed[key]


def _key(text: str) -> str:
    return hashlib.sha256(f"{READER}\0{text}".encode()).hexdigest()


def _keep(key: str, document: dict[str, Any]) -> None:
    cites = any(node["t"] == "Cite" for node in nodes(document["blocks"]))
    identifiers = frozenset(_identifiers(document["blocks"]))
    _parsed[key] = Part(json.dumps(document), identifiers, cites)


def _renumber_citations(blocks: list[Node], before: int) -> int:
    """Number the part's citations on from ``before``, as the whole reading does; how many the
    part counts."""
    counted = 0
    for node in nodes(blocks):
        if node["t"] == "Cite":
            for citation in node["c"][0]:
                counted = max(counted, citation["citationNoteNum"])
                citation["citationNoteNum"] += before
    return counted


def _with_generated(
    blocks: list[Node], generated: dict[str, str]
) -> tuple[list[Node], set[str]] | None:
    """Each placeholder paragraph replaced by its generated block, and the identifiers those
    blocks give; None if one is missing (the whole reading then reports it, as the filter
    does)."""
    out: list[Node] = []
    identifiers: set[str] = set()
    for block in blocks:
        match = GENERATED_LINE.match(stringify(block["c"])) if block["t"] == "Para" else None
        if match is None:
            out.append(block)
            continue
        if match["name"] not in generated:
            return None
        part = _parse(generated[match["name"]])
        out.extend(part.document()["blocks"])
        identifiers |= part.identifiers
    return out, identifiers


def _identifiers(blocks: list[Node]) -> set[str]:
    """Every identifier the blocks give an element (headings, divs, spans, floats, images)."""
    found = set()
    for node in nodes(blocks):
        content = node.get("c")
        attr = _attr(node["t"], content)
        if attr and attr[0]:
            found.add(attr[0])
    return found


def _attr(kind: str, content: Any) -> list | None:
    if kind == "Header":
        return content[1]
    if kind in ("Div", "Span", "CodeBlock", "Code", "Figure", "Table", "Image", "Link"):
        return content[0]
    return None
