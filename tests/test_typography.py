"""Typography and terminology of both editions, in their sources and as built: typographic
apostrophes (’s, l’) and quotation marks (“…” in Dutch, « … » in French), no capitalised
cross-reference in mid-sentence, and none of the forms each edition's glossary
(sections/<lang>/glossary.yml) sets aside. A project made with `impactreport init` gets the
general part of both glossaries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import edition_text
from conftest import ROOT
from impactreport.commands.init import init
from impactreport.paths import Project

LANGS = ("nl", "fr")
SKELETON = ROOT / "src" / "impactreport" / "skeleton" / "languages"
# what is not prose: shortcodes, link targets, addresses, inline code, the {#id} of a heading
NOT_PROSE = re.compile(r"\{\{<.*?>\}\}|\]\([^)]*\)|https?://\S+|`[^`]*`|\{#[^}]*\}")
STRAIGHT = re.compile(r"\w'\w|'(?=s\b)")
TURNED = re.compile(r"‘s\b")
# a straight double quote, alone or as a pair
STRAIGHT_QUOTES = re.compile(r'"(?:[^"\n]{0,200}")?')
# the other language's quotation marks
FOREIGN_QUOTES = {
    "nl": (re.compile(r"«[^»\n]{0,200}»|[«»]"), "“…”"),
    "fr": (re.compile(r"“[^”\n]{0,200}”|[“”]"), "« … »"),
}
# "Tabel 1" after a word or a comma: running text, where the reference is lowercase; a caption
# ("Tabel 1: …", "Tableau 1 : …") is left out
MID_SENTENCE = re.compile(
    r"(?<=[a-zà-ÿ,;)]) +(Tabel|Figuur|Tableau|Figure)[ \u00a0]\d+(?![ \u00a0\u202f]?:)"
)
# a capitalised @Tbl-/@Fig- reference after a word: written for the start of a sentence
SOURCE_MID_SENTENCE = re.compile(r"(?<=[a-zà-ÿ,;]) +@(Tbl|Fig)-")
# a lowercase @tbl-/@fig- reference opening a sentence (Dutch: it would print "tabel 1. …")
SOURCE_SENTENCE_START = re.compile(r"(?:^|[.!?] +)@(tbl|fig)-", re.MULTILINE)


def glossary(lang: str, root: Path = ROOT) -> list[tuple[re.Pattern, str]]:
    data = yaml.safe_load((root / "sections" / lang / "glossary.yml").read_text(encoding="utf-8"))
    return [(re.compile(item["form"]), item["use"]) for item in data["avoid"]]


def problems(text: str, lang: str, root: Path = ROOT) -> list[str]:
    """Each offence as 'what: …context…', for a text as a reader sees it."""
    prose = " ".join(NOT_PROSE.sub(" ", text).split())
    found = []

    def note(what: str, match: re.Match) -> None:
        start = max(0, match.start() - 30)
        found.append(f"{what}: …{prose[start : match.end() + 20]}…")

    for match in STRAIGHT.finditer(prose):
        note("straight apostrophe, write ’", match)
    for match in TURNED.finditer(prose):
        note("‘s, write ’s", match)
    for match in STRAIGHT_QUOTES.finditer(prose):
        note(f"straight quotes, write {FOREIGN_QUOTES[lang][1]}", match)
    foreign, right = FOREIGN_QUOTES[lang]
    for match in foreign.finditer(prose):
        note(f"quotation marks of the other language, write {right}", match)
    for match in MID_SENTENCE.finditer(prose):
        note("capitalised reference in running text", match)
    for pattern, use in glossary(lang, root):
        for match in pattern.finditer(prose):
            note(f"glossary: write {use}", match)
    return found


def source_problems(text: str) -> list[str]:
    found = [f"@{m.group(1)}- mid-sentence" for m in SOURCE_MID_SENTENCE.finditer(text)]
    found += [f"@{m.group(1)}- opens a sentence" for m in SOURCE_SENTENCE_START.finditer(text)]
    return found


def strings(value) -> list[str]:
    """Every text of a words.yml, keys left out."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def sources(lang: str) -> dict[str, str]:
    """The edition's narrative and words, and the skeleton's for a new cooperative."""
    found = {}
    for folder in (ROOT / "sections" / lang, SKELETON / lang / "sections" / lang):
        for path in sorted(folder.glob("*.qmd")):
            found[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
        words = yaml.safe_load((folder / "words.yml").read_text(encoding="utf-8"))
        # review claims match the text: the same apostrophes, checked with the rest
        found[str((folder / "words.yml").relative_to(ROOT))] = "\n".join(strings(words))
    main = {"nl": "report.qmd", "fr": "rapport.qmd"}[lang]
    found[main] = (ROOT / main).read_text(encoding="utf-8")
    return found


@pytest.mark.parametrize(
    ("lang", "text", "what"),
    [
        ("fr", "l'agrément", "straight apostrophe"),
        ("nl", "in uiteenlopende vormen (‘s ochtends)", "‘s"),
        ("nl", "In Tabel 1 staan de voorwaarden", "capitalised reference"),
        ("fr", "les conditions, voir Tableau 1 ci-dessous", "capitalised reference"),
        ("nl", "Maatschappelijke zetel nog in te vullen", "Zetel"),
        ("nl", "elke persoon heeft een stem", "één stem"),
        ("nl", "een contract van onbepaalde duur", "arbeidsovereenkomst"),
        ("fr", "un impact social positif", "sociétal"),
        ("fr", "à l’article 1 des statuts", "article 1er"),
        ("nl", 'het woord "bijeenkomst"', "straight quotes"),
        ("fr", 'le mot "rassemblement"', "straight quotes"),
        ("nl", "een Waals woord voor «bijeenkomst»", "other language"),
        ("fr", "un mot wallon qui signifie “rassemblement”", "other language"),
    ],
)
def test_each_offence_is_found(lang, text, what) -> None:
    found = problems(text, lang)
    assert len(found) == 1 and what in found[0], found


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nl", "’s ochtends; de collega’s; zie tabel 1. Tabel 1: De negen voorwaarden"),
        ("nl", "Figuur 2 toont het; één persoon, één stem; de stem laten horen"),
        ("fr", "l’agrément ; le tableau 1 les résume. Tableau 1 : Les neuf conditions"),
        ("fr", "[l’article](https://kronik.smart.coop/l'article/) ; article 1er ; § 1er"),
        ("nl", 'een Waals woord voor “bijeenkomst”; [link](https://x.be/?q="a")'),
        ("fr", "un mot wallon qui signifie « rassemblement »"),
    ],
)
def test_what_is_right_passes(lang, text) -> None:
    assert problems(text, lang) == []


def test_references_in_the_sources_are_checked() -> None:
    assert source_problems("zoals @Tbl-conditions toont") == ["@Tbl- mid-sentence"]
    assert source_problems("naast de vorige jaren. @fig-loans zet") == ["@fig- opens a sentence"]
    assert source_problems("In @tbl-conditions staan ze. @Fig-loans zet") == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_sources_are_typeset_and_use_the_glossary(lang) -> None:
    found = {
        name: problems(text, lang) + source_problems(text) for name, text in sources(lang).items()
    }
    assert {name: offences for name, offences in found.items() if offences} == {}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_the_built_editions_are_typeset_and_use_the_glossary(built_2024: Project, lang) -> None:
    """Over every format of both editions: the generated text (cover, tables, annexes,
    colophon) as well as the chapters."""
    texts = edition_text.texts(built_2024, lang)
    assert {fmt: problems(text, lang) for fmt, text in texts.items()} == {fmt: [] for fmt in texts}


def test_every_glossary_form_is_a_valid_pattern_with_its_correction() -> None:
    for lang in LANGS:
        data = yaml.safe_load(Path(ROOT / "sections" / lang / "glossary.yml").read_text())
        assert data["terms"] and data["avoid"]
        for item in data["avoid"]:
            re.compile(item["form"])
            assert item["use"].strip(), item


def test_a_new_project_gets_the_general_part_of_each_glossary(tmp_path) -> None:
    """`impactreport init` writes a glossary per language: the legal terms and the typography,
    the same rules as this project's (which adds SmartCoop's own terms); the new project's
    narrative passes it."""
    root = init(tmp_path / "new", "Voorbeeld", LANGS, 2024).root
    for lang in LANGS:
        theirs = {pattern.pattern for pattern, _ in glossary(lang, root)}
        ours = {pattern.pattern for pattern, _ in glossary(lang)}
        assert theirs and theirs <= ours, theirs - ours
        narrative = sorted((root / "sections" / lang).glob("*.qmd"))
        assert narrative
        for path in narrative:
            assert problems(path.read_text(encoding="utf-8"), lang, root) == [], path.name
