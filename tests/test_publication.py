"""The published 2024 report, read back as a reader gets it: HTML text, PDF text, images."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition_text import read_html
from impactreport.paths import Project

# Figures exactly as the published Dutch report prints them.
DUTCH_FIGURES = [
    "20.892",
    "217.458",
    "639.505",
    "4.512.675",
    "2.284",
    "5,98",
    "3,98",
    "1.946,5",
    "564",
    "674",
    "bijna 198 miljoen euro",
    "236.510 euro",
    "1.001.063 euro",
    "circa 6,8 miljoen euro",
    "377",
    "5.348",
    "87",
    "34.945",
    "4.800 m²",
    "meer dan 300",
    "meer dan 150",
    "253",
    "72",
    "84",
]
CHAPTERS = [
    "Juridisch kader",
    "Wettelijke verplichtingen",
    "Dynamiek van de activiteit van de vennoten",
    "Professionele begeleiding",
    "Financiering: renteloze leningen",
    "Opleidingsaanbod",
    "Positieve maatschappelijke impact",
    "Sociale, economische, fiscale en juridische bescherming",
    "Erkenning van ons sociaal en economisch nut",
    "Persoonlijke ontplooiing en een toegankelijke werkomgeving",
    "Delen van middelen en risico's",
]
UNRESOLVED = re.compile(r"\?@|\?\?|\?var:|\?meta:|\{\{<")


def normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def published(built_2024: Project) -> dict[str, Path]:
    folder = built_2024.output / "2024" / "nl"
    return {"html": folder / "report.html", "pdf": folder / "report.pdf"}


@pytest.fixture(scope="module")
def html_text(published) -> str:
    return normalise(" ".join(read_html(published["html"]).parts))


@pytest.fixture(scope="module")
def pdf_text(published) -> str:
    return normalise(" ".join(page.extract_text() for page in PdfReader(published["pdf"]).pages))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_every_published_figure_is_in_the_report(fmt, html_text, pdf_text) -> None:
    text = html_text if fmt == "html" else pdf_text
    missing = [figure for figure in DUTCH_FIGURES if figure not in text]
    assert missing == []


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_chapters_and_conditions(fmt, html_text, pdf_text) -> None:
    text = html_text if fmt == "html" else pdf_text
    assert [c for c in CHAPTERS if c not in text] == []
    rows = re.findall(
        r"(?<![\d.,])([1-9])\. (De vennootschap heeft|Het voorwerp|Elk vermogensvoordeel|Bij vereffening|Wie uittreedt|Het mandaat|Geen enkele aandeelhouder stemt|Een dividend|Het bestuursorgaan)",
        text,
    )
    # the conditions table lists the nine in order (the PDF may repeat a phrase further on)
    assert [int(n) for n, _ in rows][:9] == list(range(1, 10))
    assert "Tabel 1" in text and "Figuur 1" in text and "Figuur 4" in text


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_no_unresolved_reference(fmt, html_text, pdf_text) -> None:
    text = html_text if fmt == "html" else pdf_text
    assert UNRESOLVED.findall(text) == []


@pytest.mark.slow
def test_html_images_have_alt_text_and_nothing_loads_from_outside(published) -> None:
    reader = read_html(published["html"])
    # each chart twice: drawn for the page and for a phone (filters/narrow.lua)
    drawings = sorted(image.get("class", "").split()[-1] for image in reader.images)
    assert drawings == ["chart-narrow"] * 4 + ["chart-wide"] * 4
    for image in reader.images:
        assert len(image.get("alt", "").strip()) > 60
        assert image["src"].startswith("data:")
    source = published["html"].read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']https?://""", source)


@pytest.mark.slow
def test_pdf_is_tagged_pdf_ua_with_alt_texts(published) -> None:
    reader = PdfReader(published["pdf"])
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    metadata = catalog["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    assert "pdfuaid:part" in metadata
    raw = published["pdf"].read_bytes()
    assert raw.count(b"/Alt") >= 4
    assert reader.metadata.title.startswith("Bijzonder verslag")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def docx_text(path: Path) -> str:
    import zipfile

    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return normalise(
        " ".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs)
    )


@pytest.mark.slow
def test_word_edition_has_the_same_figures_captions_and_numbering(published, html_text) -> None:
    text = docx_text(published["html"].with_suffix(".docx"))
    assert [f for f in DUTCH_FIGURES if f not in text] == []
    assert [c for c in CHAPTERS if c not in text] == []
    captions = re.findall(r"(Figuur|Tabel) (\d): ([^.]{10,60})", html_text)
    assert len({c[:2] for c in captions}) == 6  # Tabel 1-2, Figuur 1-4
    for word, number, caption in captions:
        assert f"{word} {number}: {caption[:25]}" in text
