"""The one chart style of the report, and how a figure is stored with its caption and alt text.

One typeface, the body text's (DejaVu Serif, shipped with matplotlib, whose font folder the PDF
renderer also reads, so every machine draws the same glyphs in text and charts), a
palette whose colours differ in lightness (readable in grey and for colour-blind readers), and
numbers on axes formatted for the edition's language and its punctuation spacing (French: a narrow
no-break space before : ; ! ?) in every label. A chart changes nothing of the style but the
axis its grid lines follow (a horizontal bar chart's values run along x).

Each chart is drawn twice: at the text width of the page (``WIDE``: print, and screens wider than
40 rem) and for a phone (``NARROW``: about half as wide, taller, text at 10 pt, so that at its
drawn size on a 390 px screen no text is below 12 CSS px). The chart code sizes its figure with
``layout.size(height)``; the HTML shows the narrow drawing on narrow screens (filters/narrow.lua).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")  # files only, no screen

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import Formatter, FuncFormatter  # noqa: E402

from impactreport.analysis.formatting import Style, number  # noqa: E402
from impactreport.analysis.text import flatten, spaced_punctuation  # noqa: E402

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


@dataclass(frozen=True)
class Layout:
    """How big a chart is drawn: width in inches, heights scaled by ``stretch``, font sizes."""

    width: float
    stretch: float
    panel_title: float  # pt: the small titles above the panels of a many-panel chart
    rc: dict = field(default_factory=dict)

    @property
    def narrow(self) -> bool:
        return self is NARROW

    def size(self, height: float) -> tuple[float, float]:
        """``figsize`` for a chart ``height`` inches tall at the page's width."""
        return (self.width, round(height * self.stretch, 2))

    @contextmanager
    def style(self) -> Iterator[None]:
        with plt.rc_context(self.rc):
            yield


WIDE = Layout(RC["figure.figsize"][0], 1.0, panel_title=8)
# 3.4 in: a drawing about 330 CSS px wide, shown at its drawn size in a 390 px phone's column
NARROW = Layout(
    3.4,
    1.6,
    panel_title=10,
    rc={"font.size": 10, "axes.titlesize": 10.5, "axes.labelsize": 10},
)
LAYOUTS = (WIDE, NARROW)  # in this order: the narrow drawing reuses the wide one's caption
NARROW_TEXT_PT = 9


def smallest_text(figure, *, laid_out: bool = False) -> float:
    """The smallest font size (pt) of any text drawn in ``figure``, tick labels included."""
    if not laid_out:
        figure.draw_without_rendering()  # tick labels exist only once the figure is laid out
    sizes = [
        text.get_fontsize()
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    ]
    return min(sizes)


def tight_box(figure):
    """The box (inches) that ``bbox_inches="tight"`` would crop ``figure`` to, found in one
    layout pass for all of its files: each ``savefig`` with "tight" lays the figure out once more
    before drawing it."""
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    return figure.get_tightbbox(renderer).padded(plt.rcParams["savefig.pad_inches"])


class _Spaced(Formatter):
    """Another formatter's tick labels with the edition's punctuation spacing: tick labels are
    made anew at every drawing, so the spacing goes where they are made."""

    def __init__(self, inner: Formatter, space: str) -> None:
        self.inner, self.space = inner, space

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs) -> None:
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None) -> str:
        return spaced_punctuation(self.inner(x, pos), self.space)

    def format_ticks(self, values) -> list[str]:
        return [spaced_punctuation(label, self.space) for label in self.inner.format_ticks(values)]

    def get_offset(self) -> str:
        return spaced_punctuation(self.inner.get_offset(), self.space)

    def format_data(self, value) -> str:
        return self.inner.format_data(value)

    def format_data_short(self, value) -> str:
        return self.inner.format_data_short(value)


def typeset(figure, space: str) -> None:
    """The edition's punctuation spacing (``space`` before : ; ! ?, French only) in every text of
    ``figure``: titles, axis labels, legends, annotations and tick labels."""
    if not space:
        return
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            for formatter, setter in (
                (axis.get_major_formatter(), axis.set_major_formatter),
                (axis.get_minor_formatter(), axis.set_minor_formatter),
            ):
                if not isinstance(formatter, _Spaced):
                    setter(_Spaced(formatter, space))
    for item in figure.findobj(Text):
        item.set_text(spaced_punctuation(item.get_text(), space))


def number_axis(axis, style: Style) -> None:
    """Tick labels formatted for the edition (20.892 in Dutch, 20 892 in French)."""
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value, style)))


def save(
    figure,
    folder: Path,
    figure_id: str,
    *,
    caption: str,
    alt: str,
    drawn_from: list[str],
    layout: Layout = WIDE,
) -> Path:
    """Write ``<id>.svg`` (screens), ``<id>.png`` (print, 300 dpi) and ``<id>.json`` (caption, alt,
    and the indicators it is drawn from: their lineage decides whether it is labelled synthetic).

    A ``NARROW`` drawing is ``<id>.narrow.svg`` only, saved after the wide one: it shares its
    caption and alt text, so they must be the same."""
    if not caption.strip() or not alt.strip():
        raise ValueError(f"{figure_id}: a figure needs a caption and an alt text")
    folder.mkdir(parents=True, exist_ok=True)
    if layout.narrow:
        return _save_narrow(figure, folder, figure_id, caption, alt)
    svg = folder / f"{figure_id}.svg"
    box = tight_box(figure)
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=box)
    figure.savefig(
        folder / f"{figure_id}.png",
        format="png",
        dpi=PRINT_DPI,
        metadata={"Software": None},
        bbox_inches=box,
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


def _save_narrow(figure, folder: Path, figure_id: str, caption: str, alt: str) -> Path:
    meta_path = folder / f"{figure_id}.json"
    if not meta_path.is_file():
        raise ValueError(f"{figure_id}: save the wide drawing before the narrow one")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if (meta["caption"], meta["alt"]) != (flatten(caption), flatten(alt)):
        raise ValueError(
            f"{figure_id}: the narrow drawing must have the wide one's caption and alt"
        )
    box = tight_box(figure)
    # drawn at most as wide as a phone's column, 9 pt is 12 CSS px
    if smallest_text(figure, laid_out=True) < NARROW_TEXT_PT:
        raise ValueError(f"{figure_id}: text below {NARROW_TEXT_PT} pt in the narrow drawing")
    svg = folder / f"{figure_id}.narrow.svg"
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=box)
    return svg


class Drawn(NamedTuple):
    """A chart as one edition draws it: the figure, its caption and alt text in the edition's
    words, and the indicators it is drawn from."""

    figure: object
    caption: str
    alt: str
    drawn_from: list[str]


def for_each_edition(ctx, figure_id: str, draw: Callable[..., Drawn]) -> None:
    """Draw the chart in every edition's language and in every layout, and save each in that
    edition's figures, so a notebook's chart cell is only its drawing: ``draw(edition, layout)``
    returns a ``Drawn``, sized with ``layout.size(height)``. Its texts, caption and alt text
    included, get the edition's punctuation spacing."""
    synthetic = None  # decided once, from the first drawing's indicators
    for edition in ctx.editions:
        space = edition.words.get("punctuation_space", "")
        for layout in LAYOUTS:
            # the layout's font sizes hold until the figure is saved: tick labels are made then
            with layout.style():
                try:
                    drawn = draw(edition, layout)
                except KeyError as missing:  # the chart's words, most likely
                    raise KeyError(
                        f"{figure_id}, {edition.lang} edition: no entry {missing} in "
                        f"sections/{edition.lang}/words.yml: add it under charts: "
                        "(docs/adding-a-chart.md)"
                    ) from None
                if synthetic is None:
                    synthetic = rests_on_synthetic(ctx, drawn.drawn_from)
                if synthetic:
                    mark_synthetic(drawn.figure, edition.words["charts"]["watermark"])
                typeset(drawn.figure, space)
                save(
                    drawn.figure,
                    ctx.figures(edition.lang),
                    figure_id,
                    caption=spaced_punctuation(drawn.caption, space),
                    alt=spaced_punctuation(drawn.alt, space),
                    drawn_from=drawn.drawn_from,
                    layout=layout,
                )
            plt.close(drawn.figure)


def rests_on_synthetic(ctx, drawn_from: list[str]) -> bool:
    """Whether a chart draws an indicator computed from records alone (not also declared as a
    fact) in a year whose descriptor declares synthetic input: the lineage ``prepare`` labels
    the caption by, known here so that the image says so too."""
    from impactreport.inputs import descriptor

    found = descriptor.load(ctx.project.year_data(ctx.year), checked=False)
    if found is None or not any(r.synthetic for r in found.resources):
        return False
    catalogue = ctx.reference.catalogue.set_index("id")
    computed = [
        i for i in drawn_from if i in catalogue.index and catalogue.at[i, "origin"] == "records"
    ]
    for theme in sorted({catalogue.at[i, "theme"] for i in computed}):
        declared = set(ctx.inputs.facts_of(theme)["id"])
        if any(catalogue.at[i, "theme"] == theme and i not in declared for i in computed):
            return True
    return False


def mark_synthetic(figure, words: str) -> None:
    """The words inside the image, at its top right, so that a chart copied out of the report
    still says it is drawn from synthetic data."""
    figure.text(
        0.995,
        0.995,
        words,
        transform=figure.transFigure,
        ha="right",
        va="top",
        color="#9b1c1c",
        fontweight="bold",
    )
