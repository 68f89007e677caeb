"""HTML and PDF of the fixture project, through the project's own templates."""

import datetime as dt
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from impactreport.errors import RenderError
from impactreport.publishing.render import load_config, render_project
from impactreport.publishing.render.document import read_document
from impactreport.publishing.render.typst_path import typst_markup, typst_source, typst_string
from render_fixture import ALTS, NBSP, copy_fixture

stage = copy_fixture


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return stage(tmp_path_factory.mktemp("render"))


@pytest.fixture(scope="module")
def rendered(staged: Path) -> dict[str, Path]:
    return render_project(staged, "nl", staged.parent / "out")


@pytest.fixture(scope="module")
def typst_text(staged: Path) -> str:
    document = read_document(staged, staged / "report.qmd", load_config(staged, ["nl"]))
    return typst_source(document)


@pytest.fixture(scope="module")
def html(rendered: dict[str, Path]) -> str:
    return rendered["html"].read_text(encoding="utf-8")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str, name: str) -> list[dict[str, str | None]]:
    parser = _Tags()
    parser.feed(html)
    return [attrs for tag, attrs in parser.tags if tag == name]


def test_outputs_are_named_after_the_document(rendered: dict[str, Path]) -> None:
    assert {k: p.name for k, p in rendered.items()} == {"html": "report.html", "pdf": "report.pdf"}


def test_every_image_has_its_fig_alt(html: str) -> None:
    assert [img["alt"] for img in tags(html, "img")] == ALTS


def test_html_is_self_contained(html: str) -> None:
    images = tags(html, "img")
    assert images and all(img["src"].startswith("data:image/svg+xml") for img in images)
    assert not tags(html, "script")
    assert not tags(html, "link")
    assert not re.search(
        r"""(src|href)\s*=\s*["']?(https?:)?//""", html.replace('href="https://voorbeeld.be"', "")
    )
    assert "<script>alert" not in html


def test_html_document_structure(html: str) -> None:
    assert '<html lang="nl-BE">' in html
    assert '<p class="organisation">Voorbeeld vzw</p>' in html
    assert '<h1 class="title">Bijzonder verslag</h1>' in html
    assert '<p class="subtitle">Boekjaar 2024</p>' in html
    toc_links = [a["href"] for a in tags(html.split('<nav id="TOC"')[1].split("</nav>")[0], "a")]
    assert toc_links == ["#inleiding", "#activiteiten", "#resultaten", "#bijlagen"]
    assert all(f'id="{link[1:]}"' in html for link in toc_links)


def test_html_floats_follow_quarto(html: str) -> None:
    assert (
        '<div id="fig-omzet" class="quarto-float quarto-figure quarto-figure-center anchored">'
        in html
    )
    assert '<figure class="quarto-float quarto-float-fig figure">' in html
    assert f"Figuur{NBSP}1: Omzet per jaar" in html
    assert f"Figuur{NBSP}2: Leden per jaar" in html
    # table caption above the table
    assert html.index(f"Tabel{NBSP}1: Ledenaantallen per jaar") < html.index("<table")
    assert f'<a href="#fig-omzet" class="quarto-xref">Figuur{NBSP}1</a>' in html
    assert f'<a href="#tbl-leden" class="quarto-xref">Tabel{NBSP}1</a>' in html


def test_typst_figures_carry_escaped_alt_text(typst_text: str) -> None:
    figures = re.findall(r"#figure\(image\((.*?)\), caption", typst_text)
    assert figures == [
        '"/img/chart.svg", alt: "Staafdiagram van de omzet van Voorbeeld vzw per jaar", width: 80%',
        '"/img/chart.svg", alt: "Grafiek \\"leden\\" \\\\ #1 <script>alert(1)</script>"',
    ]


def test_typst_floats_and_references_follow_quarto(typst_text: str) -> None:
    source = typst_text
    assert 'kind: "quarto-float-fig", supplement: "Figuur")<fig-omzet>' in source
    assert "caption: figure.caption(position: top, [Ledenaantallen per jaar])" in source
    assert 'kind: "quarto-float-tbl", supplement: "Tabel")<tbl-leden>' in source
    assert "#ref(<fig-leden>, supplement: [Figuur])" in source
    assert 'lang: "nl",\n  region: "BE",' in source


def test_pdf_compiles_as_pdf_ua_with_captions(rendered: dict[str, Path]) -> None:
    reader = PdfReader(rendered["pdf"])
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert "Figuur 1" in text.replace(NBSP, " ")
    assert "Ledenaantallen per jaar" in text
    assert "Bijzonder verslag" in reader.metadata.title
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert b"pdfuaid:part" in rendered["pdf"].read_bytes()


def test_two_renders_are_byte_identical(tmp_path: Path) -> None:
    root = stage(tmp_path)
    first = render_project(root, "nl", tmp_path / "one")
    second = render_project(root, "nl", tmp_path / "two")
    for kind in ("html", "pdf"):
        assert _sha256(first[kind]) == _sha256(second[kind]), kind


def test_timestamp_sets_the_pdf_date(tmp_path: Path) -> None:
    moment = dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC)
    out = render_project(stage(tmp_path), "nl", tmp_path / "out", ("pdf",), timestamp=moment)
    assert PdfReader(out["pdf"]).metadata.creation_date == moment


def test_source_date_epoch_is_the_default_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1719748800")  # 2024-06-30 12:00 UTC
    out = render_project(stage(tmp_path), "nl", tmp_path / "out", ("pdf",))
    assert PdfReader(out["pdf"]).metadata.creation_date == dt.datetime(
        2024, 6, 30, 12, tzinfo=dt.UTC
    )


def test_without_embedding_images_and_css_sit_beside_the_html(tmp_path: Path) -> None:
    root = stage(tmp_path)
    config = root / "_quarto.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "embed-resources: true", "embed-resources: false"
        ),
        encoding="utf-8",
    )
    out = render_project(root, "nl", tmp_path / "out", ("html",))
    html = out["html"].read_text(encoding="utf-8")
    assert [img["src"] for img in tags(html, "img")] == ["img/chart.svg", "img/chart.svg"]
    assert [link["href"] for link in tags(html, "link")] == ["templates/html/report.css"]
    assert (tmp_path / "out" / "img" / "chart.svg").is_file()
    assert (tmp_path / "out" / "templates" / "html" / "report.css").is_file()


def test_french_profile(tmp_path: Path) -> None:
    out = render_project(stage(tmp_path), "fr", tmp_path / "out", ("html",))
    html = out["html"].read_text(encoding="utf-8")
    assert '<html lang="fr-BE">' in html
    assert f"Table{NBSP}1: Ledenaantallen per jaar" in html
    assert "Table des matières" in html


def test_violations_stop_the_render(tmp_path: Path) -> None:
    root = stage(tmp_path)
    part = root / "sections/nl/_results.qmd"
    part.write_text(part.read_text(encoding="utf-8") + "\n```{python}\n1\n```\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"sections/nl/_results\.qmd:\d+: code cell"):
        render_project(root, "nl", tmp_path / "out")


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="unknown output format"):
        render_project(stage(tmp_path), "nl", tmp_path / "out", ("odt",))


def test_typst_escaping() -> None:
    assert typst_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert typst_markup("Fig. #1 [x]") == "Fig\\. \\#1 \\[x\\]"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
