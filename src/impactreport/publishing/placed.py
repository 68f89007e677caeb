"""Every chart a notebook drew for an edition is shown in it: a figure no chapter places is
refused, naming the line to add (docs/adding-a-chart.md)."""

from __future__ import annotations

import re
from pathlib import Path

from impactreport.config import load_config
from impactreport.publishing.render.filters import GENERATED_LINE
from impactreport.publishing.render.includes import expand_includes

_FIGURE = re.compile(r"figures/(fig-[\w-]+)\.svg")


def unplaced_figures(folder: Path, lang: str, generated: Path) -> list[str]:
    """One line per figure in ``generated/figures`` that no ``{{< generated >}}`` block placed
    in the edition's documents (with their includes) shows."""
    placed = placed_blocks(folder, lang)
    shown = {
        figure
        for name in placed
        if (generated / f"{name}.md").is_file()
        for figure in _FIGURE.findall((generated / f"{name}.md").read_text(encoding="utf-8"))
    }
    drawn = {p.name.removesuffix(".svg") for p in (generated / "figures").glob("fig-*.svg")}
    return [
        f"{figure} is drawn for the {lang} edition but no chapter shows it: add the line "
        f"`{{{{< generated {figure} >}}}}` to a chapter of sections/{lang}/ (docs/adding-a-chart.md)"
        for figure in sorted(drawn - shown)
        if not figure.endswith(".narrow")
    ]


def placed_blocks(folder: Path, lang: str) -> set[str]:
    """The ``{{< generated >}}`` blocks the edition's documents place, includes followed."""
    documents = load_config(folder, [lang]).get("project", {}).get("render", [])
    return {
        line.split()[2]
        for name in documents
        if (folder / name).is_file()
        for path in expand_includes(folder / name, folder).files
        for line in path.read_text(encoding="utf-8").splitlines()
        if GENERATED_LINE.match(line)
    }


def edition_gaps(folder: Path, words: dict[str, dict]) -> list[tuple[str, str]]:
    """What one edition has of a chart and another lacks, before anything is computed: its
    words (``words``: each language's words.yml) and its place in a chapter. Pairs of the file
    to edit and the problem."""
    charts = {lang: set(w.get("charts") or {}) for lang, w in words.items()}
    figures = {
        lang: {b for b in placed_blocks(folder, lang) if b.startswith("fig-")} for lang in words
    }
    gaps = []
    for lang in words:
        others = [o for o in words if o != lang]
        for chart in sorted(set().union(*charts.values()) - charts[lang]):
            where = next(o for o in others if chart in charts[o])
            gaps.append(
                (
                    f"sections/{lang}/words.yml",
                    f"sections/{lang}/words.yml: charts: has no {chart}: add it, in {lang}, as "
                    f"sections/{where}/words.yml has it (docs/adding-a-chart.md)",
                )
            )
        for figure in sorted(set().union(*figures.values()) - figures[lang]):
            where = next(o for o in others if figure in figures[o])
            gaps.append(
                (
                    f"sections/{lang}",
                    f"{figure} is shown in the {where} edition but not in the {lang} edition: add "
                    f"the line `{{{{< generated {figure} >}}}}` to a chapter of sections/{lang}/ "
                    "(docs/adding-a-chart.md)",
                )
            )
    return gaps
