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
    documents = load_config(folder, [lang]).get("project", {}).get("render", [])
    placed = {
        line.split()[2]
        for name in documents
        if (folder / name).is_file()
        for path in expand_includes(folder / name, folder).files
        for line in path.read_text(encoding="utf-8").splitlines()
        if GENERATED_LINE.match(line)
    }
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
