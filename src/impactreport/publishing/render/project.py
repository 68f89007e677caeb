"""``render_project``: a Quarto project to ``<stem>.html``, ``.pdf`` and ``.docx``, without Quarto."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from impactreport.config import active_profiles, load_config
from impactreport.errors import RenderError
from impactreport.publishing.render.document import read_document
from impactreport.publishing.render.docx_path import render_docx
from impactreport.publishing.render.html_path import render_html
from impactreport.publishing.render.typst_path import render_pdf

RenderedFiles = dict[str, Path]
"""Output format (``html``, ``pdf``, ``docx``) -> the file written."""

SUPPORTED_FORMATS = ("html", "pdf", "docx")
FORMATS = ("html", "pdf")  # the default
# The PDF and Word date when neither the caller nor SOURCE_DATE_EPOCH gives one: any fixed date
# keeps two renders byte-identical.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def render_project(
    root: Path,
    profile: str,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    *,
    timestamp: dt.datetime | None = None,
    linked: bool = False,
) -> RenderedFiles:
    """Render the document listed in ``project: render:`` for ``profile`` into ``out_dir``;
    ``linked`` (the preview's page): the HTML links its images and stylesheets, copied beside
    it (``render_html``), and the document is read part by part (``parts``)."""
    unknown = [f for f in formats if f not in SUPPORTED_FORMATS]
    if unknown:
        raise RenderError(
            f"unknown output format(s) {unknown}: choose from {list(SUPPORTED_FORMATS)}"
        )
    root = Path(root).resolve()
    config = load_config(root, active_profiles(root, [profile]))
    document = read_document(root, _input(root, config), config, by_parts=linked)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered: RenderedFiles = {}
    if "html" in formats:
        rendered["html"] = render_html(document, out_dir / f"{document.stem}.html", linked=linked)
    if "pdf" in formats:
        pdf = out_dir / f"{document.stem}.pdf"
        rendered["pdf"] = render_pdf(document, pdf, _timestamp(timestamp))
    if "docx" in formats:
        docx = out_dir / f"{document.stem}.docx"
        rendered["docx"] = render_docx(document, docx, _timestamp(timestamp))
    return rendered


def _input(root: Path, config: dict) -> Path:
    """The one document in ``project: render:`` (the built-in renderer renders one document)."""
    project = config.get("project") or {}
    inputs = project.get("render") or []
    if len(inputs) != 1:
        raise RenderError(
            f"_quarto.yml: project: render: must list exactly one document, not {inputs}"
        )
    return root / str(inputs[0])


def _timestamp(timestamp: dt.datetime | None) -> dt.datetime:
    """The caller's timestamp, else SOURCE_DATE_EPOCH, else a fixed date (always timezone-aware)."""
    if timestamp is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if not epoch:
            return FIXED_TIMESTAMP
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except ValueError as exc:
            raise RenderError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from exc
    return timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=dt.UTC)
