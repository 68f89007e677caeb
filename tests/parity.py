"""What a reader gets from an edition, read back from its HTML, PDF and Word files, and the
differences between two renderings of it: numbers, headings, captions, cross-references, alt texts.

Two renderers give the same publication when these agree; layout and markup may differ.
"""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from dataclasses import dataclass, fields
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

NUMBER = re.compile(r"\d+(?:[.,\u202f\u00a0]\d+)*")
CAPTION = re.compile(r"^(?:Figuur|Tabel|Figure|Table)\s\d+\s?[:.]")
# French running text says "la figure 1", "le tableau 1"
XREF = re.compile(r"\b(?:[Ff]iguur|[Tt]abel|[Ff]igure|[Tt]able|[Tt]ableau)\s\d+\b")


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def numbers(text: str) -> list[str]:
    return [normalise(n) for n in NUMBER.findall(text)]


@dataclass
class Reading:
    """One edition in one format as a reader meets it."""

    headings: list[str]
    captions: list[str]
    xrefs: list[str]
    alts: list[str]
    numbers: list[str]


def differences(left: Reading, right: Reading, names=("left", "right")) -> list[str]:
    """Each field on which the two readings disagree, with the first items that differ."""
    found = []
    for field in fields(Reading):
        a, b = getattr(left, field.name), getattr(right, field.name)
        if a != b:
            only_a = [x for x in a if x not in b][:3]
            only_b = [x for x in b if x not in a][:3]
            found.append(
                f"{field.name}: {len(a)} in {names[0]}, {len(b)} in {names[1]};"
                f" only in {names[0]}: {only_a}; only in {names[1]}: {only_b}"
            )
    return found


def _xrefs(lines) -> list[str]:
    """'Figuur 1', 'Tabel 1', ... in running text (captions left out)."""
    return [normalise(m) for line in lines for m in XREF.findall(line)]


# --- HTML ---------------------------------------------------------------------------------------


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.headings: list[str] = []
        self.captions: list[str] = []
        self.xrefs: list[str] = []
        self.alts: list[str] = []
        self.text: list[str] = []
        self.current: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self.stack.append("main")
        if "main" not in self.stack:
            return
        # a chart's phone drawing repeats its alt text (test_browser.py checks that it does)
        if tag == "img" and "chart-narrow" not in (attributes.get("class") or "").split():
            self.alts.append(normalise(attributes.get("alt") or ""))
        if tag in ("h1", "h2", "h3", "h4", "figcaption") or (
            tag == "a" and "quarto-xref" in (attributes.get("class") or "")
        ):
            self.current[tag] = []
        if tag in ("script", "style"):
            self.current["skip"] = []

    def handle_endtag(self, tag):
        if tag == "main" and "main" in self.stack:
            self.stack.remove("main")
        if tag in ("script", "style"):
            self.current.pop("skip", None)
        if tag not in self.current:
            return
        text = normalise("".join(self.current.pop(tag)))
        target = {"figcaption": self.captions, "a": self.xrefs}.get(tag, self.headings)
        target.append(text)

    def handle_data(self, data):
        if "main" not in self.stack or "skip" in self.current:
            return
        self.text.append(data)
        for parts in self.current.values():
            parts.append(data)


def read_html(path: Path) -> Reading:
    parser = _Html()
    parser.feed(path.read_text(encoding="utf-8"))
    return Reading(
        parser.headings,
        parser.captions,
        parser.xrefs,
        parser.alts,
        numbers(" ".join(parser.text)),
    )


# --- PDF ----------------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    """The text of the PDF as poppler's pdftotext reads it, one line per line."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def read_pdf(path: Path, text: str | None = None) -> Reading:
    """Headings from the PDF outline, captions and references from its text, alt texts from the
    tagged structure (``/Alt`` of the ``Figure`` elements)."""
    text = pdf_text(path) if text is None else text
    reader = PdfReader(path)
    lines = [normalise(line) for line in text.splitlines() if line.strip()]
    return Reading(
        _outline(reader.outline),
        [line for line in lines if CAPTION.match(line)],
        _xrefs(line for line in lines if not CAPTION.match(line)),
        _structure_alts(reader),
        numbers(text),
    )


def _outline(items) -> list[str]:
    found = []
    for item in items:
        if isinstance(item, list):
            found.extend(_outline(item))
        else:
            found.append(normalise(item.title))
    return found


def _structure_alts(reader: PdfReader) -> list[str]:
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return []
    alts: list[str] = []

    def visit(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                visit(child)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure" and "/Alt" in node:
            alts.append(normalise(str(node["/Alt"])))
        kids = node.get("/K")
        if kids is not None:
            visit(kids)

    visit(root["/StructTreeRoot"])
    return alts


def pdf_ua_problems(path: Path) -> list[str]:
    """What a PDF/UA-1 file must carry and this one does not."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    problems = []
    if "/StructTreeRoot" not in root:
        problems.append("no StructTreeRoot (untagged)")
    mark = root.get("/MarkInfo")
    if not (mark and mark.get_object().get("/Marked")):
        problems.append("MarkInfo /Marked is not true")
    if not root.get("/Lang"):
        problems.append("no document language (/Lang)")
    if not (reader.metadata and reader.metadata.title):
        problems.append("no title in the metadata")
    xmp = root.get("/Metadata")
    raw = xmp.get_object().get_data().decode("utf-8", "replace") if xmp else ""
    if not re.search(r"pdfuaid:part(?:>|=\")1", raw):
        problems.append("XMP metadata does not declare pdfuaid:part 1")
    return problems


# --- Word ---------------------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_RUN_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_HEADING = re.compile(r'<w:pStyle w:val="Heading\d"')
_CAPTION_STYLE = re.compile(r'<w:pStyle w:val="(?:Image|Table)?Caption"')
_DOC_ALT = re.compile(r'<wp:docPr [^>]*descr="([^"]*)"')


def read_docx(path: Path) -> Reading:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    headings, captions, paragraphs = [], [], []
    for paragraph in _PARAGRAPH.findall(xml):
        text = normalise(html.unescape("".join(_RUN_TEXT.findall(paragraph))))
        if not text:
            continue
        paragraphs.append(text)
        if _HEADING.search(paragraph):
            headings.append(text)
        elif CAPTION.match(text):
            captions.append(text)
    return Reading(
        headings,
        captions,
        _xrefs(p for p in paragraphs if not CAPTION.match(p)),
        [normalise(html.unescape(alt)) for alt in _DOC_ALT.findall(xml)],
        numbers(" ".join(paragraphs)),
    )


READERS = {".html": read_html, ".pdf": read_pdf, ".docx": read_docx}


def read(path: Path) -> Reading:
    return READERS[path.suffix](path)
