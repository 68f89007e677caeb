"""The preview's writing of its page: each top-level section written once per content, and kept.

Once the reading is by parts (``parts``), pandoc writing the whole page is most of a sentence's
render, though the sentence changed one section. Here the body is written a level-1 section at a
time (its heading and what follows, up to the next; what comes before the first heading is one
more), each kept by what it is written from; the frame around the body (the template with the
title block and the contents) is written from the headings alone and kept by the metadata, the
headings and the arguments. Pandoc writes a section alone as it writes it within the page, as
long as nothing in one section counts on another or on the whole: footnotes (numbered through the
page and gathered at its end), numbered sections, example lists, maths and code (the template
adds their scripts and styles when the page has any), a filter that is not the kit's. Where
there is one, the page is written whole. The publication is always written whole; a test holds
the two writings equal on the real editions.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from impactreport.publishing.render.filters import kit_filters
from impactreport.publishing.render.last_used import LastUsed, side_by_side
from impactreport.publishing.render.pandoc_ast import Node, nodes, write

KEPT = 400  # entries kept, the oldest dropped first
BODY = "$body$"
MARK = "impactreport-page-body-9f3c"  # stands for the body in the frame's template
# what makes a section's writing depend on the rest of the page
ACROSS_PAGE = {"Note", "Math", "CodeBlock", "Code"}
# arguments that only the whole page takes
PAGE_ONLY = ("--standalone", "--template=", "--toc", "--toc-depth=", "--css=")
WHOLE_ONLY = ("--number-sections", "-N", "--embed-resources", "--self-contained", "--id-prefix")

_kept = LastUsed(KEPT)  # sections' HTML, frames, what sections hold


def write_page(document: dict[str, Any], args: list[str]) -> str:
    """The standalone HTML page pandoc writes for ``document`` with ``args``, section by section
    where that gives the same page, else whole."""
    template = _template(args)
    sections = _sections(document["blocks"])
    texts = [json.dumps(section, sort_keys=True, ensure_ascii=False) for section in sections]
    found = [_found(text, section) for text, section in zip(texts, sections, strict=True)]
    if template is None or not _separable(args) or not all(f.stands_alone for f in found):
        return write(document, "html", args)
    fragment_args = [a for a in args if not a.startswith(PAGE_ONLY)]
    inputs = _inputs(fragment_args)
    meta = json.dumps(document["meta"], sort_keys=True, ensure_ascii=False)
    keys = [
        _key(text, meta, *inputs, *_narrow_drawings(f.drawings, args))
        for text, f in zip(texts, found, strict=True)
    ]
    written = _written(keys, sections, document, fragment_args)
    before, after = _frame(document, args, template, meta)
    return before + "\n".join(written) + after


@dataclass(frozen=True)
class Found:
    """What a section holds that decides how it is written: whether it can be written alone,
    and its SVG drawings (``filters/narrow.lua`` adds a phone drawing where there is one)."""

    stands_alone: bool
    drawings: tuple[str, ...]


def _found(text: str, section: list[Node]) -> Found:
    key = _key(text)
    if key not in _kept:
        _kept[key] = _look(section)
    return _kept[key]


def _look(section: list[Node]) -> Found:
    alone, drawings = True, []
    headings = sum(1 for block in section if block["t"] == "Header")
    for node in nodes(section):
        kind = node["t"]
        if kind == "Header":
            headings -= 1  # one inside a div, which the frame would not see
        elif kind in ACROSS_PAGE or (kind == "OrderedList" and node["c"][0][1]["t"] == "Example"):
            alone = False
        elif kind == "Image" and node["c"][2][0].endswith(".svg"):
            drawings.append(node["c"][2][0])
    return Found(alone and headings == 0, tuple(drawings))


def _separable(args: list[str]) -> bool:
    if "--standalone" not in args or any(a.startswith(WHOLE_ONLY) for a in args):
        return False
    return kit_filters(Path(a.split("=", 1)[1]) for a in args if a.startswith("--lua-filter="))


def _template(args: list[str]) -> str | None:
    """The page's template, where its body is ``$body$`` once."""
    paths = [a.split("=", 1)[1] for a in args if a.startswith("--template=")]
    if len(paths) != 1:
        return None
    text = Path(paths[0]).read_text(encoding="utf-8")
    return text if text.count(BODY) == 1 and "${body" not in text and MARK not in text else None


def _sections(blocks: list[Node]) -> list[list[Node]]:
    sections: list[list[Node]] = [[]]
    for block in blocks:
        if block["t"] == "Header" and block["c"][0] == 1 and sections[-1]:
            sections.append([])
        sections[-1].append(block)
    return [s for s in sections if s]


def _written(
    keys: list[str], sections: list[list[Node]], document: dict[str, Any], args: list[str]
) -> list[str]:
    """Each section's HTML, the ones not kept written side by side."""
    missing = {
        key: section for key, section in zip(keys, sections, strict=True) if key not in _kept
    }
    version, meta = document["pandoc-api-version"], document["meta"]

    def written(section: list[Node]) -> str:
        fragment = {"pandoc-api-version": version, "meta": meta, "blocks": section}
        return write(fragment, "html", args).removesuffix("\n")

    for key, html in zip(missing, side_by_side(written, missing.values()), strict=True):
        _kept[key] = html
    return [_kept[key] for key in keys]


def _frame(document: dict[str, Any], args: list[str], template: str, meta: str) -> tuple[str, str]:
    """The page around its body: written from the headings, which make the contents."""
    headings = [b for b in document["blocks"] if b["t"] == "Header"]
    key = _key(json.dumps(headings, sort_keys=True), meta, *_inputs(args))  # the template too
    if key not in _kept:
        with tempfile.TemporaryDirectory() as folder:
            framing = Path(folder) / "frame.html"
            framing.write_text(template.replace(BODY, MARK), encoding="utf-8")
            framed = [f"--template={framing}" if a.startswith("--template=") else a for a in args]
            _kept[key] = write(dict(document, blocks=headings), "html", framed)
    before, after = _kept[key].split(MARK)
    return before, after


def _inputs(args: list[str]) -> list[str]:
    """The arguments, each file they name (filters, template) by its content."""
    named = ("--lua-filter=", "--template=")
    return [
        hashlib.sha256(Path(a.split("=", 1)[1]).read_bytes()).hexdigest()
        if a.startswith(named)
        else a
        for a in args
    ]


def _narrow_drawings(drawings: tuple[str, ...], args: list[str]) -> list[str]:
    """The phone drawings there are beside ``drawings``."""
    paths = [a.split("=", 1)[1] for a in args if a.startswith("--resource-path=")]
    folders = [f for path in paths for f in path.split(os.pathsep)] or ["."]
    narrow = [d.removesuffix(".svg") + ".narrow.svg" for d in drawings]
    return [n for n in narrow if any((Path(f) / n).is_file() for f in folders)]


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
