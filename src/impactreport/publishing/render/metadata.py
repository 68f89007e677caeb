"""Document metadata: project config, ``metadata-files`` and front matter, merged as Quarto does.

Front matter wins over metadata files, which win over the project config (``_quarto.yml`` plus the
active profile). Per-format options are the top-level keys overridden by ``format: <name>:``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from impactreport import yamlfile
from impactreport.config import merge, read_yaml
from impactreport.errors import RenderError
from impactreport.publishing.render.includes import SourceLine, display_path

# Quarto's bundled words (src/resources/language/_language*.yml) for the languages we publish in.
BUNDLED_WORDS = {
    "en": {
        "crossref-fig-title": "Figure",
        "crossref-tbl-title": "Table",
        "toc-title-document": "Table of contents",
    },
    "nl": {
        "crossref-fig-title": "Figuur",
        "crossref-tbl-title": "Tabel",
        "toc-title-document": "Inhoudsopgave",
    },
    "fr": {
        "crossref-fig-title": "Figure",
        "crossref-tbl-title": "Table",
        "toc-title-document": "Table des matières",
    },
}
# Keys that configure the renderer rather than fill the templates.
_NOT_TEMPLATE_VARIABLES = {
    "project",
    "format",
    "profile",
    "metadata-files",
    "filters",
    "quarto-required",
    "language",
    "css",
    "embed-resources",
    "template-partials",
    "pdf-standard",
    "font-paths",
    "reference-doc",
    "template",
    "minimal",
    "section-divs",
    "toc",
    "toc-depth",
}


@dataclass(frozen=True)
class Words:
    """The localised words of floats and the table of contents.

    Captions use the title ("Tableau 1 : …"), references the prefix ("le tableau 1"); Quarto's
    ``crossref-tbl-prefix`` defaults to ``crossref-tbl-title``. ``delim`` follows the number in a
    caption (``crossref: title-delim:``, ``:`` by default)."""

    fig: str
    tbl: str
    toc: str
    fig_prefix: str = ""
    tbl_prefix: str = ""
    delim: str = ":"

    def title(self, kind: str, *, capitalise: bool = False) -> str:
        word = self.fig if kind == "fig" else self.tbl
        return word[:1].upper() + word[1:] if capitalise else word

    def prefix(self, kind: str, *, capitalise: bool = False) -> str:
        word = (self.fig_prefix if kind == "fig" else self.tbl_prefix) or self.title(kind)
        return word[:1].upper() + word[1:] if capitalise else word


def split_front_matter(
    lines: list[SourceLine], root: Path
) -> tuple[dict[str, Any], list[SourceLine]]:
    """The YAML front matter of the top document and the lines after it."""
    if len(lines) < 2 or lines[0].text.rstrip() != "---" or not lines[1].text.strip():
        return {}, lines
    for end in range(1, len(lines)):
        if lines[end].text.rstrip() in ("---", "..."):
            break
    else:
        raise RenderError(f"{display_path(lines[0].file, root)}:1: front matter is never closed")
    text = "\n".join(line.text for line in lines[1:end])
    try:
        data = yamlfile.parse(text) or {}
    except yaml.YAMLError as exc:
        where = display_path(lines[0].file, root)
        raise RenderError(f"{where}: invalid front matter: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict):
        raise RenderError(f"{display_path(lines[0].file, root)}:1: front matter is not a mapping")
    return data, lines[end + 1 :]


def document_metadata(
    config: dict[str, Any], front_matter: dict[str, Any], root: Path
) -> dict[str, Any]:
    """Project config < metadata files < front matter (front matter wins)."""
    base = {key: value for key, value in config.items() if key != "project"}
    files = merge(base.get("metadata-files"), front_matter.get("metadata-files")) or []
    for name in files:
        path = root / str(name).lstrip("/")
        if not path.is_file():
            raise RenderError(f"metadata-files: {name} not found in {root}")
        base = merge(base, read_yaml(path))
    metadata = merge(base, front_matter)
    _reject_shortcodes(metadata)
    return metadata


def format_options(metadata: dict[str, Any], name: str) -> dict[str, Any]:
    """The metadata as seen by format ``name`` (``html``, ``typst``): ``format: name:`` wins."""
    formats = metadata.get("format")
    specific = formats.get(name) if isinstance(formats, dict) else None
    top = {key: value for key, value in metadata.items() if key != "format"}
    return merge(top, specific) if isinstance(specific, dict) else top


def template_variables(options: dict[str, Any], words: Words) -> dict[str, Any]:
    """What the pandoc templates get as metadata: everything except the renderer's own settings."""
    variables = {k: v for k, v in options.items() if k not in _NOT_TEMPLATE_VARIABLES}
    variables.setdefault("toc-title", words.toc)
    return variables


def words_for(options: dict[str, Any], root: Path) -> Words:
    """Quarto's lookup: English, then the language's bundled words, then the ``language:`` key."""
    tag = str(options.get("lang") or "en")
    base_lang = tag.split("-")[0]
    words = dict(BUNDLED_WORDS["en"])
    words.update(BUNDLED_WORDS.get(base_lang, {}))
    language = options.get("language") or {}
    if isinstance(language, str):  # a path to a language file
        language = read_yaml(root / language)
    words.update({k: v for k, v in language.items() if not isinstance(v, dict)})
    for sub in (base_lang, tag):
        if isinstance(language.get(sub), dict):
            words.update(language[sub])
    toc = options.get("toc-title") or words["toc-title-document"]
    crossref = options.get("crossref") or {}
    return Words(
        str(words["crossref-fig-title"]),
        str(words["crossref-tbl-title"]),
        str(toc),
        fig_prefix=str(words.get("crossref-fig-prefix", "")),
        tbl_prefix=str(words.get("crossref-tbl-prefix", "")),
        delim=str(crossref.get("title-delim", ":")),
    )


def _reject_shortcodes(value: Any, path: str = "") -> None:
    """Metadata is never expanded, so a shortcode there would show up verbatim."""
    for key, item in _items(value, path):
        if isinstance(item, str) and "{{<" in item:
            raise RenderError(f"metadata {key}: shortcodes are not expanded in metadata: {item!r}")
        _reject_shortcodes(item, key)


def _items(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        yield from ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        yield from ((f"{path}.{i}", v) for i, v in enumerate(value, start=1))
