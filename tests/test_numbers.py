"""Every number a reader can see is an indicator value as the edition writes it, or a literal
declared in data/reference/literals.csv."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import published_numbers as numbers
from impactreport.analysis import editions, formatting
from impactreport.analysis.indicators import read as read_indicators
from impactreport.publishing import origins, prepare

STEMS = {"nl": "report", "fr": "rapport"}


def texts(folder: Path, stem: str) -> dict[str, list[str]]:
    """Each file of an edition as the pages of text it shows (HTML and Word: one page)."""
    return {
        "html": [numbers.html_text(folder / f"{stem}.html")],
        "pdf": numbers.pdf_pages(folder / f"{stem}.pdf"),
        "docx": [numbers.docx_text(folder / f"{stem}.docx")],
    }


def unexplained_numbers(project, year: int) -> dict[str, list[str]]:
    compute = project.root / "_build" / str(year) / "compute"
    table = read_indicators(compute / "indicators.csv")
    changes = pd.read_csv(compute / "tables" / "changes.csv")
    conditions = len(pd.read_csv(project.root / "data" / "reference" / "conditions.csv"))
    literals = numbers.read_literals(project.root)
    found = {}
    for lang, stem in STEMS.items():
        known = numbers.indicator_numbers(table, changes, editions.load(project, lang))
        for kind, pages in texts(project.root / "_output" / str(year) / lang, stem).items():
            for page, text in enumerate(pages, start=1):
                shown = page if kind == "pdf" else 0
                phrases = numbers.expand(literals, year, conditions, shown, len(pages))
                found[f"{lang} {kind}"] = found.get(f"{lang} {kind}", []) + numbers.unexplained(
                    text, known, phrases
                )
    return {where: bad for where, bad in found.items() if bad}


@pytest.mark.slow
def test_every_published_number_is_an_indicator_or_a_declared_literal(built_2024):
    assert unexplained_numbers(built_2024, 2024) == {}


@pytest.mark.slow
def test_every_declared_literal_is_published(built_2024):
    """A literal nobody writes any more is taken out of literals.csv, not left to excuse one."""
    year = 2024
    literals = numbers.read_literals(built_2024.root)
    written = ""
    for lang, stem in STEMS.items():
        for pages in texts(built_2024.root / "_output" / str(year) / lang, stem).values():
            written += numbers.fold(" ".join(pages)) + " "
    version = numbers.expand([numbers.Literal("{version}", "", "")], year, conditions=0).pop()
    unused = [
        literal.text
        for literal in literals
        if "{" not in literal.text and literal.text not in written
    ]
    assert unused == []
    assert str(year) in written and version in written


@pytest.mark.slow
def test_a_number_typed_into_a_section_is_found(built_2024, tmp_path):
    """The same check on a copy of the 2024 HTML with one number typed into the prose."""
    folder = built_2024.root / "_output" / "2024" / "nl"
    html = (folder / "report.html").read_text(encoding="utf-8")
    typed = html.replace("personen, die", "personen (17 meer dan gepland), die", 1)
    assert typed != html
    page = tmp_path / "report.html"
    page.write_text(typed, encoding="utf-8")
    compute = built_2024.root / "_build" / "2024" / "compute"
    known = numbers.indicator_numbers(
        read_indicators(compute / "indicators.csv"),
        pd.read_csv(compute / "tables" / "changes.csv"),
        editions.load(built_2024, "nl"),
    )
    phrases = numbers.expand(numbers.read_literals(built_2024.root), 2024, conditions=9)
    found = numbers.unexplained(numbers.html_text(page), known, phrases)
    assert [f.split(" in ")[0] for f in found] == ["'17'"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("van 20.892 personen", []),
        ("de 20\u202f892 personnes", []),  # narrow no-break space, as Babel writes fr_BE
        ("de 20\u00a0892 personnes", []),
        ("de 20 892 personnes", []),  # a PDF's text may give a plain space
        ("van 20.893 personen", ["'20.893'"]),
        ("van 120.892 personen", ["'120.892'"]),  # an indicator inside a longer number
        ("tussen 1 en 5,98", []),
        ("tussen 2 en 5,98", ["'2'"]),
        ("5,981 en meer", ["'5,981'"]),
        ("+4,2 % tegenover 2023", []),
        ("bellen naar 0800 99 30", []),
        ("bellen naar 0800 99 31", ["'0800'", "'99'", "'31'"]),
        ("hash ef49542d000cc2be", []),  # digits inside a word are not a number
    ],
)
def test_numbers_are_matched_as_written(text, expected):
    known = {"20.892", "20 892", "5,98", "4,2", "2023"}
    literals = [numbers.Literal("tussen 1 en", "", ""), numbers.Literal("0800 99 30", "", "")]
    found = numbers.unexplained(text, known, numbers.expand(literals, 2024, conditions=0))
    assert [f.split(" in ")[0] for f in found] == expected


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(STEMS))
def test_every_indicator_in_the_prose_carries_its_id_and_origin(built_2024, lang):
    """Each ``{{< var id >}}`` of an indicator in the sections is, in the HTML, a span with that
    id around the value as the edition writes it, and a focusable origin."""
    compute = built_2024.root / "_build" / "2024" / "compute"
    table = read_indicators(compute / "indicators.csv")
    # each source document named by the title the year's datapackage declares in this language
    titles = json.loads((compute / "status.json").read_text("utf-8"))["inputs"]["titles"]
    table = prepare.titled(table, titles, lang).set_index("id")
    edition = editions.load(built_2024, lang)
    used = {
        match[1]
        for path in (built_2024.root / "sections" / lang).glob("*.qmd")
        for match in re.finditer(r"\{\{< var (?:words\.)?([\w.]+) >\}\}", path.read_text("utf-8"))
    }
    used &= set(table.index)
    assert len(used) > 40
    html = (built_2024.root / "_output" / "2024" / lang / f"{STEMS[lang]}.html").read_text(
        encoding="utf-8"
    )
    spans = numbers.indicator_spans(html)
    assert used <= {span["data-id"] for span in spans}
    for span in spans:
        row = table.loc[span["data-id"]]
        written = formatting.phrase(row.value, row.unit, row.qualifier, edition.style)
        spelled = formatting.words(row.value, row.qualifier, edition.style)
        assert span["text"] in (written, spelled), span
        assert span["tabindex"] == "0"
        # in the edition's words (publishing/origins.py), not the table's English notes
        source = origins.source_text(row.name, row.source, int(row.year), edition)
        assert source in span["data-origin"] and row.source not in span["data-origin"]
        assert origins.origin_text(row.origin, edition) in span["data-origin"]
    # a number resting on synthetic input alone is marked in the text itself: right after it, or
    # after the phrase it belongs to, before its sentence ends; any other number is not marked
    mark = edition.words["origins"]["synthetic_mark"].strip()
    for match in re.finditer(r'data-id="([\w.]+)"[^>]*>[^<]*</span>', html):
        # the text that follows, without the tags (each number's span carries a long origin)
        after = " ".join(re.sub(r"<[^>]+>", "", html[match.end() : match.end() + 8000]).split())
        sentence = re.split(r"[.!?](?=\s|$)", after)[0]
        if table.at[match[1], "synthetic"] == "yes":
            assert mark in sentence, (match[1], sentence)
        else:
            assert not after.startswith(mark), (match[1], sentence)
