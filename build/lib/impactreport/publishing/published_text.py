"""The text a reader sees in a published HTML edition, one block (paragraph, item, cell) at a time.

Read from the published file itself, so the text is the same whichever renderer made it, with every
``var`` already substituted.
"""

from __future__ import annotations

from html.parser import HTMLParser

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "caption"}
SKIPPED = {"nav", "script", "style", "head"}  # the contents list repeats the headings


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.open: list[list[str]] = []  # text of the blocks being read, innermost last
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.open.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS and self.open:
            text = " ".join("".join(self.open.pop()).split())
            if text and not self.skipping:
                self.blocks.append(text)

    def handle_data(self, data: str) -> None:
        if self.open and not self.skipping:
            self.open[-1].append(data)


def blocks(html: str) -> list[str]:
    """The text blocks of an HTML page in reading order, whitespace (no-break spaces too) folded."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks
