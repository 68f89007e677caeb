"""``{{< var >}}`` and ``{{< meta >}}``: dotted keys, 1-based list indices, strict misses."""

import shutil
from pathlib import Path

import pytest

from impactreport.errors import RenderError
from impactreport.publishing.render import load_config
from impactreport.publishing.render.document import read_document
from impactreport.publishing.render.includes import SourceLine
from impactreport.publishing.render.pandoc_ast import stringify
from impactreport.publishing.render.shortcodes import expand_shortcodes, lookup, split_key

FIXTURE = Path(__file__).parent / "fixtures" / "render"
VARIABLES = {
    "year": "2024",
    "org": {"name": "Voorbeeld vzw", "url": "https://voorbeeld.be"},
    "years": ["2022", "2023"],
    "fiscal.year": "2024-2025",
    "members": 128,
    "ratio": 1.5,
    "open": True,
    "quote": 'say "hi" \\ now',
}


def expand(text: str, metadata: dict | None = None) -> str:
    lines = [SourceLine(t, Path("/p/doc.qmd"), n) for n, t in enumerate(text.splitlines(), 1)]
    return expand_shortcodes(lines, VARIABLES, metadata or {}, Path("/p"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{< var year >}}", "2024"),
        ("{{< var org.name >}}", "Voorbeeld vzw"),
        ("{{< var years.1 >}} {{< var years.2 >}}", "2022 2023"),
        ("{{< var fiscal\\.year >}}", "2024-2025"),
        ("{{< var members >}} {{< var ratio >}} {{< var open >}}", "128 1.5 true"),
        ("[site]({{< var org.url >}})", "[site](https://voorbeeld.be)"),
        ("{{{< var year >}}}", "{{< var year >}}"),
        ("{{{< var year >}}} and {{< var year >}}", "{{< var year >}} and 2024"),
    ],
)
def test_var(source: str, expected: str) -> None:
    assert expand(source) == expected + "\n"


def test_meta_reads_merged_metadata() -> None:
    metadata = {"edition": "Eerste uitgave", "format": {"typst": {"papersize": "a4"}}}
    assert expand("{{< meta edition >}}, {{< meta format.typst.papersize >}}", metadata) == (
        "Eerste uitgave, a4\n"
    )


def test_value_in_an_attribute_is_escaped_for_the_attribute() -> None:
    assert (
        expand('{#fig-x fig-alt="{{< var quote >}}"}')
        == '{#fig-x fig-alt="say \\"hi\\" \\\\ now"}\n'
    )


@pytest.mark.parametrize("key", ["nope", "org.nope", "years.0", "years.3", "year.sub"])
def test_missing_var_names_file_line_and_key(key: str) -> None:
    with pytest.raises(
        RenderError, match=rf"doc\.qmd:2: .*no value for '{key}' in _variables\.yml"
    ):
        expand(f"fine\n{{{{< var {key} >}}}}")


def test_missing_meta() -> None:
    with pytest.raises(RenderError, match="no value for 'nope' in the document metadata"):
        expand("{{< meta nope >}}")


def test_a_map_is_not_a_value() -> None:
    with pytest.raises(RenderError, match="'org' is a dict in _variables.yml, not a single value"):
        expand("{{< var org >}}")


def test_lookup_and_keys() -> None:
    assert split_key("a\\.b.c.1") == ["a.b", "c", "1"]
    assert lookup({"a": [{"b": 1}, {"b": 2}]}, "a.2.b") == 2


def test_fixture_values_reach_the_document() -> None:
    document = read_document(FIXTURE, FIXTURE / "report.qmd", load_config(FIXTURE, ["nl"]))
    text = stringify(document.ast["blocks"])
    assert "Voorbeeld vzw over boekjaar 2024" in text
    assert "vorige jaren: 2022 en 2023; boekjaar 2024-2025" in text
    assert "letterlijk als {{< var year >}}" in text
    assert "Uitgave: Eerste uitgave, Voorbeeld vzw" in text  # meta from metadata-files and config
    assert document.metadata["subtitle"] == "Boekjaar 2024"  # front matter beats metadata-files


def test_shortcode_in_metadata_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    (root / "meta.yml").write_text("edition: 'Editie {{< var year >}}'\n", encoding="utf-8")
    with pytest.raises(RenderError, match="metadata edition: shortcodes are not expanded"):
        read_document(root, root / "report.qmd", load_config(root, ["nl"]))
