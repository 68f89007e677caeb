"""The Quarto subset both render paths support: find every construct outside it, with file and line.

Checked here, in the source text, are the constructs an author is most likely to reach for (code
cells, raw blocks, other shortcodes, fenced divs and callouts, math, citations, raw HTML, shortcodes
in front matter, misplaced includes). Whatever else slips through is refused later by the AST
transform (``ast_check``), which knows exactly which pandoc elements the subset produces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from impactreport.errors import RenderError
from impactreport.publishing.render.filters import GENERATED_LINE
from impactreport.publishing.render.includes import display_path, expand_includes, include_target
from impactreport.publishing.render.pandoc_ast import Node, nodes, stringify

SUBSET_DOC = "docs/quarto-subset.md"
ALLOWED_SHORTCODES = {"include", "var", "meta"}
# what the templates read; ``filters`` only to name the edition guard, which Quarto runs on a
# document rendered alone (outside the project, where the project's filters do not run)
FRONT_MATTER_KEYS = ("title", "short-title", "subtitle", "filters")
EDITION_GUARD = "[{path: filters/edition.lua, at: pre-ast}]"
# options one renderer would honour and the other ignore, with what to do instead
REFUSED_OPTIONS = {
    "number-sections": "the built-in renderer does not number headings; write numbers in the headings",
}
BLOCK_SHORTCODES = {"include", "generated"}  # alone on their line

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
_DIV = re.compile(r"^ {0,3}:{3,}\s*(?P<attrs>\S.*)$")
# ``{{{< x >}}}`` is an escaped, literal shortcode; ``{{< x >}}`` a real one.
_ESCAPED_SHORTCODE = re.compile(r"\{\{\{<.*?>\}\}\}")
_SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[^\s>]+).*?>\}\}")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:[^\s>]*>|<[^\s@<>]+@[^\s@<>]+>")
_ATTRIBUTES = re.compile(r'\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\}')
# pandoc's tex_math_dollars: no space inside the delimiters, no digit right after the closing one
_MATH = re.compile(
    r"(?<![\\$])\$\$.+?\$\$|(?<![\\$])\$(?=[^\s$])(?:\\.|[^$\\])+?(?<=[^\s\\])\$(?!\d)"
)
_CITATION = re.compile(r"(?<![\w@\\])-?@(?P<key>[A-Za-z0-9_][\w:.#$%&+?~/-]*)")
_CROSSREF_KEY = re.compile(r"^(?:[Ff]ig|[Tt]bl)-")
_HTML = re.compile(r"(?<!\\)<(?:!--|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]))")


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    construct: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.construct}: {self.message} (see {SUBSET_DOC})"


def check_editions(root: Path, languages: list[str]) -> list[Violation]:
    """What each edition is rendered from, outside the subset: its documents with their
    includes, and the project's config files. The one check of ``check``, Quarto's pre-render
    step and the built-in renderer."""
    from impactreport.config import load_config

    found: list[Violation] = []
    for lang in languages:
        for name in load_config(root, [lang]).get("project", {}).get("render", []):
            document = root / name
            if document.is_file():
                found.extend(check_subset(document, root=root))
    configs = [root / "_quarto.yml", *(root / f"_quarto-{lang}.yml" for lang in languages)]
    found.extend(v for path in configs if path.is_file() for v in scan_config(path, root))
    return list(dict.fromkeys(found))


def scan_config(path: Path, root: Path) -> Iterator[Violation]:
    """Options of a ``_quarto*.yml`` that the two renderers would not honour alike."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        key = line.split("#", 1)[0].strip().split(":", 1)[0]
        if key in REFUSED_OPTIONS:
            yield Violation(display_path(path, root), number, key, REFUSED_OPTIONS[key])


def report(violations: list[Violation]) -> str:
    """One line per problem, for an error message."""
    return f"{len(violations)} construct(s) outside the Quarto subset:\n" + "\n".join(
        str(v) for v in violations
    )


def check_subset(source: str | Path, *, root: Path | None = None) -> list[Violation]:
    """Violations in a document: a ``Path`` (includes are followed) or markdown text (a ``str``).

    ``root`` is the project root for ``/`` includes; by default the nearest folder up holding
    ``_quarto.yml``, else the document's folder.
    """
    if isinstance(source, str):
        return list(scan_text(source, "<text>", top_level=True))
    root = root or _project_root(source)
    return scan_files(expand_includes(source, root).files, root)


def scan_files(files: list[Path], root: Path) -> list[Violation]:
    """Violations in each file of a document, the top-level document first."""
    return [
        violation
        for index, path in enumerate(dict.fromkeys(files))
        for violation in scan_text(
            path.read_text(encoding="utf-8"), display_path(path, root), top_level=index == 0
        )
    ]


def scan_text(text: str, name: str, *, top_level: bool) -> Iterator[Violation]:
    """Violations in one source file; ``top_level`` is whether front matter is allowed there."""
    lines = text.splitlines()
    start = yield from _front_matter(lines, name, top_level)
    fence: str | None = None
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if fence is not None:
            if re.match(rf"^ {{0,3}}{re.escape(fence)}[{fence[0]}]*\s*$", line):
                fence = None
            continue
        if match := _FENCE.match(line):
            fence = match["fence"]
            yield _code_block(name, number, match["info"].strip())
            continue
        if match := _DIV.match(line):
            yield _div(name, number, match["attrs"])
            continue
        if include_target(line) is not None or GENERATED_LINE.match(line):
            yield from _include_placement(lines, number, name)
            continue
        yield from _inline(line, name, number)


def _front_matter(lines: list[str], name: str, top_level: bool) -> Iterator[Violation]:
    """Check the front matter; the generator returns the number of lines it takes."""
    if not lines or lines[0].rstrip() != "---" or len(lines) < 2 or not lines[1].strip():
        return 0
    end = next(
        (i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), len(lines) - 1
    )
    if not top_level:
        yield Violation(
            name, 1, "front matter", "YAML front matter is only read from the top-level document"
        )
    yield from _front_matter_keys(lines[1:end], name)
    for number in range(2, end + 1):
        for match in _SHORTCODE.finditer(_ESCAPED_SHORTCODE.sub("", lines[number - 1])):
            yield Violation(
                name,
                number,
                "shortcode in front matter",
                f"{match[0]}: metadata is not expanded; put the value in the config instead",
            )
    return end + 1


def _front_matter_keys(lines: list[str], name: str) -> Iterator[Violation]:
    """Top-level keys: those the templates read, and the edition guard as the only filter."""
    for number, line in enumerate(lines, 2):
        key = re.match(r"^([^\s#:][^:]*):(.*)$", line)
        if key is None:
            continue
        if key[1] in REFUSED_OPTIONS:
            yield Violation(name, number, key[1], REFUSED_OPTIONS[key[1]])
        elif key[1] == "filters" and key[2].strip() != EDITION_GUARD:
            yield Violation(name, number, "filters", f"write filters: {EDITION_GUARD} only")
        elif key[1] not in FRONT_MATTER_KEYS:
            allowed = ", ".join(FRONT_MATTER_KEYS)
            yield Violation(
                name,
                number,
                "front matter key",
                f"{key[1]}: the front matter holds {allowed}; other options go in _quarto.yml",
            )


def _code_block(name: str, number: int, info: str) -> Violation:
    if info.startswith("{="):
        return Violation(name, number, "raw block", f"raw output block ```{info}``` is not allowed")
    if info.startswith("{"):
        return Violation(
            name,
            number,
            "code cell",
            f"executable code cell ```{info}```: compute in a notebook, include its output",
        )
    return Violation(name, number, "code block", "code blocks are not part of the report subset")


def _div(name: str, number: int, attrs: str) -> Violation:
    if "callout" in attrs:
        return Violation(
            name,
            number,
            "callout",
            f"callout ::: {attrs}: the built-in renderer has no callouts; write a paragraph",
        )
    return Violation(name, number, "fenced div", f"fenced div ::: {attrs} is not allowed")


def _include_placement(lines: list[str], number: int, name: str) -> Iterator[Violation]:
    before = lines[number - 2] if number > 1 else ""
    after = lines[number] if number < len(lines) else ""
    if before.strip() or after.strip():
        shortcode = "include" if include_target(lines[number - 1]) is not None else "generated"
        yield Violation(
            name, number, shortcode, f"a {shortcode} must have a blank line before and after it"
        )


def _inline(line: str, name: str, number: int) -> Iterator[Violation]:
    line = _ESCAPED_SHORTCODE.sub("", line)
    for match in _SHORTCODE.finditer(line):
        if match["name"] in BLOCK_SHORTCODES:
            yield Violation(name, number, match["name"], f"{match[0]} must stand alone on its line")
        elif match["name"] not in ALLOWED_SHORTCODES:
            yield Violation(name, number, "shortcode", f"unsupported shortcode {match[0]}")
    # what is left is prose: link targets, autolinks and attribute values are not
    text = _SHORTCODE.sub(" ", line)
    text = _ATTRIBUTES.sub(" ", _AUTOLINK.sub(" ", _LINK_TARGET.sub("]", text)))
    for match in _MATH.finditer(text):
        yield Violation(name, number, "math", f"math {match[0]} is not allowed")
    text = _MATH.sub(" ", text)
    for match in _CITATION.finditer(text):
        key = match["key"].rstrip(".,;:!?")
        bracketed = match[0].startswith("-") or text[match.start() - 1 : match.start()] == "["
        if key.lower().startswith("sec-") and not bracketed:
            yield Violation(
                name,
                number,
                "section reference",
                f"{match[0]}: the built-in renderer numbers no sections; name the chapter in words",
            )
        elif not _CROSSREF_KEY.match(key) or bracketed:
            yield Violation(
                name, number, "citation", f"{match[0]}: only bare @fig-… and @tbl-… are allowed"
            )
    for match in _HTML.finditer(text):
        yield Violation(name, number, "html", f"raw HTML {match[0]}… is not allowed")


def _project_root(document: Path) -> Path:
    for folder in document.resolve().parents:
        if (folder / "_quarto.yml").is_file() or (folder / "_quarto.yaml").is_file():
            return folder
    return document.resolve().parent


# Pandoc elements outside the subset, by AST tag, with the name an author knows them by.
_UNSUPPORTED_ELEMENTS = {
    "CodeBlock": "code block",
    "Code": "inline code",
    "RawBlock": "raw block",
    "RawInline": "raw inline",
    "Div": "fenced div",
    "Span": "bracketed span",
    "Math": "math",
    "LineBlock": "line block",
    "DefinitionList": "definition list",
    "HorizontalRule": "horizontal rule",
    "Strikeout": "strikeout",
    "Superscript": "superscript",
    "Subscript": "subscript",
    "SmallCaps": "small caps",
    "Underline": "underline",
}
MAX_HEADING_LEVEL = 4
REVIEW_CLASS = "review"
# what prepare writes around each indicator value (prepare.traced)
INDICATOR_CLASS = "indicator"
INDICATOR_ATTRIBUTES = ("data-id", "data-origin", "tabindex")


def check_ast(blocks: list[Node], locate: Callable[[str], str]) -> None:
    """Refuse any pandoc element the subset does not produce (what the text scan cannot see)."""
    in_figures = {id(n) for f in nodes(blocks) if f["t"] == "Figure" for n in nodes(f["c"][2])}
    for node in nodes(blocks):
        problem = _ast_problem(node, id(node) in in_figures)
        if problem:
            snippet = stringify(node)[:40] or node["t"]
            raise RenderError(f"{locate(snippet)}: {problem} is not supported: {snippet!r}")


def _ast_problem(node: Node, in_figure: bool) -> str | None:
    if node["t"] == "Header":
        level, (_, classes, pairs), _ = node["c"]
        if level > MAX_HEADING_LEVEL:
            return f"heading level {level} (at most {MAX_HEADING_LEVEL})"
        if set(classes) - {"unnumbered"} or pairs:
            return "heading attribute other than {#id} and {.unnumbered}"
    if node["t"] == "Image" and not in_figure:
        return "image outside a figure (an image must stand alone, with caption and #fig- id)"
    if node["t"] == "Span" and node["c"][0] == ["", [REVIEW_CLASS], []]:
        return None  # a passage marked for review by `new-year`
    if node["t"] == "Span" and _is_indicator(node["c"][0]):
        return None  # an indicator value from _variables.yml, with its id and origin
    if node["t"] == "Cite" and not _is_crossref(node):
        return "citation (only @fig-… and @tbl-… cross-references)"
    return _UNSUPPORTED_ELEMENTS.get(node["t"])


def _is_indicator(attr: list) -> bool:
    identifier, classes, pairs = attr
    return (
        not identifier
        and classes == [INDICATOR_CLASS]
        and {k for k, _ in pairs} == set(INDICATOR_ATTRIBUTES)
    )


def _is_crossref(cite: Node) -> bool:
    return all(_CROSSREF_KEY.match(c["citationId"]) for c in cite["c"][0])
