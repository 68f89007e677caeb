"""The origins annex and each number's origin speak the edition's language: sources and origins
named with the edition's words, not with the English notes of the indicators table."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from conftest import ROOT
from impactreport.analysis import editions
from impactreport.errors import ConfigError
from impactreport.paths import Project
from impactreport.publishing import origins

STEMS = {"nl": "report", "fr": "rapport"}


@pytest.fixture(params=sorted(STEMS))
def edition(request) -> editions.Edition:
    return editions.load(Project(ROOT), request.param)


def test_every_declared_figure_has_its_source_in_each_edition(edition) -> None:
    facts = pd.read_csv(ROOT / "data" / "2024" / "facts.csv")
    # the payroll facts are only checked against the figures computed from the records
    declared = facts[~facts["id"].str.startswith("workforce.")]
    missing = sorted(set(declared["id"]) - set(edition.words["origins"]["sources"]))
    assert missing == []


def test_sources_are_named_in_the_editions_words() -> None:
    dutch, french = (editions.load(Project(ROOT), lang) for lang in ("nl", "fr"))
    source = "document: Annual accounts 2024: turnover of the shared enterprise"
    assert origins.source_text("activity.revenue", source, 2031, dutch) == (
        "Jaarrekening 2031: omzet van de gedeelde onderneming (document)"
    )
    assert origins.source_text("activity.revenue", source, 2031, french) == (
        "Comptes annuels 2031\u202f: chiffre d’affaires de l’entreprise partagée (document)"
    )
    computed = "records: contracts.parquet, persons.parquet"
    assert origins.source_text("workforce.persons", computed, 2024, dutch) == (
        "berekend uit contracts.parquet, persons.parquet"
    )
    derived = "derived: loans.amount_total, loans.amount_year"
    assert origins.source_text("loans.amount_before", derived, 2024, french) == (
        "calculé à partir de loans.amount_total, loans.amount_year"
    )


def test_a_declared_figure_without_a_source_in_the_words_stops_the_build(edition) -> None:
    with pytest.raises(ConfigError, match=rf"sections/{edition.lang}/words.yml.*activity.new_fact"):
        origins.source_text("activity.new_fact", "system: CRM", 2024, edition)


def test_origins_are_named_in_the_editions_words() -> None:
    dutch, french = (editions.load(Project(ROOT), lang) for lang in ("nl", "fr"))
    origin = "synthetic: python -m synthetic_payroll; export: Payroll, 2025-01-15"
    assert origins.origin_text(origin, dutch) == (
        "synthetisch, gemaakt met python -m synthetic_payroll; export uit Payroll, 2025-01-15"
    )
    assert origins.origin_text("transcription: Jaarverslag", french) == "repris de Jaarverslag"
    assert origins.origin_text("definition (this project)", dutch) == "definitie van dit project"
    assert origins.origin_text("undeclared", french) == "origine non déclarée"
    assert origins.origin_text("", french) == ""


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(STEMS))
def test_the_annex_shows_no_english_note(built_2024: Project, lang) -> None:
    page = (built_2024.output / "2024" / lang / f"{STEMS[lang]}.html").read_text(encoding="utf-8")
    shown = html.unescape(re.sub(r"<[^>]+>", " ", page))
    facts = pd.read_csv(built_2024.year_data(2024) / "facts.csv")
    english = [note for note in facts["source"] if note in shown]
    assert english == []
    for word in ("transcription:", "synthetic:", "records:", "derived:", "system:", "document:"):
        assert word not in shown, word
    # prose, not database output: the document named, no command, no file name, no id
    assert "(PDF)" in shown
    for word in ("python -m", "facts.csv", "contracts.parquet", "workforce.persons"):
        assert word not in shown.split("tbl-origins")[-1].split("Colofon")[0], word


def test_the_annex_names_computed_figures_and_synthetic_data_in_prose() -> None:
    dutch, french = (editions.load(Project(ROOT), lang) for lang in ("nl", "fr"))
    computed = "records: contracts.parquet, persons.parquet"
    assert origins.shown_source("workforce.persons", computed, 2024, dutch) == (
        "berekend uit de detailgegevens van het boekjaar"
    )
    derived = "derived: loans.amount_total, loans.amount_year"
    assert origins.shown_source("loans.amount_before", derived, 2024, french) == (
        "calculé à partir d’autres chiffres de ce tableau"
    )
    made = "synthetic: python -m synthetic_payroll --year 2024 --out data/2024"
    assert origins.shown_origin(made, dutch) == "synthetische gegevens, ter illustratie"
    assert origins.shown_origin("transcription: Jaarverslag", french) == "repris de Jaarverslag"


def test_every_figure_of_the_annex_has_a_label_in_each_edition(edition) -> None:
    indicators = pd.read_csv(ROOT / "data" / "reference" / "indicators.csv")
    missing = sorted(set(indicators["id"]) - set(edition.words["origins"]["labels"]))
    assert missing == []


def test_without_sources_in_the_words_the_notes_of_the_facts_are_shown() -> None:
    """A project whose notes are in its edition's language names no sources in its words."""
    words = editions.load(Project(ROOT), "nl").words
    plain = editions.Edition("nl", {**words, "origins": {**words["origins"], "sources": {}}})
    shown = origins.source_text("energy.schools", "system: Installatieregister", 2024, plain)
    assert shown == "Installatieregister (intern systeem)"
