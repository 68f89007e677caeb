"""The preview writes its page section by section: the same page as writing it whole, or whole."""

from __future__ import annotations

import copy
import shutil
from importlib import resources
from pathlib import Path

import pytest

from impactreport.config import active_profiles, load_config
from impactreport.publishing.render import html_parts, html_path
from impactreport.publishing.render.document import read_document
from impactreport.publishing.render.pandoc_ast import read_markdown, write
from impactreport.publishing.render.project import _input
from support.staged import staged_edition


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch) -> None:
    monkeypatch.setattr(html_parts, "_kept", html_parts.LastUsed(html_parts.KEPT))


class Writes:
    """Counts pandoc's writes made by ``html_parts``."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0

        def counted(*args):
            self.count += 1
            return write(*args)

        monkeypatch.setattr(html_parts, "write", counted)


def page_inputs(monkeypatch, folder: Path, lang: str) -> tuple[dict, list[str]]:
    """The AST and the arguments the preview's page is written from."""
    config = load_config(folder, active_profiles(folder, [lang]))
    document = read_document(folder, _input(folder, config), config, by_parts=True)
    seen = {}

    def captured(ast, args):
        seen.update(ast=ast, args=args)
        return write(ast, "html", args)

    with monkeypatch.context() as patched:
        patched.setattr(html_path, "write_page", captured)
        html_path.render_html(document, folder / "_out" / "page.html", linked=True)
    return seen["ast"], seen["args"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_the_2024_pages_written_by_sections_as_written_whole(
    computed_2024, monkeypatch, lang
) -> None:
    with staged_edition(computed_2024, 2024, lang) as folder:
        ast, args = page_inputs(monkeypatch, folder, lang)
        writes = Writes(monkeypatch)
        assert html_parts.write_page(ast, args) == write(ast, "html", args)
        sections = len(html_parts._sections(ast["blocks"]))
        assert sections > 5 and writes.count == sections + 1  # each section, then the frame

        edited = copy.deepcopy(ast)
        last = [i for i, b in enumerate(edited["blocks"]) if b["t"] == "Para"][-1]
        edited["blocks"].insert(last, read_markdown("Een zin erbij.")["blocks"][0])
        writes.count = 0
        assert html_parts.write_page(edited, args) == write(edited, "html", args)
        assert writes.count == 1  # the edited section alone

        retitled = copy.deepcopy(edited)
        first = next(b for b in retitled["blocks"] if b["t"] == "Header")
        first["c"][2] = read_markdown("Een andere titel")["blocks"][0]["c"]
        writes.count = 0
        assert html_parts.write_page(retitled, args) == write(retitled, "html", args)
        assert writes.count == 2  # its section and the contents


TEMPLATE = "<html><body>\n$if(toc)$<nav>$table-of-contents$</nav>$endif$\n$body$\n</body></html>\n"


def written_both(tmp_path: Path, monkeypatch, markdown: str, *extra: str) -> tuple[str, str, int]:
    """The page written by ``write_page`` and whole, and how many writes ``write_page`` made."""
    template = tmp_path / "page.html"
    template.write_text(TEMPLATE, encoding="utf-8")
    args = ["--standalone", f"--template={template}", "--section-divs", "--toc", *extra]
    ast = read_markdown(markdown)
    writes = Writes(monkeypatch)
    return html_parts.write_page(ast, args), write(ast, "html", args), writes.count


CHAPTERS = "Voor.\n\n# Een\n\nTekst.\n\n## Een twee\n\nMeer.\n\n# Twee\n\nNog.\n"


def test_a_page_of_independent_sections_is_written_section_by_section(
    tmp_path, monkeypatch
) -> None:
    by_sections, whole, writes = written_both(tmp_path, monkeypatch, CHAPTERS)
    assert by_sections == whole
    assert writes == 4  # before the first heading, two sections, the frame


@pytest.mark.parametrize(
    ("markdown", "extra"),
    [
        (CHAPTERS + "\nMet een voetnoot.[^1]\n\n[^1]: De noot.\n", []),
        (CHAPTERS + "\nEen formule $x^2$.\n", []),
        (CHAPTERS + "\n```python\nx = 1\n```\n", []),
        (CHAPTERS + "\n(@) een\n(@) twee\n", []),
        (CHAPTERS + "\n::: {.kader}\n# In een kader\n:::\n", []),
        (CHAPTERS, ["--number-sections"]),
    ],
    ids=["footnote", "maths", "code", "example-list", "heading-in-a-div", "numbered"],
)
def test_what_ties_sections_together_has_the_page_written_whole(
    tmp_path, monkeypatch, markdown, extra
) -> None:
    by_sections, whole, writes = written_both(tmp_path, monkeypatch, markdown, *extra)
    assert by_sections == whole
    assert writes == 1


def test_a_filter_that_is_not_the_kits_has_the_page_written_whole(tmp_path, monkeypatch) -> None:
    counting = tmp_path / "count.lua"
    counting.write_text("local n = 0\nfunction Para(p) n = n + 1 end\n", encoding="utf-8")
    by_sections, whole, writes = written_both(
        tmp_path, monkeypatch, CHAPTERS, f"--lua-filter={counting}"
    )
    assert by_sections == whole
    assert writes == 1


def test_the_kits_filters_are_written_section_by_section(tmp_path, monkeypatch) -> None:
    kit = Path(str(resources.files("impactreport") / "kit" / "filters"))
    copied = shutil.copyfile(kit / "narrow.lua", tmp_path / "narrow.lua")
    for drawing in ("a.svg", "a.narrow.svg"):
        (tmp_path / drawing).write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    by_sections, whole, writes = written_both(
        tmp_path,
        monkeypatch,
        CHAPTERS.replace("Nog.", "![Een grafiek](a.svg)"),
        f"--lua-filter={copied}",
        f"--resource-path={tmp_path}",
    )
    assert by_sections == whole and "a.narrow.svg" in whole
    assert writes == 4
