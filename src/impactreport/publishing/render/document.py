"""One source document, read and checked once, then written by each output path.

Order, as in Quarto: includes are pasted first, the subset is checked, var/meta shortcodes are
expanded, pandoc parses the markdown, and figures/tables are numbered in document order.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from impactreport import yamlfile
from impactreport.config import read_yaml
from impactreport.errors import RenderError
from impactreport.publishing.render import parts
from impactreport.publishing.render.crossref import Float, index_floats, resolve
from impactreport.publishing.render.filters import lua_filters
from impactreport.publishing.render.includes import (
    Expansion,
    SourceLine,
    display_path,
    expand_includes,
)
from impactreport.publishing.render.metadata import (
    Words,
    document_metadata,
    format_options,
    split_front_matter,
    template_variables,
    words_for,
)
from impactreport.publishing.render.pandoc_ast import nodes, read_markdown
from impactreport.publishing.render.shortcodes import expand_shortcodes
from impactreport.publishing.render.subset import check_ast, report, scan_config, scan_files


@dataclass(frozen=True)
class Document:
    root: Path
    path: Path
    expansion: Expansion
    metadata: dict[str, Any]
    ast: dict[str, Any]
    floats: dict[str, Float]
    words: Words

    @property
    def doc_dir(self) -> Path:
        return self.path.parent

    @property
    def stem(self) -> str:
        return self.path.stem

    def options(self, format_name: str) -> dict[str, Any]:
        return format_options(self.metadata, format_name)

    def pandoc_meta(self, format_name: str) -> dict[str, Any]:
        """The template variables of ``format_name`` as pandoc metadata (strings are markdown)."""
        variables = template_variables(self.options(format_name), self.words)
        front = yamlfile.dump(variables, allow_unicode=True, sort_keys=True)
        return json.loads(_metadata(front))

    def template(self, format_name: str, packaged: Path) -> Path:
        """``format: <name>: template:`` (relative to the project root, as Quarto reads it), else
        ``packaged``."""
        name = self.options(format_name).get("template")
        if not name:
            return packaged
        path = self.root / str(name).lstrip("/")
        if not path.is_file():
            raise RenderError(f"format: {format_name}: template: {name} not found")
        return path

    def writer_filters(self) -> list[str]:
        """The pandoc arguments that run the ``post-render`` Lua filters before a writer."""
        return [f"--lua-filter={f}" for f in lua_filters(self.metadata, self.root, "post-render")]

    def locate(self, needle: str) -> str:
        return self.expansion.locate(needle)

    def image_file(self, src: str) -> Path:
        """The file ``src`` names: ``/x`` in the project root, else in the document's folder."""
        where = self.locate(src)
        if "://" in src:
            raise RenderError(f"{where}: remote image {src}: keep images in the project")
        path = (self.root / src.lstrip("/")) if src.startswith("/") else (self.doc_dir / src)
        path = path.resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise RenderError(f"{where}: image {src} lies outside the project folder")
        if not path.is_file():
            raise RenderError(f"{where}: image not found: {src}")
        return path

    def image_src(self, src: str) -> str:
        """``src`` relative to the document's folder (how HTML and pandoc find it)."""
        return Path(os.path.relpath(self.image_file(src), self.doc_dir.resolve())).as_posix()

    @functools.cached_property
    def _images(self) -> list[str]:
        return [n["c"][2][0] for n in nodes(self.ast["blocks"]) if n["t"] == "Image"]

    def image_paths(self) -> list[str]:
        """Every image, relative to the document's folder."""
        return [self.image_src(src) for src in self._images]


def read_document(
    root: Path, path: Path, config: dict[str, Any], *, by_parts: bool = False
) -> Document:
    """Read, check and parse ``path`` (a document in the project at ``root``); ``by_parts``
    (the preview): each file's part parsed once per content, where that reads the same
    (``parts``)."""
    root = root.resolve()
    if not path.is_file():
        raise RenderError(f"{display_path(path, root)}: document not found")
    expansion = expand_includes(path, root)
    _check_sources(expansion, root)
    front_matter, body = split_front_matter(expansion.lines, root)
    metadata = document_metadata(config, front_matter, root)
    variables = _variables(root)
    texts = [expand_shortcodes(run, variables, metadata, root) for run in _by_file(body)]
    filters = lua_filters(config, root, "pre-ast")
    ast = parts.read(texts, filters, root) if by_parts else None
    if ast is None:
        ast = read_markdown("".join(texts), filters, cwd=root)
    locate = expansion.locate
    check_ast(ast["blocks"], locate)
    floats = index_floats(ast["blocks"], locate)
    words = words_for(metadata, root)
    for cite in (n for n in nodes(ast["blocks"]) if n["t"] == "Cite"):
        resolve(cite, floats, words, locate)  # fail before writing anything
    document = Document(root, path.resolve(), expansion, metadata, ast, floats, words)
    document.image_paths()  # likewise for a missing image
    return document


@functools.lru_cache(maxsize=16)
def _metadata(front: str) -> str:
    """Pandoc's metadata for a front matter, as JSON: the same for every render of an edition."""
    return json.dumps(read_markdown(f"---\n{front}---\n")["meta"])


def _by_file(lines: list[SourceLine]) -> list[list[SourceLine]]:
    """The lines in runs, each from one file (a chapter, the top document between includes)."""
    runs: list[list[SourceLine]] = []
    for line in lines:
        if runs and runs[-1][-1].file == line.file:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _check_sources(expansion: Expansion, root: Path) -> None:
    """The same check as ``check`` and Quarto's pre-render step (``subset.check_editions``)."""
    configs = sorted(root.glob("_quarto*.yml"))
    violations = [
        *scan_files(expansion.files, root),
        *(v for path in configs for v in scan_config(path, root)),
    ]
    if violations:
        raise RenderError(report(violations))


def _variables(root: Path) -> dict[str, Any]:
    """``_variables.yml`` at the project root (Quarto reads no other)."""
    for name in ("_variables.yml", "_variables.yaml"):
        if (root / name).is_file():
            return read_yaml(root / name)
    return {}
