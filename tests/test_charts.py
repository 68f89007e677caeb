"""The chart helpers: each chart drawn per edition for the page and for a phone, saved with one
caption, alt text and list of indicators, its texts spaced the edition's way."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from impactreport.analysis import charts
from impactreport.paths import Project

CAPTION, ALT = "Loans per year", "Two bars: 3 loans in 2023 and 5 in 2024."
NNBSP = "\u202f"


def test_a_chart_is_drawn_and_saved_once_per_edition_and_layout(tmp_path: Path) -> None:
    editions = [
        SimpleNamespace(lang="nl", word="Staaf", words={}),
        SimpleNamespace(lang="fr", word="Barre", words={}),
    ]
    # a project folder with no data: nothing declared synthetic
    ctx = SimpleNamespace(
        editions=editions,
        figures=lambda lang: tmp_path / lang,
        project=Project(tmp_path),
        year=2024,
    )
    drawn: list[tuple[str, bool]] = []

    def draw(edition, layout):
        drawn.append((edition.lang, layout.narrow))
        fig, ax = plt.subplots(figsize=layout.size(2.0))
        ax.bar([0], [1])
        return charts.Drawn(
            fig, caption=edition.word, alt=f"{edition.word}: 1", drawn_from=["x.count"]
        )

    charts.for_each_edition(ctx, "fig-test", draw)
    assert drawn == [("nl", False), ("nl", True), ("fr", False), ("fr", True)]
    assert plt.get_fignums() == [], "each drawing is closed once saved"
    for edition in editions:
        meta = json.loads((tmp_path / edition.lang / "fig-test.json").read_text(encoding="utf-8"))
        assert meta == {
            "id": "fig-test",
            "caption": edition.word,
            "alt": f"{edition.word}: 1",
            "drawn_from": ["x.count"],
        }
        for suffix in (".svg", ".png", ".narrow.svg"):
            assert (tmp_path / edition.lang / f"fig-test{suffix}").is_file()


def test_french_chart_texts_get_a_narrow_no_break_space_before_colons(tmp_path: Path) -> None:
    french = SimpleNamespace(lang="fr", words={"punctuation_space": NNBSP})
    ctx = SimpleNamespace(
        editions=[french],
        figures=lambda lang: tmp_path / lang,
        project=Project(tmp_path),
        year=2024,
    )
    figures = []

    def draw(edition, layout):
        fig, ax = plt.subplots(figsize=layout.size(2.0))
        figures.append(fig)
        ax.bar([0, 1], [3, 5], label="Prêts : par an")
        ax.set_xticks([0, 1], ["Avant 2024: 3", "Total?"])
        ax.set_title("Projets: 8")
        ax.text(0, 1, "Femmes: 12")
        ax.legend()
        return charts.Drawn(fig, caption="Prêts", alt="Deux barres: 3 et 5.", drawn_from=["x"])

    charts.for_each_edition(ctx, "fig-fr", draw)
    assert len(figures) == len(charts.LAYOUTS)
    for figure in figures:  # as saved: the tick labels are those of the last drawing
        texts = [text.get_text() for text in figure.findobj(Text) if text.get_text()]
        for expected in (
            "Avant 2024\u202f: 3",
            "Total\u202f?",
            "Projets\u202f: 8",
            "Femmes\u202f: 12",
        ):
            assert expected in texts
        assert "Prêts\u202f: par an" in texts  # a plain space before the colon is replaced
    meta = json.loads((tmp_path / "fr" / "fig-fr.json").read_text(encoding="utf-8"))
    assert meta["alt"] == "Deux barres\u202f: 3 et 5."


def draw(layout: charts.Layout, **text):
    with layout.style():
        figure, ax = plt.subplots(figsize=layout.size(2.0))
        ax.bar([2023, 2024], [3, 5])
        ax.set_title("Loans", **text)
    return figure


def save(figure, folder, layout, alt=ALT):
    with layout.style():
        return charts.save(
            figure, folder, "fig-x", caption=CAPTION, alt=alt, drawn_from=["x"], layout=layout
        )


def svg_width_pt(path) -> float:
    head = path.read_text(encoding="utf-8")[:600]
    return float(head.split(' width="', 1)[1].split("pt", 1)[0])


def test_the_phone_drawing_is_narrower_with_the_same_caption_and_alt(tmp_path) -> None:
    charts.apply_style()
    save(draw(charts.WIDE), tmp_path, charts.WIDE)
    narrow = save(draw(charts.NARROW), tmp_path, charts.NARROW)
    plt.close("all")
    assert narrow.name == "fig-x.narrow.svg"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fig-x.json",
        "fig-x.narrow.svg",
        "fig-x.png",
        "fig-x.svg",
    ]
    assert svg_width_pt(narrow) < 0.6 * svg_width_pt(tmp_path / "fig-x.svg")
    assert json.loads((tmp_path / "fig-x.json").read_text(encoding="utf-8"))["alt"] == ALT


def test_the_phone_drawing_keeps_the_text_large_enough(tmp_path) -> None:
    charts.apply_style()
    with charts.NARROW.style():
        assert charts.smallest_text(draw(charts.NARROW)) >= charts.NARROW_TEXT_PT
    save(draw(charts.WIDE), tmp_path, charts.WIDE)
    with pytest.raises(ValueError, match="text below 9 pt"):
        save(draw(charts.NARROW, fontsize=7), tmp_path, charts.NARROW)
    plt.close("all")


def test_the_phone_drawing_follows_the_page_drawing_and_its_alt(tmp_path) -> None:
    charts.apply_style()
    with pytest.raises(ValueError, match="wide drawing before"):
        save(draw(charts.NARROW), tmp_path, charts.NARROW)
    save(draw(charts.WIDE), tmp_path, charts.WIDE)
    with pytest.raises(ValueError, match="caption and alt"):
        save(draw(charts.NARROW), tmp_path, charts.NARROW, alt="Something else.")
    plt.close("all")


def trend_history(ids: list[str]):
    import pandas as pd

    return pd.DataFrame(
        [
            {"year": year, "id": i, "value": float(10 + n + year - 2023), "unit": "count"}
            for n, i in enumerate(ids)
            for year in (2023, 2024)
        ]
    )


@pytest.mark.parametrize(
    ("count", "wide", "narrow"), [(2, (1, 2), (1, 2)), (6, (2, 3), (3, 2))], ids=["two", "six"]
)
def test_the_trend_chart_has_three_panels_a_row_on_the_page_and_two_on_a_phone(
    count, wide, narrow
) -> None:
    from conftest import ROOT
    from impactreport.analysis import editions, trend_chart
    from impactreport.paths import Project

    edition = editions.load(Project(ROOT), "nl")
    ids = [f"theme.indicator_{n}" for n in range(count)]
    words = edition.words
    titles = {i: f"Een lange titel van kerncijfer {n}" for n, i in enumerate(ids)}
    edition = editions.Edition(
        "nl",
        {
            **words,
            "charts": {
                **words["charts"],
                "trends": {**words["charts"]["trends"], "titles": titles},
            },
        },
    )
    for layout, grid in ((charts.WIDE, wide), (charts.NARROW, narrow)):
        with layout.style():
            drawn = trend_chart.draw(trend_history(ids), edition, layout)
        shown = [ax for ax in drawn.figure.axes if ax.get_visible()]
        assert len(shown) == count
        assert drawn.figure.axes[0].get_gridspec().get_geometry() == grid
        drawn.figure.canvas.draw()
        boxes = [ax.title.get_window_extent() for ax in shown]
        # no panel's title runs into its neighbour's
        assert not any(a.overlaps(b) for n, a in enumerate(boxes) for b in boxes[n + 1 :])
        assert drawn.drawn_from == ids and "2023" in drawn.alt
        plt.close(drawn.figure)


def test_a_chart_drawn_from_synthetic_records_alone_says_so_inside_the_image() -> None:
    """2024's payroll is synthetic: a chart of the wage tension says so in its image; one of
    the persons employed (declared, transcribed from the 2024 report) or of the loans does not."""
    from types import SimpleNamespace

    import pandas as pd

    from conftest import ROOT
    from impactreport.inputs.load import load_reference

    project = Project(ROOT)
    catalogue = load_reference(project).catalogue
    facts = pd.read_csv(ROOT / "data" / "2024" / "facts.csv", dtype=str)
    themes = dict(zip(catalogue["id"], catalogue["theme"], strict=True))
    ctx = SimpleNamespace(
        project=project,
        year=2024,
        reference=SimpleNamespace(catalogue=catalogue),
        inputs=SimpleNamespace(facts_of=lambda theme: facts[facts["id"].map(themes) == theme]),
    )
    assert charts.rests_on_synthetic(ctx, ["wages.lowest_overall", "wages.highest_overall"])
    assert not charts.rests_on_synthetic(ctx, ["workforce.persons"])
    assert not charts.rests_on_synthetic(ctx, ["loans.amount_year", "loans.amount_before"])
