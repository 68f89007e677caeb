"""The one chart style of the report, and how a figure is stored with its caption and alt text.

One typeface, the body text's (DejaVu Serif, shipped with matplotlib, whose font folder the PDF
renderer also reads, so every machine draws the same glyphs in text and charts), a
palette whose colours differ in lightness (readable in grey and for colour-blind readers), and
numbers on axes formatted for the edition's language. Charts never restyle themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")  # files only, no screen

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from impactreport.analysis.formatting import Style, number  # noqa: E402
from impactreport.analysis.text import flatten  # noqa: E402

# dark blue, vermilion, light sky: three clearly different grey levels (about 30, 55, 80 %)
PALETTE = ("#1B4F72", "#D55E00", "#9AD0EC")
INK = "#222222"
PRINT_DPI = 300

RC = {
    "font.family": "DejaVu Serif",  # the body text's: format: typst: mainfont in _quarto.yml
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
    "figure.figsize": (6.3, 3.2),  # inches: the text width of an A4 page with 2.2 cm margins
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "svg.fonttype": "path",  # text as outlines: the SVG looks the same without the font installed
    "svg.hashsalt": "impactreport",  # stable element ids, byte-identical SVG files
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
}


def apply_style() -> None:
    plt.rcParams.update(RC)


def number_axis(axis, style: Style) -> None:
    """Tick labels formatted for the edition (20.892 in Dutch, 20 892 in French)."""
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value, style)))


def save(
    figure, folder: Path, figure_id: str, *, caption: str, alt: str, drawn_from: list[str]
) -> Path:
    """Write ``<id>.svg`` (screens), ``<id>.png`` (print, 300 dpi) and ``<id>.json`` (caption, alt,
    and the indicators it is drawn from: their lineage decides whether it is labelled synthetic)."""
    if not caption.strip() or not alt.strip():
        raise ValueError(f"{figure_id}: a figure needs a caption and an alt text")
    folder.mkdir(parents=True, exist_ok=True)
    svg = folder / f"{figure_id}.svg"
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    figure.savefig(
        folder / f"{figure_id}.png", format="png", dpi=PRINT_DPI, metadata={"Software": None}
    )
    if not drawn_from:
        raise ValueError(f"{figure_id}: name the indicators the figure is drawn from")
    meta = {
        "id": figure_id,
        "caption": flatten(caption),
        "alt": flatten(alt),
        "drawn_from": list(drawn_from),
    }
    (folder / f"{figure_id}.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return svg


class Drawn(NamedTuple):
    """A chart as one edition draws it: the figure, its caption and alt text in the edition's
    words, and the indicators it is drawn from."""

    figure: object
    caption: str
    alt: str
    drawn_from: list[str]


def for_each_edition(ctx, figure_id: str, draw: Callable[..., Drawn]) -> None:
    """Draw the chart in every edition's language and save each in that edition's figures, so a
    notebook's chart cell is only its drawing: ``draw(edition)`` returns a ``Drawn``."""
    for edition in ctx.editions:
        drawn = draw(edition)
        save(
            drawn.figure,
            ctx.figures(edition.lang),
            figure_id,
            caption=drawn.caption,
            alt=drawn.alt,
            drawn_from=drawn.drawn_from,
        )
