"""Every number a reader can see in a published edition, and what it is allowed to be.

The text is read from the published files (HTML text and image alt texts, PDF text, Word body,
headers and image descriptions). A number is explained when it is an indicator value as the edition
writes it (the project's own formatting of each row of ``indicators.csv`` and of each year-on-year
change) or a literal declared in ``data/reference/literals.csv``, matched as the whole written
phrase, not as a bare token.
"""

from __future__ import annotations

import csv
import html.parser
import re
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd
from pypdf import PdfReader

from impactreport.analysis import formatting
from impactreport.analysis.editions import Edition

LITERALS = Path("data") / "reference" / "literals.csv"
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
# a written number: digits with group separators (nl "20.892", fr "20 892" once spaces are
# folded), a decimal comma, or an article number "8:5"; never digits inside a word ("ef49d2")
NUMBER = re.compile(r"(?<![\w])(?:\d{1,3}(?:[. ]\d{3})+|\d+)(?:[,:]\d+)?(?!\w)")
# what may follow a number without being part of it
CONTINUES = re.compile(r"[.,:]\d| \d{3}(?!\d)")


@dataclass(frozen=True)
class Literal:
    text: str  # as written, spaces folded; placeholders {year}, {version}, {page}
    where: str  # files (globs, ';'-separated) that write it
    why: str


def fold(text: str) -> str:
    """Every kind of space (no-break, narrow no-break, line break) as one plain space; a hyphen
    the PDF's text gives as a soft hyphen where a line broke between two numbers (2023-2026)
    as the hyphen it is."""
    return SPACES.sub(" ", re.sub(r"(?<=\d)\u00ad(?=\d)", "-", text))


def read_literals(root: Path) -> list[Literal]:
    with (root / LITERALS).open(encoding="utf-8", newline="") as handle:
        return [Literal(fold(r["literal"]), r["where"], r["why"]) for r in csv.DictReader(handle)]


def indicator_numbers(table: pd.DataFrame, changes: pd.DataFrame, edition: Edition) -> set[str]:
    """Each indicator value as the edition writes it: as a phrase (with its unit word, compact
    for millions) and as a bare number; each change as a signed percentage."""
    style = edition.style
    written = []
    for row in table.itertuples():
        written.append(formatting.phrase(row.value, row.unit, row.qualifier, style))
        written.append(formatting.number(row.value, style))
    written += [formatting.signed_percent(row.change, style) for row in changes.itertuples()]
    return {m[0] for text in written for m in NUMBER.finditer(fold(text))}


def expand(literals: list[Literal], year: int, conditions: int, page: int = 0, pages: int = 0):
    """The literal phrases with their placeholders filled: the report's year, the package version,
    each condition number; in a PDF, ``{page}`` alone is the number of the page it is on and
    within a phrase (the contents) any page of the document."""
    phrases = set()
    for literal in literals:
        values = [literal.text.replace("{year}", str(year))]
        values = [v.replace("{version}", version("impactreport")) for v in values]
        if "{condition}" in literal.text:
            values = [
                v.replace("{condition}", str(n)) for v in values for n in range(1, conditions + 1)
            ]
        if literal.text == "{page}":
            values = [str(page)] if page else []
        elif "{page}" in literal.text:
            values = [v.replace("{page}", str(n)) for v in values for n in range(1, pages + 1)]
        phrases.update(values)
    return phrases


def unexplained(text: str, numbers: set[str], phrases: set[str]) -> list[str]:
    """The numbers of ``text`` that are neither an indicator as written nor inside a declared
    literal phrase, each with a little context."""
    text = fold(text)
    covered = [False] * len(text)
    for phrase in sorted(phrases, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            covered[match.start() : match.end()] = [True] * len(match[0])
    found = []
    for match in NUMBER.finditer(text):
        if any(covered[match.start() : match.end()]):
            continue
        if not _is_indicator(text, match.start(), numbers):
            found.append(f"{match[0]!r} in …{text[max(0, match.start() - 40) : match.end() + 20]}…")
    return found


def _is_indicator(text: str, start: int, numbers: set[str]) -> bool:
    """An indicator number as written starts here and the written number does not go on."""
    for number in sorted(numbers, key=len, reverse=True):
        end = start + len(number)
        if (
            text.startswith(number, start)
            and not CONTINUES.match(text, end)
            and (end == len(text) or not text[end].isalnum())
        ):
            return True
    return False


class _Visible(html.parser.HTMLParser):
    """The text of a page a reader sees or hears: body text and image alt texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("head", "script", "style"):
            self.hidden += 1
        alt = dict(attrs).get("alt")
        if tag == "img" and alt:
            self.parts.append(f" {alt} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_RUN_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|<w:tab ?/>")
# a field's cached result (the page number of the footer): Word computes it, nobody writes it
_FIELD_RESULT = re.compile(r'w:fldCharType="separate".*?w:fldCharType="end"', re.S)
_DESCRIPTION = re.compile(r'<wp:docPr [^>]*descr="([^"]*)"')


def docx_text(path: Path) -> str:
    """Body, headers and footers paragraph by paragraph, and every image's description."""
    parts = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                continue
            xml = archive.read(name).decode("utf-8")
            xml = _FIELD_RESULT.sub("", xml)
            parts += [
                "".join(m[1] if m[1] is not None else " " for m in _RUN_TEXT.finditer(p))
                for p in _PARAGRAPH.findall(xml)
            ]
            parts += _DESCRIPTION.findall(xml)
    return html.unescape("\n".join(parts))


class _Spans(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.spans: list[dict[str, str]] = []
        self.open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "span" and attributes.get("class") == "indicator":
            self.open = {**attributes, "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.open is not None:
            self.spans.append(self.open)
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.open["text"] += data


def indicator_spans(page: str) -> list[dict[str, str]]:
    """The indicator spans of an HTML page: their attributes and their text."""
    parser = _Spans()
    parser.feed(page)
    return parser.spans
