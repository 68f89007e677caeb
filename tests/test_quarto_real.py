"""Real Quarto renders the publication, and it is the same publication as the built-in renderer's.

The 2024 report is rendered once in a fresh clone (``quarto_2024`` in conftest.py, made by support/quarto.py) with an
analyst's PATH: Quarto, the system's commands, ``python3`` but no ``python``, nothing activated.
Without Quarto these tests skip with the reason, except under CI, where they fail. The checks of
the comparison itself run without Quarto, on the built-in edition.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

import parity
from impactreport import digests
from impactreport.paths import Project

NAMES = {"nl": "report", "fr": "rapport"}
FORMATS = (".html", ".pdf", ".docx")


def edition(folder: Path, lang: str, suffix: str) -> Path:
    return folder / f"{NAMES[lang]}{suffix}"


@pytest.mark.slow
def test_a_fresh_clone_renders_with_quarto_both_ways_and_stays_clean(quarto_2024) -> None:
    for lang in ("nl", "fr"):
        for suffix in FORMATS:
            assert edition(quarto_2024.quarto[lang], lang, suffix).is_file(), (lang, suffix)
    assert quarto_2024.status == "", f"the renders left the tree changed:\n{quarto_2024.status}"
    built = " ".join(
        quarto_2024.outputs["impactreport build --renderer quarto --lang fr --pages"].split()
    )
    assert "renderer: quarto" in built and "--renderer quarto" in built
    assert sorted((quarto_2024.root / "_build" / "2024" / "fr" / "pages").glob("page-*.png"))
    assert "renderer: built-in" in quarto_2024.outputs["impactreport build"]
    print("seconds:", {k: round(v, 1) for k, v in quarto_2024.seconds.items()})


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(NAMES))
def test_the_provenance_names_the_code_and_the_tree_stays_clean(quarto_2024, lang) -> None:
    """The colophon names the package's code digest (no git state), and Quarto leaves the
    checkout as it found it."""
    from impactreport.pipeline import keys

    text = edition(quarto_2024.quarto[lang], lang, ".html").read_text(encoding="utf-8")
    label = {"nl": "programmaversie", "fr": "version du programme"}[lang]
    assert f"{label} {digests.package_digest(keys.PACKAGE)[:10]}" in text
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=quarto_2024.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == ""


@pytest.mark.slow
@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("lang", sorted(NAMES))
def test_both_renderers_give_the_same_publication(quarto_2024, lang, suffix) -> None:
    builtin = parity.read(edition(quarto_2024.builtin[lang], lang, suffix))
    quarto = parity.read(edition(quarto_2024.quarto[lang], lang, suffix))
    assert builtin.captions and builtin.alts and builtin.xrefs and builtin.numbers
    # every figure has its alt text; the tables have none
    figures = [c for c in builtin.captions if c.split()[0] in ("Figuur", "Figure")]
    assert len(builtin.alts) == len(figures) >= 4
    found = parity.differences(builtin, quarto, ("built-in", "quarto"))
    assert not found, f"{lang} {suffix}:\n" + "\n".join(found)


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(NAMES))
def test_both_pdfs_are_tagged_pdf_ua_1(quarto_2024, lang) -> None:
    for folder in (quarto_2024.builtin[lang], quarto_2024.quarto[lang]):
        pdf = edition(folder, lang, ".pdf")
        assert parity.pdf_ua_problems(pdf) == [], pdf


def embedded_fonts(pdf: Path) -> set[str]:
    """The base names of the fonts a PDF embeds, without the subset prefix (``ABCDEF+``)."""
    names = set()
    for page in PdfReader(pdf).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(NAMES))
def test_both_pdfs_embed_the_projects_dejavu_serif(quarto_2024, lang) -> None:
    """Quarto's typst reads `font-paths` too: no silent fallback to another typeface."""
    fonts = {
        renderer: embedded_fonts(edition(folders[lang], lang, ".pdf"))
        for renderer, folders in (("built-in", quarto_2024.builtin), ("quarto", quarto_2024.quarto))
    }
    assert {"DejaVuSerif", "DejaVuSerif-Bold"} <= fonts["quarto"], fonts
    assert fonts["quarto"] == fonts["built-in"], fonts


# --- the comparison catches a lost figure, caption or alt text (no Quarto needed) -------------


@pytest.fixture(scope="module")
def dutch(request) -> Path:
    built: Project = request.getfixturevalue("built_2024")
    return built.output / "2024" / "nl"


def _without(path: Path, target: Path, pattern: str, replacement: str = "") -> Path:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.S)
    assert count == 1, pattern
    target.write_text(changed, encoding="utf-8")
    return target


def _fields(found: list[str]) -> set[str]:
    return {line.split(":")[0] for line in found}


@pytest.mark.slow
def test_the_comparison_reports_what_one_html_lost(dutch, tmp_path) -> None:
    html = dutch / "report.html"
    original = parity.read(html)
    figure = r'<div id="fig-loans".*?</figure>\s*</div>'
    caption = r"(<figcaption[^>]*>).*?(</figcaption>)"
    alt = r'(<img [^>]*?)alt="[^"]*"'
    lost = {
        "figure": _without(html, tmp_path / "figure.html", figure),
        "caption": _without(html, tmp_path / "caption.html", caption, r"\1\2"),
        "alt": _without(html, tmp_path / "alt.html", alt, r'\1alt=""'),
    }
    found = {k: parity.differences(original, parity.read(p)) for k, p in lost.items()}
    assert {"captions", "alts"} <= _fields(found["figure"])
    assert _fields(found["caption"]) >= {"captions"}
    assert _fields(found["alt"]) == {"alts"}


@pytest.mark.slow
def test_the_comparison_reports_what_one_pdf_lost(dutch, tmp_path) -> None:
    pdf = dutch / "report.pdf"
    original = parity.read(pdf)
    text = parity.pdf_text(pdf)
    first_caption = next(line for line in text.splitlines() if parity.CAPTION.match(line))
    without_caption = parity.read_pdf(pdf, text.replace(first_caption, "", 1))
    assert "captions" in _fields(parity.differences(original, without_caption))
    writer = PdfWriter(clone_from=pdf)
    _drop_first_alt(writer._root_object["/StructTreeRoot"])
    lost_alt = tmp_path / "alt.pdf"
    with lost_alt.open("wb") as out:
        writer.write(out)
    assert _fields(parity.differences(original, parity.read(lost_alt))) == {"alts"}


def _drop_first_alt(node) -> bool:
    node = node.get_object()
    if isinstance(node, list):
        return any(_drop_first_alt(child) for child in node)
    if not hasattr(node, "get"):
        return False
    if node.get("/S") == "/Figure" and "/Alt" in node:
        del node["/Alt"]
        return True
    return node.get("/K") is not None and _drop_first_alt(node["/K"])


@pytest.mark.slow
def test_the_comparison_reports_what_one_word_file_lost(dutch, tmp_path) -> None:
    docx = dutch / "report.docx"
    original = parity.read(docx)

    def rewrite(name: str, pattern: str, replacement: str = "") -> Path:
        target = tmp_path / f"{name}.docx"
        with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as out:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "word/document.xml":
                    text, count = re.subn(pattern, replacement, data.decode(), count=1, flags=re.S)
                    assert count == 1, pattern
                    data = text.encode()
                out.writestr(item, data)
        return target

    figure = rewrite("figure", r"<w:drawing>.*?</w:drawing>")
    alt = rewrite("alt", r'(<wp:docPr [^>]*?descr=")[^"]*"', r'\1"')
    caption = rewrite(
        "caption", r"(<w:t[^>]*>)(?:Figuur|Tabel|Figure|Table)\s1: [^<]*(</w:t>)", r"\1\2"
    )
    assert "alts" in _fields(parity.differences(original, parity.read(figure)))
    assert _fields(parity.differences(original, parity.read(alt))) == {"alts"}
    assert "captions" in _fields(parity.differences(original, parity.read(caption)))
