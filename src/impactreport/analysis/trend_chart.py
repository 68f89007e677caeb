"""The year-on-year chart: one small bar chart per compared indicator, a bar per year.

Every report that compares years draws it the same way, so it is the package's: a notebook
passes the history and the edition's words name the panels (``charts: trends: titles:``, in the
order shown). Three panels a row on the page, two on a phone.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from impactreport.analysis import charts, formatting


def draw(past: pd.DataFrame, edition, layout: charts.Layout) -> charts.Drawn:
    words = edition.words["charts"]["trends"]
    ids = [i for i in words["titles"] if i in set(past["id"])]
    if not ids:
        raise ValueError("charts: trends: titles: names none of the indicators compared")
    wide_rows = math.ceil(len(ids) / 3)
    columns = min(len(ids), 2 if layout.narrow else 3)
    rows = math.ceil(len(ids) / columns)
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=layout.size(max(2.6, 1.9 * wide_rows)),
        sharex=True,
        squeeze=False,
    )
    summaries = []
    for ax, indicator in zip(axes.flat, ids, strict=False):  # spare panels stay empty
        series = past[past["id"] == indicator].sort_values("year")
        ax.bar(series["year"], series["value"], color=charts.PALETTE[0], width=0.6)
        title = words["titles"][indicator]
        # a phone's panels are narrow: a long title takes two lines rather than its neighbour's
        shown_title = textwrap.fill(title, 16) if layout.narrow else title
        ax.set_title(shown_title, fontsize=layout.panel_title)
        ax.set_xticks(series["year"], [str(y) for y in series["year"]])
        charts.number_axis(ax.yaxis, edition.style)
        shown = ", ".join(
            f"{y}: {formatting.phrase(v, u, '', edition.style)}"
            for y, v, u in zip(series["year"], series["value"], series["unit"], strict=True)
        )
        summaries.append(f"{words['titles'][indicator]} ({shown})")
    for ax in list(axes.flat)[len(ids) :]:
        ax.set_visible(False)
    fig.tight_layout()
    first, last = int(past["year"].min()), int(past["year"].max())
    return charts.Drawn(
        fig,
        drawn_from=ids,
        caption=edition.text(words["caption"], first=str(first), last=str(last)),
        alt=edition.text(
            words["alt"], first=str(first), last=str(last), values="; ".join(summaries)
        ),
    )
