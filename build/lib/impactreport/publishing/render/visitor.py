"""The walk every output shares: figures, tables and cross-references go to the output's writer."""

from __future__ import annotations

from impactreport.publishing.render.crossref import Float, Reference, resolve
from impactreport.publishing.render.document import Document
from impactreport.publishing.render.pandoc_ast import Node, link, text

NBSP = "\u00a0"


class FloatVisitor:
    """Subclasses say how their format writes a figure, a table and (if not a link) a reference."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def __call__(self, node: Node) -> Node | list[Node] | None:
        if node["t"] == "Figure":
            return self.figure(node)
        if node["t"] == "Table":
            return self.table(node)
        if node["t"] == "Cite":
            found = resolve(node, self.document.floats, self.document.words, self.document.locate)
            return self.reference(found)
        return None

    def figure(self, node: Node) -> Node | list[Node]:
        raise NotImplementedError

    def table(self, node: Node) -> Node | list[Node]:
        raise NotImplementedError

    def caption(self, found: Float, inlines: list[Node]) -> list[Node]:
        """Quarto's caption in HTML and Word: title, NBSP, number, title-delim, space, text."""
        words = self.document.words
        prefix = f"{words.title(found.kind)}{NBSP}{found.number}{words.delim}"
        return [text(prefix), {"t": "Space"}, *inlines]

    def reference(self, found: Reference) -> Node:
        """Quarto's HTML and Word references: "Figuur 1" (no-break space), linked to the float."""
        label = f"{found.word}{NBSP}{found.float.number}"
        return link([text(label)], "#" + found.float.id, ["quarto-xref"])
