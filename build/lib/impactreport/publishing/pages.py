"""Look at a PDF as a reader does: every page as a PNG, and text that runs past the margins."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

# typst lets punctuation and hyphens hang a little into the margin (overhang); more is overflow
TOLERANCE_PT = 6.0


@dataclass(frozen=True)
class Overflow:
    page: int
    text: str
    beyond_pt: float

    def __str__(self) -> str:
        return f"page {self.page}: {self.text!r} runs {self.beyond_pt:.1f} pt past the margin"


def write_pngs(pdf: Path, folder: Path, *, dpi: int = 110) -> list[Path]:
    """Every page as ``page-01.png``, ... in ``folder`` (replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    document = pdfium.PdfDocument(pdf)
    written = []
    for number, page in enumerate(document, start=1):
        path = folder / f"page-{number:02d}.png"
        page.render(scale=dpi / 72).to_pil().save(path, optimize=True)
        written.append(path)
    document.close()
    return written


def overflows(pdf: Path, margin_pt: float) -> list[Overflow]:
    """Characters outside the text area (page minus ``margin_pt`` left and right)."""
    document = pdfium.PdfDocument(pdf)
    found = []
    for number, page in enumerate(document, start=1):
        width = page.get_width()
        text = page.get_textpage()
        for index in range(text.count_chars()):
            left, _, right, _ = text.get_charbox(index)
            beyond = max(margin_pt - left, right - (width - margin_pt))
            if beyond > TOLERANCE_PT:
                snippet = text.get_text_range(max(0, index - 15), 30)
                found.append(Overflow(number, snippet.strip(), beyond))
                break  # one per page is enough to point at it
    document.close()
    return found
