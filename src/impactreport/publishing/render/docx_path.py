"""The Word output: pandoc's docx writer on the numbered document, as Quarto's ``docx`` format.

Floats follow Quarto's captions for docx: a figure is a pandoc ``Figure`` whose caption reads
``Figuur 1: Caption`` below the image, a table's caption ``Tabel 1: Caption`` sits above it, and
pandoc turns both ids into Word bookmarks. ``@fig-x`` becomes an internal hyperlink ``Figuur 1``
to that bookmark. The image's alternative text (``descr`` in Word) is the figure's ``fig-alt``.

Word shows SVG only from Office 2016 on and wants a raster fallback: an SVG figure is replaced by
the PNG beside it (the compute step writes both); without one pandoc converts the SVG with
rsvg-convert, and when it cannot the render stops naming the image.

``format: docx:`` options read: ``toc``, ``toc-depth``, ``reference-doc`` and ``template``
(relative to the project root). Pandoc dates the package from ``SOURCE_DATE_EPOCH``, so two
renders are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
from importlib import resources
from pathlib import Path

from impactreport.errors import RenderError
from impactreport.publishing.render.crossref import caption_inlines, figure_parts
from impactreport.publishing.render.document import Document
from impactreport.publishing.render.pandoc_ast import Node, plain, text, walk, write_file
from impactreport.publishing.render.tables import with_column_widths
from impactreport.publishing.render.visitor import FloatVisitor

_UNCONVERTED = re.compile(r"Could not convert image (?P<src>.+?): ")

log = logging.getLogger(__name__)


def render_docx(document: Document, out_path: Path, timestamp: dt.datetime) -> Path:
    """Write ``document`` as a Word file to ``out_path``, dated ``timestamp``."""
    options = document.options("docx")
    visitor = _Visitor(document)
    blocks = walk(document.ast["blocks"], visitor)
    ast = dict(document.ast, blocks=blocks, meta=document.pandoc_meta("docx"))
    args = [
        f"--template={document.template('docx', _template())}",
        f"--resource-path={document.doc_dir}",
        *document.writer_filters(),
    ]
    if options.get("toc"):
        args += ["--toc", f"--toc-depth={int(options.get('toc-depth', 3))}"]
    reference = options.get("reference-doc")
    if reference:
        path = document.root / str(reference).lstrip("/")
        if not path.is_file():
            raise RenderError(f"format: docx: reference-doc: {reference} not found")
        args.append(f"--reference-doc={path}")
    env = {"SOURCE_DATE_EPOCH": str(int(timestamp.timestamp()))}
    # written beside the target, then moved: a failed render leaves no half-written file
    with tempfile.TemporaryDirectory(prefix=".docx-", dir=out_path.parent) as folder:
        partial = Path(folder) / out_path.name
        warnings = write_file(ast, "docx", partial, args, env)
        _check_images(warnings, visitor.svgs)
        os.replace(partial, out_path)
    return out_path


class _Visitor(FloatVisitor):
    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self.svgs: dict[str, str] = {}  # SVG given to pandoc as is -> where its figure is

    def figure(self, node: Node) -> Node:
        parts = figure_parts(node, self.document.locate)
        found = self.document.floats[parts.id]
        attrs = [["width", parts.width]] if parts.width else []
        image = {
            "t": "Image",
            "c": [["", [], attrs], [text(parts.alt)], [self.image_src(parts.src, parts.id), ""]],
        }
        caption = [None, [plain(self.caption(found, parts.caption))]]
        return {"t": "Figure", "c": [[parts.id, [], []], caption, [plain([image])]]}

    def table(self, node: Node) -> Node:
        attr, caption, *rest = with_column_widths(node)["c"]
        if not attr[0]:
            return {"t": "Table", "c": [attr, caption, *rest]}
        found = self.document.floats[attr[0]]
        titled = [None, [plain(self.caption(found, caption_inlines(caption)))]]
        return {"t": "Table", "c": [[found.id, [], []], titled, *rest]}

    def image_src(self, src: str, figure_id: str) -> str:
        """The image for Word, relative to the document's folder: the PNG beside an SVG if any."""
        path = self.document.image_file(src)
        if path.suffix.lower() == ".svg":
            png = path.with_suffix(".png")
            if png.is_file():
                return Path(os.path.relpath(png, self.document.doc_dir.resolve())).as_posix()
        relative = self.document.image_src(src)
        if path.suffix.lower() == ".svg":
            where = f"{self.document.locate('#' + figure_id)}: figure #{figure_id}"
            self.svgs.setdefault(relative, where)  # the first figure showing it
        return relative


def _check_images(warnings: str, svgs: dict[str, str]) -> None:
    """Stop on an SVG pandoc could not rasterise (Word would show nothing in older versions)."""
    for line in warnings.splitlines():
        match = _UNCONVERTED.search(line)
        if match and match["src"] in svgs:
            src = match["src"]
            raise RenderError(
                f"{svgs[src]}: the Word edition needs a PNG of {src}: put"
                f" {Path(src).with_suffix('.png').as_posix()} beside it (the compute step writes"
                " one at 300 dpi), or install rsvg-convert so pandoc can convert the SVG"
            )
        if line.strip():
            log.warning("pandoc (docx): %s", line.strip())


def _template() -> Path:
    return Path(
        str(resources.files("impactreport.publishing.render") / "templates" / "docx.openxml")
    )
