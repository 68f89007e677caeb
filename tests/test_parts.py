"""The preview reads a document part by part: the same AST as reading it whole, or it reads whole."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from impactreport.config import active_profiles, load_config
from impactreport.publishing.render import parts
from impactreport.publishing.render.document import read_document
from impactreport.publishing.render.pandoc_ast import read_markdown
from impactreport.publishing.render.project import _input
from support.staged import staged_edition

KIT_FILTER = resources.files("impactreport") / "kit" / "filters" / "generated.lua"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_the_2024_editions_read_by_parts_as_read_whole(computed_2024, lang) -> None:
    with staged_edition(computed_2024, 2024, lang) as folder:
        config = load_config(folder, active_profiles(folder, [lang]))
        document = _input(folder, config)
        whole = read_document(folder, document, config).ast
        engaged = []
        read = parts.read

        def spied(*args):
            ast = read(*args)
            engaged.append(ast is not None)
            return ast

        parts.read = spied
        try:
            by_parts = read_document(folder, document, config, by_parts=True).ast
            again = read_document(folder, document, config, by_parts=True).ast  # from the kept
        finally:
            parts.read = read
    assert engaged == [True, True]  # the real editions are read by parts, not whole
    assert by_parts == whole
    assert again == whole


def project(tmp_path: Path, *chapters: str, placeholder: str = "") -> tuple[list[str], Path]:
    """The parts of a document (a top part, then one per chapter) and its folder with the kit's
    filter and a generated block."""
    (tmp_path / "_generated").mkdir()
    (tmp_path / "_generated" / "block.md").write_text(
        "## Generated {#sec-generated}\n\nSee @fig-a.\n", encoding="utf-8"
    )
    texts = [f"\n{placeholder}\n\n", *chapters]
    return texts, tmp_path


def read_both(tmp_path: Path, texts: list[str]):
    shutil.copyfile(KIT_FILTER, tmp_path / "generated.lua")
    filters = [tmp_path / "generated.lua"]
    whole = read_markdown("".join(texts), filters, cwd=tmp_path)
    return parts.read(texts, filters, tmp_path), whole


def test_placeholders_and_citations_read_as_the_filter_and_pandoc_read_them(tmp_path) -> None:
    texts, root = project(
        tmp_path,
        "# One\n\nAs @fig-a shows, and @fig-b.\n\n",
        "# Two\n\nThen @fig-c.\n\n{{< generated block >}}\n\nAnd @fig-d.\n",
        placeholder="{{< generated block >}}",
    )
    by_parts, whole = read_both(root, texts)
    assert by_parts is None  # the block's heading twice: two parts name the same identifier
    texts[0] = "\n"
    by_parts, whole = read_both(root, texts)
    assert by_parts == whole


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("# A\n\n- one\n\n", "- two\n", "a list carries on"),
        ("# A\n\nText [see][ref].\n\n", "# B\n\n[ref]: https://example.org\n", "a reference"),
        ("# A\n\nText.[^1]\n\n", "# B\n\n[^1]: A note.\n", "a footnote"),
        ("# A\n\nText.^[inline]\n\n", "# B\n\nMore.\n", "an inline note counts"),
        ("# A\n\n::: {.box}\n\n", "Inside.\n\n:::\n", "a div runs on"),
        ("# A\n\n```\n\n", "code\n```\n", "a code block runs on"),
        ("# Same\n\nText.\n\n", "# Same\n\nText.\n", "pandoc tells the headings apart"),
        ("# A\n\nSee [B].\n\n", "# B\n\nText.\n", "a heading named in another part"),
        ("# A\n\nText.\n", "More text.\n", "no blank line: one paragraph"),
        ("# A\n\nTerm\n\n", ":   Definition\n", "a definition list carries on"),
        ("# A\n\n(@) one\n\n", "# B\n\n(@) two\n", "example lists number on"),
    ],
)
def test_a_part_that_could_change_another_is_read_whole(tmp_path, first, second, why) -> None:
    texts, root = project(tmp_path, first, second)
    by_parts, whole = read_both(root, texts)
    assert by_parts is None, why
    assert whole["blocks"]  # pandoc itself reads it


def test_a_filter_other_than_the_kits_is_read_whole(tmp_path) -> None:
    texts, root = project(tmp_path, "# A\n\nText.\n\n", "# B\n\nMore.\n")
    own = root / "own.lua"
    own.write_text("function Str(s) return pandoc.Str(s.text:upper()) end\n", encoding="utf-8")
    assert parts.read(texts, [own], root) is None
    assert parts.read(texts, [], root) == read_markdown("".join(texts))
