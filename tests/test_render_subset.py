"""The supported Quarto subset: every construct outside it is found, with file and line."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from impactreport.errors import RenderError
from impactreport.publishing.render import check_subset
from impactreport.publishing.render.pandoc_ast import read_markdown
from impactreport.publishing.render.subset import check_ast

FIXTURE = Path(__file__).parent / "fixtures" / "render"


@pytest.mark.parametrize(
    ("source", "construct", "line"),
    [
        ("Text.\n\n```{python}\nx = 1\n```\n", "code cell", 3),
        ("```{r}\n1\n```\n", "code cell", 1),
        ("```{=html}\n<b>x</b>\n```\n", "raw block", 1),
        ("```{=typst}\n#pagebreak()\n```\n", "raw block", 1),
        ("```\nplain code\n```\n", "code block", 1),
        ("{{< video https://example.org/v.mp4 >}}\n", "shortcode", 1),
        ("Text {{< env HOME >}} here.\n", "shortcode", 1),
        ("::: {.callout-note}\nNote.\n:::\n", "callout", 1),
        ("::: {#box .panel}\nText.\n:::\n", "fenced div", 1),
        ("Energy $E = mc^2$ here.\n", "math", 1),
        ("$$\\sum x$$\n", "math", 1),
        ("As @smith2020 shows.\n", "citation", 1),
        ("See [@fig-x] here.\n", "citation", 1),
        ("See [-@tbl-x] here.\n", "citation", 1),
        ("As @sec-intro says.\n", "section reference", 1),
        ("---\ntitle: T\nnumber-sections: true\n---\n\nText.\n", "number-sections", 3),
        ("---\ntitle: T\ntoc: false\n---\n\nText.\n", "front matter key", 3),
        ("---\nfilters: [x.lua]\n---\n\nText.\n", "filters", 2),
        ("---\ntitle: Report {{< var year >}}\n---\n\nText.\n", "shortcode in front matter", 2),
        ("Some <b>bold</b> text.\n", "html", 1),
        ('<div class="x">\n\nText\n\n</div>\n', "html", 1),
        ("Text.\n\n<!-- a comment -->\n", "html", 3),
        ("Text {{< include part.qmd >}} inline.\n", "include", 1),
        ("Text.\n{{< include part.qmd >}}\n", "include", 2),
        ("Text {{< generated fig-x >}} inline.\n", "generated", 1),
        ("Text.\n{{< generated fig-x >}}\n", "generated", 2),
    ],
)
def test_disallowed_construct_is_reported(source: str, construct: str, line: int) -> None:
    violations = check_subset(source)
    assert (construct, line) in [(v.construct, v.line) for v in violations], violations
    assert all(v.file == "<text>" and v.message for v in violations)


@pytest.mark.parametrize(
    "source",
    [
        "# Title {#sec-a}\n\n## Sub {.unnumbered}\n\nText *em* **strong** [link](https://x.org).\n",
        "See @fig-a, @Fig-a and @tbl-b. Mail info@example.org or <info@example.org>.\n",
        "Prices of $5 and $6, a < b and b > a.\n",
        '![Cap](a.svg){#fig-a fig-alt="A <script> \\"quoted\\" $x$ @y" width="90%"}\n',
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Caption {#tbl-a}\n",
        "Literal {{{< video x >}}}.\n\n{{< include part.qmd >}}\n\n{{< var x >}} {{< meta y >}}\n",
        "Text.\n\n{{< generated tbl-conditions >}}\n\nMore.\n",
        "Note.[^1]\n\n[^1]: The note.\n\n> Quote.\n\n- item\n\n1. first\n",
    ],
)
def test_subset_constructs_pass(source: str) -> None:
    assert check_subset(source) == []


def test_a_violation_is_one_line_with_file_line_and_the_subset_document() -> None:
    (violation,) = check_subset("Text.\n\n::: {.callout-note}\nNote.\n:::\n")
    assert str(violation) == (
        "<text>:3: callout: callout ::: {.callout-note}: the built-in renderer has no callouts;"
        " write a paragraph (see docs/quarto-subset.md)"
    )


def test_number_sections_in_the_config_is_refused(tmp_path: Path) -> None:
    from impactreport.publishing.render.subset import check_editions

    (tmp_path / "_quarto.yml").write_text(
        "profile:\n  group: [nl]\nformat:\n  html:\n    number-sections: true\n",
        encoding="utf-8",
    )
    (tmp_path / "_quarto-nl.yml").write_text("project:\n  render: [r.qmd]\n", encoding="utf-8")
    (tmp_path / "r.qmd").write_text("---\ntitle: R\n---\n\nText.\n", encoding="utf-8")
    found = [(v.file, v.line, v.construct) for v in check_editions(tmp_path, ["nl"])]
    assert found == [("_quarto.yml", 5, "number-sections")]


def test_fixture_has_no_violations() -> None:
    assert check_subset(FIXTURE / "report.qmd") == []


def test_violations_in_included_files_name_that_file(tmp_path: Path) -> None:
    (tmp_path / "_quarto.yml").write_text("project:\n  render: [main.qmd]\n", encoding="utf-8")
    (tmp_path / "main.qmd").write_text("Top.\n\n{{< include sub/part.qmd >}}\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "part.qmd").write_text("---\nx: 1\n---\n\nA $x$ b.\n", encoding="utf-8")
    found = [(v.file, v.line, v.construct) for v in check_subset(tmp_path / "main.qmd")]
    assert found == [
        ("sub/part.qmd", 1, "front matter"),
        ("sub/part.qmd", 2, "front matter key"),
        ("sub/part.qmd", 5, "math"),
    ]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("Text ~~struck~~.\n", "strikeout"),
        ("Text `code`.\n", "inline code"),
        ("Text [span]{.mark}.\n", "bracketed span"),
        # an indicator span is what prepare writes, with all of its attributes and nothing else
        ('Text [8]{.indicator data-id="a.b"}.\n', "bracketed span"),
        (
            'Text [8]{.indicator .mark data-id="a" data-origin="o" tabindex="0"}.\n',
            "bracketed span",
        ),
        ("##### Level five\n", "heading level 5"),
        ("## Title {.unlisted}\n", "heading attribute"),
        ("A\n\n* * *\n\nB\n", "horizontal rule"),
        ("Term\n:   Definition\n", "definition list"),
        ("Inline ![x](a.svg) image.\n", "image outside a figure"),
    ],
)
def test_ast_check_refuses_what_the_text_scan_cannot_see(source: str, problem: str) -> None:
    with pytest.raises(RenderError, match=problem):
        check_ast(read_markdown(source)["blocks"], lambda needle: "doc.qmd")


def test_ast_check_accepts_an_indicator_span_as_prepare_writes_it() -> None:
    from impactreport.publishing.prepare import traced

    row = SimpleNamespace(
        id="workforce.persons",
        year=2024,
        source="records: contracts.csv",
        origin="synthetic: generator",
    )
    words = {
        "origins": {
            "trace": "{id}: {source}; {origin}; {verified}",
            "unverified": "no",
            "kinds": {"records": "from", "synthetic": "made by"},
        }
    }
    span = traced("20.892", row, SimpleNamespace(lang="nl", words=words))
    blocks = read_markdown(f"Werkgever van {span} personen.\n")["blocks"]
    check_ast(blocks, lambda needle: "doc.qmd")
    (inline,) = [n for n in blocks[0]["c"] if n["t"] == "Span"]
    assert inline["c"][0][2] == [
        ["data-id", "workforce.persons"],
        ["data-origin", "workforce.persons: from contracts.csv; made by generator; no"],
        ["tabindex", "0"],
    ]
