"""The HTML output: Quarto's float markup around pandoc's own rendering, one self-contained file.

Markup follows Quarto's HTML float renderer (customnodes/floatreftarget.lua): an outer
``div#fig-x.quarto-float``, a ``figure.quarto-float-fig`` and a ``figcaption`` reading
``Figuur 1: Caption``; references are ``<a href="#fig-x" class="quarto-xref">Figuur 1</a>``.
Captions, alt texts and paths stay pandoc nodes, so pandoc escapes them. ``format: html:
template:`` is the page (the project's, which Quarto uses too with ``minimal: true``), else ours.
"""

from __future__ import annotations

import html
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from impactreport.errors import RenderError
from impactreport.publishing.render.crossref import (
    CAPTION_UUID,
    Float,
    caption_inlines,
    figure_parts,
)
from impactreport.publishing.render.document import Document
from impactreport.publishing.render.html_parts import write_page
from impactreport.publishing.render.pandoc_ast import Node, plain, raw_block, text, walk, write
from impactreport.publishing.render.tables import with_column_widths
from impactreport.publishing.render.visitor import FloatVisitor


def render_html(document: Document, out_path: Path, *, linked: bool = False) -> Path:
    """Write ``document`` as HTML to ``out_path``; ``linked``: its images and stylesheets beside
    it even where ``embed-resources`` asks to embed them (the preview's page: embedding costs a
    fifth of the render, and a served page loads its figures as quickly), written section by
    section (``html_parts``)."""
    options = document.options("html")
    blocks = walk(document.ast["blocks"], _Visitor(document))
    ast = dict(document.ast, blocks=blocks, meta=document.pandoc_meta("html"))
    css = [str(c) for c in _as_list(options.get("css"))]
    for name in css:
        if not (document.doc_dir / name).is_file():
            raise RenderError(f"format: html: css: {name} not found")
    embed = bool(options.get("embed-resources")) and not linked
    args = [
        "--standalone",
        f"--template={document.template('html', _template())}",
        "--section-divs",
        "--wrap=none",
        f"--resource-path={document.doc_dir}",
        *(f"--css={c}" for c in css),
        *document.writer_filters(),
    ]
    if options.get("toc"):
        args += ["--toc", f"--toc-depth={int(options.get('toc-depth', 3))}"]
    if embed:
        args.append("--embed-resources")
    else:
        images = document.image_paths()
        # a chart's phone drawing, which filters/narrow.lua links where there is one
        phone = [
            name.removesuffix(".svg") + ".narrow.svg" for name in images if name.endswith(".svg")
        ]
        _copy_resources(document, [*css, *images, *phone], out_path.parent)
    page = write_page(ast, args) if linked else write(ast, "html", args)
    out_path.write_text(page, encoding="utf-8")
    return out_path


class _Visitor(FloatVisitor):
    def figure(self, node: Node) -> list[Node]:
        parts = figure_parts(node, self.document.locate)
        found = self.document.floats[parts.id]
        attrs = [["width", parts.width]] if parts.width else []
        image = {
            "t": "Image",
            "c": [
                ["", ["img-fluid", "figure-img"], attrs],
                [text(parts.alt)],
                [self.document.image_src(parts.src), ""],
            ],
        }
        caption_id = f"{parts.id}-caption-{CAPTION_UUID}"
        return [
            # Quarto's wrapper of the image; on a phone filters/narrow.lua adds its phone drawing
            raw_block("html", _float_open(found) + f'\n<div aria-describedby="{caption_id}">'),
            plain([image]),
            raw_block("html", "</div>\n" + _caption_open(found, caption_id, "bottom")),
            plain(self.caption(found, parts.caption)),
            raw_block("html", "</figcaption>\n</figure>\n</div>"),
        ]

    def table(self, node: Node) -> list[Node]:
        attr, caption, *rest = with_column_widths(node)["c"]
        if not attr[0]:
            # a box that may scroll sideways must be reachable with the keyboard (WCAG 2.1.1)
            label = html.escape(self.document.words.title("tbl"), quote=True)
            return [
                raw_block(
                    "html",
                    f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">',
                ),
                {"t": "Table", "c": [attr, caption, *rest]},
                raw_block("html", "</div>"),
            ]
        found = self.document.floats[attr[0]]
        caption_id = f"{found.id}-caption-{CAPTION_UUID}"
        bare = {"t": "Table", "c": [["", [], []], [None, []], *rest]}
        return [
            raw_block("html", _float_open(found) + "\n" + _caption_open(found, caption_id, "top")),
            plain(self.caption(found, caption_inlines(caption))),
            raw_block(
                "html",
                f'</figcaption>\n<div aria-describedby="{caption_id}" class="table-scroll" '
                f'role="region" aria-labelledby="{caption_id}" tabindex="0">',
            ),
            bare,
            raw_block("html", "</div>\n</figure>\n</div>"),
        ]


def _float_open(found: Float) -> str:
    return (
        f'<div id="{found.id}" class="quarto-float quarto-figure quarto-figure-center anchored">\n'
        f'<figure class="quarto-float quarto-float-{found.kind} figure">'
    )


def _caption_open(found: Float, caption_id: str, position: str) -> str:
    return (
        f'<figcaption class="quarto-float-caption-{position} quarto-float-caption'
        f' quarto-float-{found.kind}" id="{caption_id}">'
    )


def _copy_resources(document: Document, relative: list[str], out_dir: Path) -> None:
    """Without embedding, the HTML links its images and stylesheets: put them beside it."""
    for name in relative:
        source = (document.doc_dir / name).resolve()
        target = out_dir / name
        if source != target.resolve() and source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def _template() -> Path:
    return Path(str(resources.files("impactreport.publishing.render") / "templates" / "html.html"))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
