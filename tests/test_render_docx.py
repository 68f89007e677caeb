"""The Word edition of the fixture project: captions, numbering, links, alt texts, determinism."""

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pypandoc
import pytest
from PIL import Image

from impactreport.errors import RenderError
from impactreport.publishing.render import render_project
from render_fixture import ALTS, NBSP, copy_fixture

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "dc": "http://purl.org/dc/elements/1.1/",
}
W = f"{{{NS['w']}}}"
DOCX_OPTIONS = "  docx:\n    toc: true\n    toc-depth: 2\n"


def stage(folder: Path, *, png: bool = True, docx_options: str = DOCX_OPTIONS) -> Path:
    """The fixture with the templates beside it, a ``format: docx:`` block and a PNG per SVG."""
    root = copy_fixture(folder)
    config = root / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("format:\n", "format:\n" + docx_options, 1), encoding="utf-8")
    if png:  # what the compute step writes beside each SVG: the same chart at 300 dpi
        Image.new("RGB", (1500, 750), "white").save(root / "img" / "chart.png", dpi=(300, 300))
    return root


def part(docx: Path, name: str) -> ElementTree.Element:
    with zipfile.ZipFile(docx) as package:
        return ElementTree.fromstring(package.read(name))


def paragraphs(docx: Path) -> list[str]:
    """The text of every paragraph of the body, in order (table cells included)."""
    body = part(docx, "word/document.xml").find("w:body", NS)
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def styled(docx: Path, style: str) -> list[str]:
    body = part(docx, "word/document.xml").find("w:body", NS)
    found = []
    for p in body.iter(f"{W}p"):
        pstyle = p.find("w:pPr/w:pStyle", NS)
        if pstyle is not None and pstyle.get(f"{W}val") == style:
            found.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return found


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return stage(tmp_path_factory.mktemp("docx"))


@pytest.fixture(scope="module")
def docx(staged: Path) -> Path:
    return render_project(staged, "nl", staged.parent / "out", ("docx",))["docx"]


def test_docx_is_a_word_package_named_after_the_document(docx: Path) -> None:
    assert docx.name == "report.docx"
    with zipfile.ZipFile(docx) as package:
        names = package.namelist()
        assert package.testzip() is None
    assert {"word/document.xml", "word/styles.xml", "[Content_Types].xml"} <= set(names)


def test_title_block_on_top(docx: Path) -> None:
    assert paragraphs(docx)[:4] == [
        "Voorbeeld vzw",
        "Bijzonder verslag",
        "Boekjaar 2024",
        "Eerste uitgave",
    ]
    assert styled(docx, "Title") == ["Bijzonder verslag"]
    assert styled(docx, "Subtitle") == ["Boekjaar 2024"]


def test_text_carries_the_variables(docx: Path) -> None:
    text = "\n".join(paragraphs(docx))
    assert "Dit is het bijzonder verslag van Voorbeeld vzw over boekjaar 2024" in text
    assert "(vorige jaren: 2022 en 2023; boekjaar 2024-2025)" in text
    assert "Uitgave: Eerste uitgave, Voorbeeld vzw." in text
    assert "128" in paragraphs(docx)  # a table cell
    assert "{{< var year >}}" in text  # the escaped shortcode, printed
    assert "?var" not in text


def test_captions_are_numbered_like_quarto(docx: Path) -> None:
    assert styled(docx, "ImageCaption") == [
        f"Figuur{NBSP}1: Omzet per jaar",
        f"Figuur{NBSP}2: Leden per jaar",
    ]
    assert styled(docx, "TableCaption") == [f"Tabel{NBSP}1: Ledenaantallen per jaar"]


def test_figure_caption_below_table_caption_above(docx: Path) -> None:
    body = list(part(docx, "word/document.xml").find("w:body", NS))

    def index(predicate) -> int:
        return next(i for i, block in enumerate(body) if predicate(block))

    def has_text(value: str):
        return lambda block: value in "".join(t.text or "" for t in block.iter(f"{W}t"))

    drawing = index(lambda block: block.find(".//w:drawing", NS) is not None)
    assert drawing < index(has_text(f"Figuur{NBSP}1: Omzet per jaar"))
    table = index(lambda block: block.tag == f"{W}tbl")
    assert index(has_text(f"Tabel{NBSP}1: Ledenaantallen")) == table - 1


def test_references_link_to_bookmarks(docx: Path) -> None:
    document = part(docx, "word/document.xml")
    links = {
        link.get(f"{W}anchor"): "".join(t.text or "" for t in link.iter(f"{W}t"))
        for link in document.iter(f"{W}hyperlink")
        if link.get(f"{W}anchor")
    }
    assert links == {
        "fig-omzet": f"Figuur{NBSP}1",
        "tbl-leden": f"Tabel{NBSP}1",
        "fig-leden": f"Figuur{NBSP}2",
    }
    bookmarks = {b.get(f"{W}name") for b in document.iter(f"{W}bookmarkStart")}
    assert set(links) <= bookmarks


def test_every_drawing_has_its_fig_alt(docx: Path) -> None:
    document = part(docx, "word/document.xml")
    drawings = list(document.iter(f"{W}drawing"))
    assert len(drawings) == 2
    descriptions = [d.find(".//wp:docPr", NS).get("descr") for d in drawings]
    assert descriptions == ALTS


def test_svg_figures_use_the_png_beside_them(docx: Path) -> None:
    with zipfile.ZipFile(docx) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert media and all(name.endswith(".png") for name in media)


def test_language_is_set(docx: Path) -> None:
    languages = {e.get(f"{W}val") for e in part(docx, "word/styles.xml").iter(f"{W}lang")}
    assert "nl-BE" in languages
    assert part(docx, "docProps/core.xml").find("dc:language", NS).text == "nl-BE"


def test_table_of_contents_follows_format_docx(docx: Path, tmp_path: Path) -> None:
    document = part(docx, "word/document.xml")
    instructions = "".join(e.text or "" for e in document.iter(f"{W}instrText"))
    assert 'TOC \\o "1-2"' in instructions
    assert "Inhoudsopgave" in styled(docx, "TOCHeading")
    plain = render_project(stage(tmp_path, docx_options=""), "nl", tmp_path / "out", ("docx",))
    assert "TOC" not in "".join(
        e.text or "" for e in part(plain["docx"], "word/document.xml").iter(f"{W}instrText")
    )


def test_two_renders_are_byte_identical(tmp_path: Path) -> None:
    # two staging folders, as two builds would use: no path or clock may leak into the file
    first = render_project(stage(tmp_path / "a"), "nl", tmp_path / "one", ("docx",))
    second = render_project(stage(tmp_path / "b"), "nl", tmp_path / "two", ("docx",))
    assert _sha256(first["docx"]) == _sha256(second["docx"])


def test_source_date_epoch_dates_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1719748800")  # 2024-06-30 12:00 UTC
    out = render_project(stage(tmp_path), "nl", tmp_path / "out", ("docx",))
    created = part(out["docx"], "docProps/core.xml").find("{http://purl.org/dc/terms/}created")
    assert created.text == "2024-06-30T12:00:00Z"
    with zipfile.ZipFile(out["docx"]) as package:
        assert package.infolist()[0].date_time[:3] == (2024, 6, 30)


def test_reference_doc_supplies_the_styles(tmp_path: Path) -> None:
    root = stage(tmp_path, docx_options=DOCX_OPTIONS + "    reference-doc: styles/reference.docx\n")
    reference = root / "styles" / "reference.docx"
    reference.parent.mkdir()
    _reference_doc_with_marker(reference)
    out = render_project(root, "nl", tmp_path / "out", ("docx",))
    styles = part(out["docx"], "word/styles.xml")
    assert "ImpactMarker" in {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}


def test_missing_reference_doc(tmp_path: Path) -> None:
    root = stage(tmp_path, docx_options="  docx:\n    reference-doc: nowhere.docx\n")
    with pytest.raises(RenderError, match="reference-doc: nowhere.docx not found"):
        render_project(root, "nl", tmp_path / "out", ("docx",))


@pytest.mark.skipif(bool(shutil.which("rsvg-convert")), reason="pandoc can convert the SVG")
def test_svg_without_png_names_the_figure(tmp_path: Path) -> None:
    root = stage(tmp_path, png=False)
    with pytest.raises(
        RenderError, match=r"_intro\.qmd:\d+: figure #fig-omzet: .*put img/chart\.png beside it"
    ):
        render_project(root, "nl", tmp_path / "out", ("docx",))
    assert not (tmp_path / "out" / "report.docx").exists()
    assert not list((tmp_path / "out").iterdir())  # no half-written file left behind


def test_french_profile(tmp_path: Path) -> None:
    out = render_project(stage(tmp_path), "fr", tmp_path / "out", ("html", "docx"))
    assert set(out) == {"html", "docx"}
    assert styled(out["docx"], "ImageCaption")[0] == f"Figure{NBSP}1: Omzet per jaar"
    assert styled(out["docx"], "TableCaption") == [f"Table{NBSP}1: Ledenaantallen per jaar"]
    assert "Table des matières" in styled(out["docx"], "TOCHeading")
    languages = {e.get(f"{W}val") for e in part(out["docx"], "word/styles.xml").iter(f"{W}lang")}
    assert "fr-BE" in languages


def test_unknown_format_still_refused(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="unknown output format"):
        render_project(stage(tmp_path), "nl", tmp_path / "out", ("odt",))


def _reference_doc_with_marker(path: Path) -> None:
    """Pandoc's own reference.docx with one extra paragraph style, ``ImpactMarker``."""
    subprocess.run(
        [pypandoc.get_pandoc_path(), "-o", str(path), "--print-default-data-file=reference.docx"],
        check=True,
    )
    marker = (
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="ImpactMarker">'
        '<w:name w:val="Impact Marker" /></w:style></w:styles>'
    )
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", marker.encode())
            target.writestr(info, data)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
