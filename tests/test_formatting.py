"""Numbers and dates as each edition writes them (hand-checked against the published report)."""

import pytest

from impactreport.analysis import formatting
from impactreport.analysis.formatting import Style

NL = Style(
    "nl_BE",
    {"almost": "bijna", "about": "circa", "more_than": "meer dan"},
    {"EUR": "euro", "m2": "m²"},
)
FR = Style(
    "fr_BE",
    {"almost": "près de", "about": "environ", "more_than": "plus de"},
    {"EUR": "euros", "EUR.compact": "d’euros", "m2": "m²"},
)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "dutch", "french"),
    [
        (20892, "count", "", "20.892", "20 892"),
        (1946.5, "hours", "", "1.946,5", "1 946,5"),
        (5.98, "ratio", "", "5,98", "5,98"),
        (236510, "EUR", "", "236.510 euro", "236 510 euros"),
        (1001063, "EUR", "", "1.001.063 euro", "1 001 063 euros"),
        (198_000_000, "EUR", "almost", "bijna 198 miljoen euro", "près de 198 millions d’euros"),
        (6_800_000, "EUR", "about", "circa 6,8 miljoen euro", "environ 6,8 millions d’euros"),
        (300, "count", "more_than", "meer dan 300", "plus de 300"),
        (4800, "m2", "", "4.800 m²", "4 800 m²"),
    ],
)
def test_phrase(value, unit, qualifier, dutch, french):
    assert plain(formatting.phrase(value, unit, qualifier, NL)) == dutch
    assert plain(formatting.phrase(value, unit, qualifier, FR)) == french


def test_words():
    assert formatting.words(10, "", NL) == "tien"
    assert formatting.words(9, "", FR) == "neuf"
    assert formatting.words(70, "about", FR) == "environ septante"
    assert formatting.words(70, "about", NL) == "circa zeventig"


def test_about_a_round_number_reads_as_one_word():
    nl = Style("nl_BE", NL.qualifiers, NL.units, about_spelled={"zeventig": "een zeventigtal"})
    fr = Style("fr_BE", FR.qualifiers, FR.units, about_spelled={"dix": "une dizaine de"})
    assert formatting.words(70, "about", nl) == "een zeventigtal"
    assert formatting.words(10, "about", fr) == "une dizaine de"
    assert formatting.words(9, "about", fr) == "environ neuf"  # no noun for nine
    assert formatting.words(70, "", nl) == "zeventig"


def test_partial_dates():
    assert formatting.partial_date("2022-06", NL) == "juni 2022"
    assert formatting.partial_date("2023-06-20", NL) == "20 juni 2023"
    assert formatting.partial_date("2020-06", FR) == "juin 2020"
    assert formatting.partial_date("2022", NL) == "2022"


def test_signed_percent():
    assert plain(formatting.signed_percent(0.042, NL)) == "+4,2 %"
    assert plain(formatting.signed_percent(-0.1, NL)) == "\u221210,0 %"


def test_an_amount_with_cents_always_shows_two_decimals() -> None:
    from conftest import ROOT
    from impactreport.analysis.editions import load
    from impactreport.paths import Project

    for lang, expected in (("nl", "1.250,50\u00a0euro"), ("fr", "1\u202f250,50\u00a0euros")):
        style = load(Project(ROOT), lang).style
        assert formatting.phrase(1250.5, "EUR", "", style) == expected
        assert formatting.phrase(1250.0, "EUR", "", style).startswith(expected.split(",")[0])
    assert formatting.plain(198000000.0) == "198000000"
    assert formatting.plain(5.98) == "5.98"
