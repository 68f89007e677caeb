"""The comparison of two builds as one self-contained HTML page, in the report's own style."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from impactreport.publishing.compare import Comparison

STYLE = """
main { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
del { background: #fbe3e1; color: #7a1f17; }
ins { background: #dff3e2; color: #17502a; text-decoration: none; }
td.missing { color: #666; font-style: italic; }
blockquote { margin: 0.5rem 0 1.5rem; }
"""


def _value(value: str | None) -> str:
    return '<td class="missing">—</td>' if value is None else f"<td>{escape(value)}</td>"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "not met", None: "—"}[met]


def page(comparison: Comparison, stylesheet: str) -> str:
    old, new = comparison.earlier, comparison.current
    title = f"Changes in {new.year}: {old.name} ({old.kind}) → {new.name} ({new.kind})"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{stylesheet}{STYLE}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        f"<p>Built {escape(old.created)} and {escape(new.created)}.</p>",
    ]
    if comparison.empty:
        parts.append("<p>Nothing changed.</p>")
    if comparison.indicators:
        rows = "".join(
            f"<tr><th scope='row'>{escape(c.id)}</th>{_value(c.old)}{_value(c.new)}</tr>"
            for c in comparison.indicators
        )
        parts.append(
            "<h2>Indicators</h2><table><thead><tr><th scope='col'>indicator</th>"
            f"<th scope='col'>{escape(old.name)}</th><th scope='col'>{escape(new.name)}</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    if comparison.conditions:
        rows = "".join(
            f"<tr><th scope='row'>{escape(str(n))}</th><td>{_verdict(a)}</td><td>{_verdict(b)}</td></tr>"
            for n, a, b in comparison.conditions
        )
        parts.append(
            "<h2>Conditions whose verdict changed</h2><table><thead><tr>"
            f"<th scope='col'>condition</th><th scope='col'>{escape(old.name)}</th>"
            f"<th scope='col'>{escape(new.name)}</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if comparison.text:
        parts.append("<h2>Text</h2>")
        for change in comparison.text:
            what = "changed" if change.old and change.new else "new" if change.new else "removed"
            body = " ".join(_piece(kind, text) for kind, text in change.words())
            parts.append(
                f'<h3>{escape(change.lang)}: paragraph {what}</h3><blockquote lang="{escape(change.lang)}">'
                f"<p>{body}</p></blockquote>"
            )
    if comparison.figures_only:
        parts.append(
            f"<p>{comparison.figures_only} paragraph(s) differ only in figures listed above.</p>"
        )
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def _piece(kind: str, text: str) -> str:
    if kind == "removed":
        return f"<del>{escape(text)}</del>"
    if kind == "added":
        return f"<ins>{escape(text)}</ins>"
    return escape(text)


def write(comparison: Comparison, stylesheet: Path, target: Path) -> Path:
    """Write the page beside its place and rename it in: never a half-written page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    temporary.write_text(page(comparison, stylesheet.read_text(encoding="utf-8")), encoding="utf-8")
    os.replace(temporary, target)
    return target
