"""Column widths for pipe tables, so tables fit the text width in both outputs."""

from __future__ import annotations

from impactreport.publishing.render.pandoc_ast import Node, stringify

# Longer cells wrap; this caps how much one long cell can widen its column.
_MAX_CHARS = 40
_MIN_CHARS = 6


def with_column_widths(table: Node) -> Node:
    """``table`` with relative widths proportional to its longest cells (unless already set).

    Pandoc leaves short pipe tables at default widths, which Typst lays out at their natural width,
    possibly wider than the page; explicit fractions make both HTML and Typst fit the measure.
    """
    attr, caption, colspecs, head, bodies, foot = table["c"]
    if any(spec[1]["t"] != "ColWidthDefault" for spec in colspecs):
        return table
    lengths = [_MIN_CHARS] * len(colspecs)
    for row in _rows(head, bodies, foot):
        column = 0
        for cell in row[1]:
            _, _, _, colspan, content = cell
            share = len(stringify(content)) / colspan
            for offset in range(colspan):
                if column + offset < len(lengths):
                    lengths[column + offset] = max(lengths[column + offset], min(share, _MAX_CHARS))
            column += colspan
    total = sum(lengths)
    widths = [{"t": "ColWidth", "c": round(length / total, 4)} for length in lengths]
    colspecs = [[spec[0], width] for spec, width in zip(colspecs, widths, strict=True)]
    return {"t": "Table", "c": [attr, caption, colspecs, head, bodies, foot]}


def _rows(head: list, bodies: list, foot: list) -> list:
    rows = list(head[1]) + list(foot[1])
    for body in bodies:
        rows.extend(body[2])
        rows.extend(body[3])
    return rows
