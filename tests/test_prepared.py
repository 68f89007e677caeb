"""The prepared blocks' key: the edition's render key without its narrative, with the indicators
the narrative names and the provenance printed in their place."""

from __future__ import annotations

from impactreport.pipeline import prepared

RENDER_KEY = {"sources": "all sources", "compute": "results", "code": "code", "formats": "html"}
SOURCES = {
    "report.qmd": "r1",
    "sections/nl/01-intro.qmd": "s1",
    "_quarto.yml": "q1",
    "templates/nl/cover.typ": "t1",
}
NARRATIVE = {"report.qmd", "sections/nl/01-intro.qmd"}
NAMED = ["activity.offices", "workforce.fte"]
FACTS = {"issued": "2025-05-01", "code": "code"}


def key(**changed) -> dict:
    arguments = {
        "render_key": RENDER_KEY,
        "sources": SOURCES,
        "narrative": NARRATIVE,
        "named": NAMED,
        "facts": FACTS,
    }
    return prepared.key(**{**arguments, **changed})


def test_an_edit_of_the_narrative_naming_the_same_indicators_reuses_the_blocks() -> None:
    edited = {**SOURCES, "sections/nl/01-intro.qmd": "s2", "report.qmd": "r2"}
    assert key(sources=edited) == key()
    assert key(render_key={**RENDER_KEY, "sources": "the narrative edited"}) == key()


def test_what_the_blocks_are_made_from_prepares_them_again() -> None:
    assert key(named=[*NAMED, "loans.total"]) != key()  # the origins annex lists one more
    assert key(named=NAMED[::-1]) != key()  # and in the order the narrative names them
    assert key(sources={**SOURCES, "_quarto.yml": "q2"}) != key()
    assert key(sources={**SOURCES, "templates/nl/cover.typ": "t2"}) != key()
    assert key(facts={**FACTS, "issued": "2025-06-01"}) != key()
    for component in ("compute", "code", "formats"):
        assert key(render_key={**RENDER_KEY, component: "changed"}) != key()


def test_the_narrative_names_its_indicators_in_reading_order(tmp_path) -> None:
    from impactreport.publishing.named import named_in_order

    (tmp_path / "_02-b.qmd").write_text("{{< var loans.total >}} {{< var workforce.fte >}}")
    (tmp_path / "_01-a.qmd").write_text(
        "{{< var workforce.fte >}}, {{< var words.activity.offices >}}"
    )
    assert named_in_order(tmp_path) == ["workforce.fte", "activity.offices", "loans.total"]
