"""Text from data shows literally in the markdown it is pasted into."""

import json

import pypandoc
import pytest

from impactreport.analysis import text

HOSTILE = [
    "<script>alert(1)</script>",
    "[klik](javascript:alert(1))",
    "#set page(width: 1cm)",
    "{{< include /etc/passwd >}}",
    "*vet* _schuin_ `code` $x$ @fig-x",
    "# kop",
    "1. lijst",
    "| a | b |",
]


def inline_strings(markdown_source: str) -> str:
    """The plain text pandoc reads from a markdown paragraph (no markup survives)."""
    ast = json.loads(pypandoc.convert_text(markdown_source, "json", format="markdown"))
    blocks = ast["blocks"]
    assert len(blocks) == 1 and blocks[0]["t"] == "Para", blocks
    return pypandoc.convert_text(
        markdown_source, "plain", format="markdown", extra_args=["--wrap=none"]
    ).strip()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markdown_escape_reads_back_literally(hostile):
    assert inline_strings(text.markdown(hostile)) == hostile


def find_image(node):
    if isinstance(node, dict):
        if node.get("t") == "Image":
            return node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = find_image(child)
            if found:
                return found
    return None


@pytest.mark.parametrize("hostile", HOSTILE)
def test_attribute_escape_stays_one_attribute(hostile):
    source = f'![x](a.svg){{#fig-a fig-alt="{text.attribute(hostile)}"}}'
    image = find_image(json.loads(pypandoc.convert_text(source, "json", format="markdown")))
    attributes = dict(image["c"][0][2])
    assert attributes["fig-alt"].replace("\u200b", "") == hostile
    assert "{{<" not in attributes["fig-alt"]
