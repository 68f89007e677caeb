"""The words of a built edition as each format gives them: the PDF's text, the HTML's text and
alt texts, the Word file's text."""

from __future__ import annotations

import base64
import html
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium

from impactreport.paths import Project

STEMS = {"nl": "report", "fr": "rapport"}


class HtmlReader(HTMLParser):
    """A page's text outside styles and scripts, its alt texts and its images' attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.alts: list[str] = []
        self.images: list[dict] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        if tag == "img":
            self.images.append(dict(attrs))
        alt = dict(attrs).get("alt")
        if alt:
            self.alts.append(alt)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def read_html(path: Path) -> HtmlReader:
    reader = HtmlReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def text_and_figures(page: Path) -> tuple[str, list[str], list[bytes]]:
    """A page's text, alt texts and figures (their bytes), whether it embeds its figures as
    ``data:`` addresses (the publication) or links files beside it (the preview's page)."""
    reader = read_html(page)
    figures = []
    for image in reader.images:
        source = image["src"]
        if source.startswith("data:"):
            figures.append(base64.b64decode(source.split(",", 1)[1]))
        else:
            figures.append((page.parent / source).read_bytes())
    return "".join(reader.parts), reader.alts, figures


def texts(project: Project, lang: str, year: int = 2024) -> dict[str, str]:
    folder = project.output / str(year) / lang
    stem = STEMS[lang]
    reader = read_html(folder / f"{stem}.html")
    pdf = pdfium.PdfDocument(folder / f"{stem}.pdf")
    xml = zipfile.ZipFile(folder / f"{stem}.docx").read("word/document.xml").decode("utf-8")
    return {
        "html": "".join(reader.parts) + "\n" + "\n".join(reader.alts),
        "pdf": "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))),
        "docx": html.unescape("\n".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))),
    }
