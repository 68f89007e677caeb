"""``{{< include >}}``: paths relative to the top-level document, ``/`` = project root."""

from pathlib import Path

import pytest

from impactreport.errors import RenderError
from impactreport.publishing.render.includes import expand_includes

FIXTURE = Path(__file__).parent / "fixtures" / "render"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_nested_includes_resolve_against_the_top_document() -> None:
    expansion = expand_includes(FIXTURE / "report.qmd", FIXTURE)
    files = [p.relative_to(FIXTURE).as_posix() for p in expansion.files]
    assert files == [
        "report.qmd",
        "sections/nl/_intro.qmd",
        "sections/nl/_results.qmd",  # included from sections/nl/ as "sections/nl/_results.qmd"
        "sections/shared/_table.qmd",  # included as "/sections/shared/_table.qmd"
    ]
    text = expansion.text
    assert (
        text.index("## Activiteiten")
        < text.index("## Resultaten")
        < text.index("### Ledenaantallen")
    )
    assert "{{< include" not in text


def test_nested_include_in_a_subfolder_document(tmp_path: Path) -> None:
    top = write(tmp_path / "docs" / "main.qmd", "Top\n\n{{< include parts/a.qmd >}}\n")
    write(
        tmp_path / "docs" / "parts" / "a.qmd",
        "A\n\n{{< include b.qmd >}}\n\n{{< include /c.qmd >}}\n",
    )
    write(tmp_path / "docs" / "b.qmd", "B from the top document's folder\n")
    write(tmp_path / "docs" / "parts" / "b.qmd", "B next to a.qmd: must not be used\n")
    write(tmp_path / "c.qmd", "C from the project root\n")
    text = expand_includes(top, tmp_path).text
    assert "B from the top document's folder" in text
    assert "must not be used" not in text
    assert "C from the project root" in text


def test_lines_keep_their_origin(tmp_path: Path) -> None:
    top = write(tmp_path / "main.qmd", "one\n\n{{< include part.qmd >}}\n\nthree\n")
    write(tmp_path / "part.qmd", "first\nsecond\n")
    lines = expand_includes(top, tmp_path).lines
    second = next(line for line in lines if line.text == "second")
    assert (second.file.name, second.number) == ("part.qmd", 2)
    three = next(line for line in lines if line.text == "three")
    assert (three.file.name, three.number) == ("main.qmd", 5)


def test_quoted_path(tmp_path: Path) -> None:
    top = write(tmp_path / "main.qmd", '{{< include "my part.qmd" >}}\n')
    write(tmp_path / "my part.qmd", "quoted\n")
    assert expand_includes(top, tmp_path).text == "quoted\n"


def test_missing_file_names_the_including_file_and_line(tmp_path: Path) -> None:
    top = write(tmp_path / "main.qmd", "x\n\n{{< include part.qmd >}}\n")
    write(tmp_path / "part.qmd", "a\n\n{{< include nowhere.qmd >}}\n")
    with pytest.raises(RenderError, match=r"part\.qmd:3: included file not found: nowhere\.qmd"):
        expand_includes(top, tmp_path)


def test_circular_include(tmp_path: Path) -> None:
    top = write(tmp_path / "main.qmd", "{{< include a.qmd >}}\n")
    write(tmp_path / "a.qmd", "{{< include b.qmd >}}\n")
    write(tmp_path / "b.qmd", "{{< include a.qmd >}}\n")
    with pytest.raises(
        RenderError, match=r"b\.qmd:1: circular include: main\.qmd -> a\.qmd -> b\.qmd -> a\.qmd"
    ):
        expand_includes(top, tmp_path)


def test_escaped_include_is_left_alone(tmp_path: Path) -> None:
    top = write(tmp_path / "main.qmd", "{{{< include a.qmd >}}}\n")
    assert expand_includes(top, tmp_path).text == "{{{< include a.qmd >}}}\n"
