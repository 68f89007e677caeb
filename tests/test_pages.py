"""Looking at the PDF: page images for review, and no text running past the margins."""

from __future__ import annotations

from pathlib import Path

import pytest
import typst

from impactreport.paths import Project
from impactreport.pipeline import build
from impactreport.publishing import pages

MARGIN_PT = 2.2 / 2.54 * 72  # margin x of _quarto.yml (2.2 cm)


def test_overflow_is_detected(tmp_path: Path) -> None:
    source = tmp_path / "narrow.typ"
    source.write_text(
        "#set page(width: 8cm, height: 6cm, margin: 2.2cm)\n#set text(hyphenate: false)\n"
        "Arbeidsovereenkomstenverplichtingenoverzichtstabel\n",
        encoding="utf-8",
    )
    pdf = tmp_path / "narrow.pdf"
    typst.compile(str(source), output=str(pdf))
    found = pages.overflows(pdf, MARGIN_PT)
    assert len(found) == 1 and found[0].page == 1
    assert found[0].beyond_pt > pages.TOLERANCE_PT and "verplichtingen" in found[0].text


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "name"), [("nl", "report"), ("fr", "rapport")])
def test_no_text_runs_past_the_margins(built_2024: Project, lang: str, name: str) -> None:
    pdf = built_2024.output / "2024" / lang / f"{name}.pdf"
    assert [str(o) for o in pages.overflows(pdf, MARGIN_PT)] == []


@pytest.mark.slow
def test_build_writes_every_page_as_png(built_2024: Project) -> None:
    messages: list[str] = []
    build.render_edition(built_2024, 2024, "nl", pages=True, say=messages.append)
    images = sorted((built_2024.year_build(2024) / "nl" / "pages").glob("page-*.png"))
    pdf = built_2024.output / "2024" / "nl" / "report.pdf"
    import pypdfium2 as pdfium

    assert len(images) == len(pdfium.PdfDocument(pdf)) >= 10
    assert images[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any("page images" in m for m in messages)


def test_a_missing_font_fails_the_render(tmp_path: Path) -> None:
    import shutil

    from conftest import ROOT
    from impactreport.errors import RenderError
    from impactreport.publishing.render import render_project

    fixture = ROOT / "tests" / "fixtures" / "render"
    shutil.copytree(fixture, tmp_path / "project")
    shutil.copytree(ROOT / "templates", tmp_path / "project" / "templates")
    config = tmp_path / "project" / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("mainfont: Libertinus Serif", "mainfont: No Such Typeface"), encoding="utf-8"
    )
    with pytest.raises(RenderError, match="unknown font family: no such typeface"):
        render_project(tmp_path / "project", "nl", tmp_path / "out", ("pdf",))
