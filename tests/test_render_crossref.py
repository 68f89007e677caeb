"""Figures and tables: numbering in document order, localised words, strict references."""

import shutil
from pathlib import Path

import pytest

from impactreport.errors import RenderError
from impactreport.publishing.render import load_config
from impactreport.publishing.render.crossref import resolve
from impactreport.publishing.render.document import Document, read_document
from impactreport.publishing.render.pandoc_ast import nodes

FIXTURE = Path(__file__).parent / "fixtures" / "render"


def read(root: Path, profile: str = "nl") -> Document:
    return read_document(root, root / "report.qmd", load_config(root, [profile]))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def references(document: Document) -> list[str]:
    """Each citation in the document as its reference text, e.g. ``Figuur 1``."""
    found = []
    for cite in (n for n in nodes(document.ast["blocks"]) if n["t"] == "Cite"):
        ref = resolve(cite, document.floats, document.words, document.locate)
        found.append(f"{ref.word} {ref.float.number}")
    return found


def test_numbering_follows_document_order_across_includes() -> None:
    floats = read(FIXTURE).floats
    assert [(f.id, f.kind, f.number) for f in floats.values()] == [
        ("fig-omzet", "fig", 1),  # sections/nl/_intro.qmd
        ("fig-leden", "fig", 2),  # sections/nl/_results.qmd, included by _intro.qmd
        ("tbl-leden", "tbl", 1),  # sections/shared/_table.qmd: its own counter
    ]


def test_words_default_to_quartos_bundled_language() -> None:
    assert references(read(FIXTURE, "nl")) == ["Figuur 1", "Tabel 1", "Figuur 2"]
    assert references(read(FIXTURE, "fr")) == ["Figure 1", "Table 1", "Figure 2"]
    assert read(FIXTURE, "fr").words.toc == "Table des matières"


def test_words_come_from_the_language_key(project: Path) -> None:
    append(
        project / "_quarto-nl.yml",
        "language:\n  crossref-fig-title: grafiek\n  crossref-tbl-title: Overzicht\n",
    )
    # the first reference is written @Fig-omzet: its word is capitalised
    assert references(read(project)) == ["Grafiek 1", "Overzicht 1", "grafiek 2"]


def test_per_language_sub_map(project: Path) -> None:
    append(project / "_quarto.yml", "language:\n  fr:\n    crossref-tbl-title: Tableau\n")
    assert references(read(project, "fr")) == ["Figure 1", "Tableau 1", "Figure 2"]
    assert references(read(project, "nl")) == ["Figuur 1", "Tabel 1", "Figuur 2"]


def test_duplicate_id(project: Path) -> None:
    append(
        project / "sections/shared/_table.qmd",
        '\n![Again](img/chart.svg){#fig-omzet fig-alt="x"}\n',
    )
    with pytest.raises(RenderError, match=r"sections/nl/_intro\.qmd:\d+: duplicate id #fig-omzet"):
        read(project)


def test_unresolved_reference_names_file_and_line(project: Path) -> None:
    append(project / "sections/nl/_results.qmd", "\nZie @fig-nergens.\n")
    with pytest.raises(
        RenderError, match=r"sections/nl/_results\.qmd:12: unresolved cross-reference @fig-nergens"
    ):
        read(project)


@pytest.mark.parametrize(
    ("figure", "problem"),
    [
        ("![Cap](img/chart.svg){#fig-x}", "needs fig-alt"),
        ('![Cap](img/chart.svg){#fig-x fig-alt=""}', "needs fig-alt"),
        ('![Cap](img/chart.svg){#Fig-X fig-alt="a"}', "lower case"),
        ('![Cap](img/chart.svg){#chart fig-alt="a"}', "give it #fig-"),
        ('![Cap](img/chart.svg){fig-alt="a"}', "give it #fig-"),
        ('![Cap](img/chart.svg){#fig-x fig-alt="a" width="300px"}', "width '300px'"),
        (
            '![Cap](img/chart.svg){#fig-x fig-alt="a" fig-align="left"}',
            "unsupported figure attribute",
        ),
        ('![Cap](img/missing.svg){#fig-x fig-alt="a"}', "image not found"),
        ('![Cap](https://example.org/a.svg){#fig-x fig-alt="a"}', "remote image"),
    ],
)
def test_figure_rules(project: Path, figure: str, problem: str) -> None:
    append(project / "report.qmd", f"\n{figure}\n")
    with pytest.raises(RenderError, match=problem):
        read(project)


def test_table_id_must_be_tbl(project: Path) -> None:
    append(project / "report.qmd", "\n| a |\n|---|\n| 1 |\n\n: Caption {#fig-table}\n")
    with pytest.raises(RenderError, match="give it #tbl-"):
        read(project)
