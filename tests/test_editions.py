"""Dutch and French editions state the same figures, each in its own language and formatting."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pypdf import PdfReader

from edition_text import read_html
from impactreport.analysis import editions, formatting, indicators
from impactreport.paths import Project
from test_publication import UNRESOLVED, normalise

FILES = {"nl": "report", "fr": "rapport"}
# Function words: a sentence with more of the other language's than its own is in the wrong language.
STOPWORDS = {
    "nl": {
        "het",
        "een",
        "van",
        "is",
        "zijn",
        "werd",
        "werden",
        "voor",
        "met",
        "die",
        "dat",
        "op",
        "aan",
        "ook",
        "naar",
        "bij",
    },
    "fr": {
        "le",
        "la",
        "les",
        "des",
        "du",
        "un",
        "une",
        "et",
        "est",
        "sont",
        "pour",
        "avec",
        "qui",
        "que",
        "sur",
        "au",
        "aux",
        "par",
        "dans",
    },
}


def texts(project: Project, lang: str) -> dict[str, str]:
    folder = project.output / "2024" / lang
    html = normalise(" ".join(read_html(folder / f"{FILES[lang]}.html").parts))
    pdf = normalise(
        " ".join(p.extract_text() for p in PdfReader(folder / f"{FILES[lang]}.pdf").pages)
    )
    return {"html": html, "pdf": pdf}


@pytest.fixture(scope="module")
def both(built_2024: Project) -> dict[str, dict[str, str]]:
    return {lang: texts(built_2024, lang) for lang in FILES}


@pytest.mark.slow
@pytest.mark.parametrize("lang", FILES)
@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_each_indicator_in_each_edition(built_2024: Project, both, lang: str, fmt: str) -> None:
    text = both[lang][fmt]
    style = editions.load(built_2024, lang).style
    table = indicators.read(built_2024.year_build(2024) / "compute" / "indicators.csv")
    missing = []
    for row in table.itertuples():
        forms = {normalise(formatting.phrase(row.value, row.unit, row.qualifier, style))}
        if row.unit in ("count", "days", "years") and row.value < 100:
            forms.add(formatting.words(row.value, row.qualifier, style))
        if not any(form in text for form in forms):
            missing.append(row.id)
    assert missing == []
    assert UNRESOLVED.findall(text) == []


@pytest.mark.slow
def test_french_formatting_and_words(both) -> None:
    text = both["fr"]["pdf"]
    for figure in [
        "20 892",
        "1 946,5",
        "5,98",
        "236 510 euros",
        "près de 198 millions d'euros",
        "Tableau 1",
        "Figure 1",
    ]:
        assert figure in text
    assert "Figuur" not in text and "Tabel " not in text


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]


QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"")  # names and titles quoted in their own language


def language_votes(sentence: str) -> dict[str, int]:
    words = re.findall(r"[a-zà-ÿ]+", QUOTED.sub(" ", sentence).lower())
    return {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "other"), [("nl", "fr"), ("fr", "nl")])
def test_no_sentence_of_the_other_language(
    built_2024: Project, both, lang: str, other: str
) -> None:
    titles = pd.read_csv(built_2024.year_data(2024) / "publications.csv")["title"]
    quoted = [normalise(t) for t in titles]  # publication titles are French in every edition
    wrong = []
    for sentence in sentences(both[lang]["html"]):
        if any(title[:30] in sentence for title in quoted):
            continue
        votes = language_votes(sentence)
        if votes[other] > votes[lang] and votes[other] >= 3:
            wrong.append(sentence)
    assert wrong == []


def test_language_detector_can_fail() -> None:
    dutch = "De coöperatie werd in 2022 opgericht en is een sociale onderneming voor de leden."
    french = "La coopérative est une entreprise sociale pour les membres et les associés du groupe."
    assert language_votes(dutch)["nl"] > language_votes(dutch)["fr"]
    assert language_votes(french)["fr"] > language_votes(french)["nl"]
