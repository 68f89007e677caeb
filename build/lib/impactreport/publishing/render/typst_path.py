"""The PDF output: Typst source from pandoc with the project's template partials, compiled by typst.

Floats follow Quarto's Typst renderer (customnodes/floatreftarget.lua, layout/typst.lua)::

    #figure(image("/img/x.svg", alt: "…", width: 90%),
      caption: figure.caption(position: bottom, [Caption]),
      kind: "quarto-float-fig", supplement: "Figuur")<fig-x>

Quarto (since 1.9) writes the same ``image(alt: …)`` from ``fig-alt``. The figure is emitted as
raw Typst around the caption inlines (which pandoc still escapes); alt, path and words are
escaped here.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from impactreport.errors import RenderError
from impactreport.publishing.render.crossref import Float, Reference, caption_inlines, figure_parts
from impactreport.publishing.render.document import Document
from impactreport.publishing.render.pandoc_ast import (
    Node,
    nodes,
    para,
    raw_block,
    raw_inline,
    walk,
    write,
)
from impactreport.publishing.render.tables import with_column_widths
from impactreport.publishing.render.visitor import FloatVisitor

PARTIALS = ("typst-template.typ", "typst-show.typ")


def typst_source(document: Document) -> str:
    """The Typst source of ``document``: pandoc output through the project's template partials."""
    options = document.options("typst")
    blocks = walk(_shift_headings(document.ast["blocks"]), _Visitor(document))
    ast = dict(document.ast, blocks=blocks, meta=document.pandoc_meta("typst"))
    args = ["--standalone", "--wrap=none", *document.writer_filters()]
    if options.get("toc"):
        args += ["--toc", f"--toc-depth={int(options.get('toc-depth', 3))}"]
    with tempfile.TemporaryDirectory(prefix="impactreport-typst-") as folder:
        template = _template_folder(document, options, Path(folder))
        return write(ast, "typst", [*args, f"--template={template}"])


def render_pdf(document: Document, out_path: Path, timestamp: dt.datetime) -> Path:
    """Compile ``document`` to a PDF at ``out_path``; the project folder is Typst's root."""
    source = typst_source(document)
    try:
        pdf, warnings = typst.compile_with_warnings(
            source.encode("utf-8"),
            root=str(document.root),
            # the same fonts on every machine: typst's embedded ones and the project's
            # (`font-paths`, which Quarto passes to typst too)
            ignore_system_fonts=True,
            font_paths=[str(folder) for folder in font_paths(document)],
            pdf_standards=_pdf_standards(document.options("typst")),
            timestamp=timestamp,
            format="pdf",
        )
    except typst.TypstError as exc:
        detail = " ".join(f"{exc.message} {' '.join(exc.hints)}".split())
        raise RenderError(f"{document.stem}.typ: typst failed: {detail}") from exc
    except ValueError as exc:  # e.g. an unknown pdf-standard
        raise RenderError(f"format: typst: {' '.join(str(exc).split())}") from exc
    # a missing font silently falls back to another one: the publication would not look as designed
    fonts = [w.message for w in warnings if "font" in w.message]
    if fonts:
        raise RenderError(f"{document.stem}.typ: {fonts[0]}: set `mainfont` to a font typst embeds")
    out_path.write_bytes(pdf)
    return out_path


def font_paths(document: Document) -> list[Path]:
    """``format: typst: font-paths``: folders relative to the document, as Quarto reads them."""
    value = document.options("typst").get("font-paths") or []
    folders = [document.doc_dir / str(v) for v in (value if isinstance(value, list) else [value])]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        raise RenderError(f"format: typst: font-paths: {missing[0]} is not a folder")
    return folders


def typst_string(value: str) -> str:
    """``value`` as a Typst string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def typst_markup(value: str) -> str:
    """``value`` as literal Typst markup: every symbol escaped with a backslash."""
    return "".join(f"\\{c}" if not (c.isalnum() or c.isspace()) else c for c in value)


class _Visitor(FloatVisitor):
    def reference(self, found: Reference) -> Node:
        return raw_inline(
            "typst", f"#ref(<{found.float.id}>, supplement: [{typst_markup(found.word)}])"
        )

    def figure(self, node: Node) -> Node:
        parts = figure_parts(node, self.document.locate)
        found = self.document.floats[parts.id]
        path = "/" + self.document.image_file(parts.src).relative_to(self.document.root).as_posix()
        width = f", width: {parts.width}" if parts.width else ""
        image = f"image({typst_string(path)}, alt: {typst_string(parts.alt)}{width})"
        return para(
            [
                raw_inline(
                    "typst", f"#figure({image}, caption: figure.caption(position: bottom, ["
                ),
                *parts.caption,
                raw_inline("typst", self.float_close(found)),
            ]
        )

    def table(self, node: Node) -> Node | list[Node]:
        attr, caption, *rest = with_column_widths(node)["c"]
        if not attr[0]:
            return {"t": "Table", "c": [attr, caption, *rest]}
        found = self.document.floats[attr[0]]
        return [
            raw_block("typst", "#figure(["),
            {"t": "Table", "c": [["", [], []], [None, []], *rest]},
            para(
                [
                    raw_inline("typst", "], caption: figure.caption(position: top, ["),
                    *caption_inlines(caption),
                    raw_inline("typst", self.float_close(found)),
                ]
            ),
        ]

    def float_close(self, found: Float) -> str:
        word = typst_string(self.document.words.title(found.kind))
        return f']), kind: "quarto-float-{found.kind}", supplement: {word})<{found.id}>'


def _shift_headings(blocks: list[Node]) -> list[Node]:
    """Quarto's Typst rule: with no level-1 heading, every heading moves up one level."""
    if any(n["t"] == "Header" and n["c"][0] == 1 for n in nodes(blocks)):
        return blocks

    def shift(node: Node) -> Node | None:
        if node["t"] != "Header":
            return None
        level, attr, inlines = node["c"]
        return {"t": "Header", "c": [level - 1, attr, inlines]}

    return walk(blocks, shift)


def _template_folder(document: Document, options: dict[str, Any], folder: Path) -> Path:
    """A pandoc template folder: our main template and definitions, the project's partials."""
    packaged = resources.files("impactreport.publishing.render") / "templates" / "typst"
    for name in ("template.typ", "definitions.typ"):
        (folder / name).write_text((packaged / name).read_text(encoding="utf-8"), encoding="utf-8")
    partials = {Path(str(p)).name: p for p in options.get("template-partials") or []}
    for name in PARTIALS:
        if name not in partials:
            raise RenderError(
                f"format: typst: template-partials must list {name} (the project's Typst template)"
            )
        source = document.doc_dir / str(partials[name])
        if not source.is_file():
            raise RenderError(f"format: typst: template-partials: {partials[name]} not found")
        shutil.copyfile(source, folder / name)
    return folder / "template.typ"


def _pdf_standards(options: dict[str, Any]) -> list[str]:
    """``format: typst: pdf-standard`` (one name or a list), as typst names them (``ua-1``)."""
    value = options.get("pdf-standard") or []
    return [str(v) for v in (value if isinstance(value, list) else [value])]
