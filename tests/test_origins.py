"""The origins annex and each number's origin: kinds and origins in the edition's words, each
declared figure's source as its input records it, never a source written elsewhere."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from conftest import ROOT
from impactreport.analysis import editions
from impactreport.paths import Project
from impactreport.publishing import origins

STEMS = {"nl": "report", "fr": "rapport"}


@pytest.fixture(params=sorted(STEMS))
def edition(request) -> editions.Edition:
    return editions.load(Project(ROOT), request.param)


def test_the_2024_facts_name_the_report_they_were_transcribed_from() -> None:
    """Every 2024 fact was copied from the 2024 special report: its source says so, and names
    the part of the report that gives it; the year's descriptor declares the transcription."""
    facts = pd.read_csv(ROOT / "data" / "2024" / "facts.csv", dtype=str)
    assert set(facts["source_type"]) == {"document"}
    parts = facts["source"].str.extract(r"^Bijzonder verslag 2024, “(?P<part>[^”]+)”$")["part"]
    assert parts.notna().all(), list(facts.loc[parts.isna(), "source"])
    package = (ROOT / "data" / "2024" / "datapackage.json").read_text(encoding="utf-8")
    assert '"kind": "transcription", "document": "SmartCoop, Bijzonder verslag' in package


def test_a_declared_source_is_shown_as_written_with_its_kind_in_the_editions_words() -> None:
    dutch, french = (editions.load(Project(ROOT), lang) for lang in ("nl", "fr"))
    source = "document: Bijzonder verslag 2024, “Delen van de middelen en de risico’s”"
    # the words as recorded; the quotation marks the edition's (French « … »)
    for edition, (left, right) in ((dutch, "“”"), (french, ("«\u202f", "\u202f»"))):
        assert origins.source_text("payments.reminders", source, 2024, edition) == (
            f"Bijzonder verslag 2024, {left}Delen van de middelen en de risico’s{right} (document)"
        )
    assert origins.source_text("energy.schools", "system: Installatieregister", 2024, dutch) == (
        "Installatieregister (intern systeem)"
    )
    computed = "records: contracts.parquet, persons.parquet"
    assert origins.source_text("wages.tension_overall", computed, 2024, dutch) == (
        "berekend uit contracts.parquet, persons.parquet"
    )
    derived = "derived: loans.amount_total, loans.amount_year"
    assert origins.source_text("loans.amount_before", derived, 2024, french) == (
        "calculé à partir de loans.amount_total, loans.amount_year"
    )


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
    # each declared figure's source as its input records it, and no other
    shown_plain = " ".join(shown.split())
    edition = editions.load(built_2024, lang)  # its quotation marks around a quoted part
    notes = [origins.quoted(note, edition) for note in facts["source"]]
    assert [note for note in notes if " ".join(note.split()) not in shown_plain] == []
    for invented in ("Jaarrekening", "Comptes annuels", "Ticketsysteem", "gebruiksverslag"):
        assert invented not in shown, invented
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
    # computed from synthetic records: the annex says so rather than "the year's records"
    assert origins.shown_source("workforce.persons", computed, 2024, dutch, synthetic=True) == (
        "berekend uit de synthetische loongegevens van het boekjaar"
    )
    derived = "derived: loans.amount_total, loans.amount_year"
    assert origins.shown_source("loans.amount_before", derived, 2024, french) == (
        "calculé à partir d’autres chiffres de ce tableau"
    )
    made = "synthetic: python -m synthetic_payroll --year 2024 --out data/2024"
    assert (
        origins.shown_origin(made, dutch)
        == "berekend uit synthetische loongegevens, ter illustratie"
    )
    assert origins.shown_origin("transcription: Jaarverslag", french) == "repris de Jaarverslag"


def test_every_figure_of_the_annex_has_a_label_in_each_edition(edition) -> None:
    indicators = pd.read_csv(ROOT / "data" / "reference" / "indicators.csv")
    missing = sorted(set(indicators["id"]) - set(edition.words["origins"]["labels"]))
    assert missing == []


def _reconciled_lineage(tmp_path):
    from impactreport.analysis import lineage
    from impactreport.inputs.descriptor import Descriptor, Resource

    facts_path = tmp_path / "facts.csv"
    resources = (
        Resource("facts", facts_path, "transcription", "Bijzonder verslag 2024", "", None),
        Resource("persons", tmp_path / "persons.parquet", "synthetic", "generator", "", None),
        Resource("contracts", tmp_path / "contracts.parquet", "synthetic", "generator", "", None),
    )
    table = pd.DataFrame(
        [
            (
                "workforce.persons",
                2024,
                20892.0,
                "count",
                "",
                "records: contracts.parquet, persons.parquet",
            ),
            ("workforce.fte", 2024, 2284.0, "fte", "", "records: contracts.parquet"),
        ],
        columns=["id", "year", "value", "unit", "qualifier", "source"],
    )
    facts = pd.DataFrame(
        [("workforce.persons", "20892", "count", "", "document", "Bijzonder verslag 2024, “p”")],
        columns=["id", "value", "unit", "qualifier", "source_type", "source"],
    )
    return lineage.annotate(table, facts, facts_path, Descriptor(tmp_path, resources, None))


def test_a_computed_value_equal_to_a_declared_fact_carries_the_facts_lineage(tmp_path) -> None:
    """Persons computed from synthetic records, declared (transcribed) too: the value rests on
    the transcription and says the records confirmed it; it is not called synthetic. A value
    with no declared fact stays synthetic."""
    annotated = _reconciled_lineage(tmp_path).set_index("id")
    persons, fte = annotated.loc["workforce.persons"], annotated.loc["workforce.fte"]
    assert persons["source"] == "document: Bijzonder verslag 2024, “p”"
    assert persons["origin"] == (
        "transcription: Bijzonder verslag 2024; "
        "reconciled-synthetic: contracts.parquet, persons.parquet"
    )
    assert persons["synthetic"] == "" and persons["files"] == "facts.csv"
    assert fte["synthetic"] == "yes" and fte["source"] == "records: contracts.parquet"
    dutch = editions.load(Project(ROOT), "nl")
    assert origins.origin_text(persons["origin"], dutch) == (
        "overgenomen uit Bijzonder verslag 2024; in overeenstemming met de berekening uit de "
        "synthetische bestanden contracts.parquet, persons.parquet"
    )


def test_the_colophon_says_where_the_figures_come_from_by_their_lineage(tmp_path) -> None:
    from impactreport.publishing.prepare import lineage_sentence

    annotated = _reconciled_lineage(tmp_path)
    dutch, french = (editions.load(Project(ROOT), lang) for lang in ("nl", "fr"))
    assert lineage_sentence(annotated, dutch) == (
        "Herkomst van de cijfers van dit verslag: overgenomen uit Bijzonder verslag 2024, "
        # the records that confirmed them are synthetic: the sentence says so
        "waarvan enkele cijfers ook overeenstemmen met een berekening uit de synthetische "
        "loongegevens; "
        "berekend uit synthetische loongegevens, die in deze ontwerpversie de echte "
        "loongegevens vervangen."
    )
    assert lineage_sentence(annotated, french).startswith(
        "Origine des chiffres de ce rapport : repris de Bijzonder verslag 2024, dont"
    )
    # a year whose figures all rest on one transcription says only that
    transcribed = annotated[annotated["id"] == "workforce.persons"].assign(
        origin="transcription: Jaarverslag"
    )
    assert lineage_sentence(transcribed, dutch) == (
        "Herkomst van de cijfers van dit verslag: overgenomen uit Jaarverslag."
    )


def test_the_annex_says_once_what_a_declared_source_is() -> None:
    """The source column shows each declared figure's note as recorded, not its kind on every
    row; the annex's text says once what that column holds."""
    dutch, french = (editions.load(Project(ROOT), lang) for lang in ("nl", "fr"))
    source = "document: Bijzonder verslag 2024, “Delen van de middelen en de risico’s”"
    assert origins.shown_source("payments.reminders", source, 2024, dutch) == (
        "Bijzonder verslag 2024, “Delen van de middelen en de risico’s”"
    )
    shown = origins.shown_source("payments.reminders", source, 2024, french)
    assert "(document)" not in shown and shown.startswith("Bijzonder verslag 2024, «")
    assert "kolom “Bron”" in dutch.words["origins"]["table_text"]
    assert "colonne" in french.words["origins"]["table_text"]


def test_an_origin_partly_confirmed_is_said_once() -> None:
    dutch = editions.load(Project(ROOT), "nl")
    words = dutch.words["origins"]
    shown = ["overgenomen uit Verslag", "synthetische gegevens", "overgenomen uit Verslag; noot"]
    assert origins.merged(shown, words) == [
        "overgenomen uit Verslag; enkele cijfers zijn ook noot",
        "synthetische gegevens",
    ]
    # an origin never given without its note stays as it is
    assert origins.merged(["overgenomen uit Verslag; noot"], words) == [
        "overgenomen uit Verslag; noot"
    ]


def test_an_edition_names_a_source_by_the_title_declared_in_its_language() -> None:
    """The French edition names the 2024 report by the French title its datapackage declares
    (``origin: titles: fr``), never by a translation made in code; the Dutch one as declared."""
    import json

    from impactreport.inputs import descriptor
    from impactreport.publishing import prepare, provenance

    declared = descriptor.load(ROOT / "data" / "2024")
    titles = provenance.document_titles(declared)
    package = json.loads((ROOT / "data" / "2024" / "datapackage.json").read_text("utf-8"))
    facts = next(r for r in package["resources"] if r["name"] == "facts")["origin"]
    assert titles == {facts["document"]: {"fr": facts["titles"]["fr"]}}
    table = pd.DataFrame(
        {
            "id": ["a.b", "c.d"],
            "origin": [
                f"transcription: {facts['document']}; reconciled-synthetic: pay.parquet",
                "synthetic: python -m synthetic_payroll",
            ],
        }
    )
    french = prepare.titled(table, titles, "fr")
    assert list(french["origin"]) == [
        f"transcription: {facts['titles']['fr']}; reconciled-synthetic: pay.parquet",
        "synthetic: python -m synthetic_payroll",
    ]
    assert "version néerlandaise" in french["origin"][0]
    assert prepare.titled(table, titles, "nl").equals(table)


def test_the_colophon_identifies_the_company_in_a_sentence() -> None:
    from impactreport.publishing.prepare import identity_sentence

    dutch, french = (editions.load(Project(ROOT), lang) for lang in ("nl", "fr"))
    organisation = {
        "name": "Zonnedak",
        "identification": {
            "legal_form": {"nl": "coöperatieve vennootschap", "fr": "société coopérative"},
            "registered_office": "Gent",
            "enterprise_number": "",
            "register": {"nl": "", "fr": ""},
        },
    }
    assert identity_sentence(organisation, dutch) == (
        "Dit verslag gaat uit van Zonnedak, coöperatieve vennootschap, met zetel te Gent. "
        "Het ondernemingsnummer en het rechtspersonenregister moeten nog worden ingevuld."
    )
    organisation["identification"]["enterprise_number"] = "0123.456.789"
    organisation["identification"]["register"] = {"nl": "RPR Gent", "fr": "RPM Gand"}
    assert identity_sentence(organisation, french) == (
        "Le présent rapport émane de Zonnedak, société coopérative, dont le siège est établi à "
        "Gent, numéro d’entreprise 0123.456.789, RPM Gand."
    )
    assert ":" not in identity_sentence(organisation, dutch)
