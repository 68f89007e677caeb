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
import html
import logging
import os
import re
import tempfile
import zipfile
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
        _for_print(partial, _running_title(options), _plain(options.get("draft")))
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


# A4 with the PDF's margins (twentieths of a point); the header (a draft's label) and footer
# parts the section points to
_SECTION = (
    '<w:sectPr>{header}<w:footerReference w:type="default" r:id="rIdRunningFooter" />'
    '<w:pgSz w:w="11906" w:h="16838" />'
    '<w:pgMar w:top="1417" w:right="1247" w:bottom="1701" w:left="1247" w:header="709"'
    ' w:footer="709" w:gutter="0" /></w:sectPr>'
)
_HEADER_REFERENCE = '<w:headerReference w:type="default" r:id="rIdDraftHeader" />'
_FOOTER_PART = "word/footer1.xml"
_HEADER_PART = "word/header1.xml"
_PART_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEADING = re.compile(
    r'<w:p><w:pPr><w:pStyle w:val="Heading(?P<level>\d)" />.*?</w:pPr>(?P<runs>.*?)</w:p>'
)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>(?P<text>[^<]*)</w:t>")
_TOC_FIELD = re.compile(
    r'(?P<begin><w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true" />'
    r'<w:instrText xml:space="preserve">TOC \\o &quot;1-(?P<depth>\d)&quot;[^<]*</w:instrText>'
    r'<w:fldChar w:fldCharType="separate" />)(?P<end><w:fldChar w:fldCharType="end" /></w:r></w:p>)'
)


def _running_title(options: dict) -> str:
    """'<name> <short legal form> | <short title>', as the PDF's footer."""
    parts = [str(options.get(k) or "") for k in ("organisation", "short-title")]
    title = parts[1] or str(options.get("title") or "")
    return _plain(" | ".join(p for p in (parts[0], title) if p))


def _plain(value: object) -> str:
    """A metadata string (markdown, escaped) as the text it shows."""
    return str(value or "").replace("\\", "")


_CHAPTER = '<w:pStyle w:val="Heading1" />'


def _for_print(path: Path, running_title: str, draft: str = "") -> None:
    """What pandoc's docx lacks for reviewers: A4, a page break before each chapter, a footer
    with the running title and the page number (a PAGE field), a draft's label in the header of every page, a table of contents
    filled in already (its entries, no page numbers) and refreshed by Word on opening
    (``w:updateFields``). Entries keep their order and dates, so the file stays byte-identical
    between builds."""
    with zipfile.ZipFile(path) as source:
        infos = source.infolist()
        parts = {info.filename: source.read(info) for info in infos}
    added = {_FOOTER_PART: ("footer", "rIdRunningFooter", _footer(running_title))}
    if draft:
        added[_HEADER_PART] = ("header", "rIdDraftHeader", _header(draft))
    document = parts["word/document.xml"].decode("utf-8")
    document = _TOC_FIELD.sub(lambda m: _filled_toc(m, document), document, count=1)
    # each chapter starts on a new page, as in the PDF
    document = document.replace(_CHAPTER, _CHAPTER + "<w:pageBreakBefore />")
    section = _SECTION.format(header=_HEADER_REFERENCE if draft else "")
    document = document.replace("</w:body>", section + "</w:body>", 1)
    parts["word/document.xml"] = document.encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    for name, (kind, rel_id, xml) in added.items():
        parts[name] = xml.encode("utf-8")
        target = name.removeprefix("word/")
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Type="{_R}/{kind}" Id="{rel_id}" Target="{target}" /></Relationships>',
        )
        types = types.replace(
            "</Types>",
            f'<Override PartName="/{name}" ContentType="{_PART_TYPE.format(kind=kind)}" /></Types>',
        )
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    parts["[Content_Types].xml"] = types.encode("utf-8")
    settings = parts["word/settings.xml"].decode("utf-8")
    parts["word/settings.xml"] = settings.replace(
        "</w:settings>", '<w:updateFields w:val="true" /></w:settings>'
    ).encode("utf-8")
    dated = next(i for i in infos if i.filename == "word/document.xml")
    new_infos = []
    for name in added:
        info = zipfile.ZipInfo(name, date_time=dated.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        new_infos.append(info)
    with zipfile.ZipFile(path, "w") as target:
        for info in [*infos, *new_infos]:
            target.writestr(info, parts[info.filename])


def _filled_toc(match: re.Match, document: str) -> str:
    depth = int(match["depth"])
    entries = []
    for heading in _HEADING.finditer(document):
        level = int(heading["level"])
        if level > depth:
            continue
        words = "".join(m["text"] for m in _TEXT.finditer(heading["runs"]))
        indent = 360 * (level - 1)
        entries.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC{level}" /><w:ind w:left="{indent}" /></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{words}</w:t></w:r></w:p>'
        )
    if not entries:
        return match.group(0)
    return f"{match['begin']}</w:r></w:p>{''.join(entries)}<w:p><w:r>{match['end']}"


def _footer(running_title: str) -> str:
    small = '<w:rPr><w:sz w:val="16" /></w:rPr>'
    field = "".join(
        f"<w:r>{small}{part}</w:r>"
        for part in (
            '<w:fldChar w:fldCharType="begin" />',
            '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
            '<w:fldChar w:fldCharType="separate" />',
            "<w:t>1</w:t>",
            '<w:fldChar w:fldCharType="end" />',
        )
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr>'
        '<w:tabs><w:tab w:val="right" w:pos="9412" /></w:tabs></w:pPr>'
        f'<w:r>{small}<w:t xml:space="preserve">{html.escape(running_title, quote=False)}</w:t></w:r>'
        f"<w:r>{small}<w:tab /></w:r>{field}</w:p></w:ftr>"
    )


def _header(draft: str) -> str:
    """The draft's label, in bold, at the top of every page."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:hdr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:jc w:val="center" /></w:pPr>'
        '<w:r><w:rPr><w:b /><w:color w:val="9A1B1B" /><w:sz w:val="18" /></w:rPr>'
        f'<w:t xml:space="preserve">{html.escape(draft, quote=False)}</w:t></w:r></w:p></w:hdr>'
    )


def _template() -> Path:
    return Path(
        str(resources.files("impactreport.publishing.render") / "templates" / "docx.openxml")
    )
