"""The chart helpers: one drawing per edition, saved with its caption, alt text and indicators."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt

from impactreport.analysis import charts


def test_a_chart_is_drawn_and_saved_once_per_edition(tmp_path: Path) -> None:
    editions = [SimpleNamespace(lang="nl", word="Staaf"), SimpleNamespace(lang="fr", word="Barre")]
    ctx = SimpleNamespace(editions=editions, figures=lambda lang: tmp_path / lang)
    drawn: list[str] = []

    def draw(edition):
        drawn.append(edition.lang)
        fig, ax = plt.subplots()
        ax.bar([0], [1])
        return charts.Drawn(
            fig, caption=edition.word, alt=f"{edition.word}: 1", drawn_from=["x.count"]
        )

    charts.for_each_edition(ctx, "fig-test", draw)
    plt.close("all")
    assert drawn == ["nl", "fr"]
    for edition in editions:
        meta = json.loads((tmp_path / edition.lang / "fig-test.json").read_text(encoding="utf-8"))
        assert meta == {
            "id": "fig-test",
            "caption": edition.word,
            "alt": f"{edition.word}: 1",
            "drawn_from": ["x.count"],
        }
        assert (tmp_path / edition.lang / "fig-test.svg").is_file()
        assert (tmp_path / edition.lang / "fig-test.png").is_file()
