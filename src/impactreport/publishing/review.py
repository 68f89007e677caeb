"""The narrative is the year's text: find what ties it to a year, and what is still to review.

A sentence is year-bound when it names a year (``2024``), a date (``14 november``) or makes a
claim that depends on figures (a record, a rise, a fall; the words are each edition's
``review: claims:`` in ``words.yml``). ``new-year`` wraps each such sentence in a bracketed span
``[…]{.review}``, which pandoc and Quarto both read as a plain span; the analyst removes the
brackets once the sentence is right for the new year. A final edition refuses while one is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from impactreport import config
from impactreport.analysis import editions
from impactreport.config import load_config
from impactreport.errors import DraftError
from impactreport.paths import Project

MARK = "review"
PENDING = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\{\.review\}")
YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]\d)")
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
DATE = re.compile(rf"\b\d{{1,2}}(?:er)? (?:{MONTHS})\b(?! (?:19|20)\d{{2}})", re.IGNORECASE)
# a sentence ends at . ! ? followed by a space and a capital, a quote or a shortcode
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÀ-Ý«“\"{\[])")
VAR = re.compile(r"\{\{<\s*var\s+(?P<id>[^\s>]+)\s*>\}\}")
PROSE = re.compile(r"^(?P<lead>\s*(?:[-*+]|\d+\.)\s+|)(?P<text>\S.*)$")


@dataclass(frozen=True)
class Passage:
    file: Path
    line: int
    text: str
    reason: str  # why it needs review

    def where(self, root: Path) -> str:
        return f"{self.file.relative_to(root)}:{self.line}"


def narrative_year(project: Project, year: int) -> int:
    """The first year a narrative for ``year`` must not take for granted: the year before, or
    the year the project is configured for (``impactreport: year:``) when that is earlier, since
    the narrative was written for it."""
    configured = load_config(project.root, []).get("impactreport", {}).get("year")
    return min(year - 1, configured) if isinstance(configured, int) else year - 1


def section_files(project: Project, lang: str) -> list[Path]:
    return sorted((project.sections / lang).glob("*.qmd"))


def claim_words(project: Project, lang: str) -> dict[str, str]:
    """Each claim word of the edition and its kind: ``record``, ``rise`` or ``fall``."""
    claims = editions.load(project, lang).words.get("review", {}).get("claims", {})
    return {word.lower(): kind for kind, words in claims.items() for word in words}


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s]


def is_prose(line: str) -> bool:
    """Paragraph and list lines: not headings, figures, tables, captions or includes."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("#", "![", "|", ": ", "{{< include", "---"))


def year_bound(sentence: str, claims: dict[str, str], since: int) -> str | None:
    """Why a sentence is tied to the year ``since`` or a later one, or None.

    Earlier years are history that stays true (a royal decree of 2019); a date without its
    year, a claim about figures, or the year itself must be read again each year."""
    if PENDING.search(sentence):
        return None  # already marked
    plain = VAR.sub(" ", sentence)
    for match in YEAR.finditer(plain):
        if int(match[0]) >= since:
            return f"names the year {match[0]}"
    if match := DATE.search(plain):
        return f"names the date {match[0]}"
    lowered = plain.lower()
    for word in claims:
        if word in lowered:
            return f"claims {word!r}"
    return None


def prose_sentences(project: Project, lang: str) -> list[tuple[Path, int, str]]:
    """Every sentence of the edition's narrative with its file and line."""
    found = []
    for path in section_files(project, lang):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if is_prose(line):
                found.extend((path, number, sentence) for sentence in sentences(line))
    return found


def year_bound_passages(project: Project, lang: str, since: int) -> list[Passage]:
    """Unmarked sentences naming ``since`` or a later year, or a date without its year."""
    found = []
    for path, number, sentence in prose_sentences(project, lang):
        reason = year_bound(sentence, {}, since)
        if reason:
            found.append(Passage(path, number, sentence, reason))
    return found


def claim_passages(project: Project, lang: str) -> list[Passage]:
    """Sentences, marked or not, that claim a record, a rise or a fall."""
    claims = claim_words(project, lang)
    found = []
    for path, number, sentence in prose_sentences(project, lang):
        words = [w for w in claims if w in sentence.lower()]
        if words:
            found.append(Passage(path, number, sentence, f"claims {words[0]!r}"))
    return found


def pending(project: Project, langs: list[str] | None = None) -> list[Passage]:
    """Passages still marked ``{.review}`` in the narrative of the given editions."""
    return [
        passage
        for lang in langs or config.languages(project)
        for passage in pending_in(project.sections / lang)
    ]


def pending_in(sections: Path) -> list[Passage]:
    """Passages still marked ``{.review}`` in one edition's section files: while there is one,
    the report is in preparation (its Table 1 says so for the condition it is the evidence of)."""
    found = []
    for path in sorted(sections.glob("*.qmd")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found.extend(
                Passage(path, number, m["text"], "marked for review")
                for m in PENDING.finditer(line)
            )
    return found


def mark(text: str, claims: dict[str, str], since: int) -> tuple[str, int]:
    """The section text with each year-bound sentence wrapped in ``[…]{.review}``; how many."""
    count = 0
    lines = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        match = PROSE.match(body)
        if not is_prose(body) or match is None:
            lines.append(line)
            continue
        parts = re.split(f"({SENTENCE_END.pattern})", match["text"])
        marked = []
        for part in parts:
            # a span opening on @fig-… would read as a bracketed citation: left to `check`
            bound = part and not part.startswith("@") and year_bound(part, claims, since)
            if bound:
                marked.append(f"[{part}]{{.{MARK}}}")
                count += 1
            else:
                marked.append(part)
        lines.append(match["lead"] + "".join(marked) + line[len(body) :])
    return "".join(lines), count


def before_build(project: Project, langs: list[str], *, final: bool) -> list[Passage]:
    """The passages a draft still carries; a final edition refuses while there is one."""
    left = pending(project, langs)
    if final and left:
        raise DraftError(
            f"a final edition needs a reviewed narrative: {len(left)} passage(s) still marked "
            f"{{.{MARK}}}, first {left[0].where(project.root)}: {left[0].text!r}; review each and "
            "remove its brackets (`impactreport check` lists them)"
        )
    return left
