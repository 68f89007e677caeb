"""The board's check of the nine conditions: computed from the year's facts, stops the build when
one is not met, unless an explanation is recorded in every language, which each edition then shows
in its own."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_YEAR, built_fixture_project
from impactreport.analysis import conditions
from impactreport.cli import app
from impactreport.errors import ConditionError, DataError
from impactreport.inputs import door
from impactreport.paths import Project
from impactreport.pipeline import build, compute
from published_numbers import html_text

RULES = pd.DataFrame(
    {
        "condition": [1, 3, 7],
        "evidence": [
            "statutes",
            "governance.dividend_rate <= governance.dividend_cap",
            "governance.max_vote_share <= 10",
        ],
    }
)
DIRECTORS = pd.DataFrame(
    {
        "condition": [6],
        "evidence": ["governance.director_other_pay == 0"],
        "shown": ["governance.director_attendance_fees;governance.director_expense_allowances"],
    }
)


def facts(**values: float) -> pd.DataFrame:
    base = {
        "governance.dividend_rate": 0.0,
        "governance.dividend_cap": 6.0,
        "governance.max_vote_share": 0.4,
    }
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return pd.DataFrame({"id": list(base), "value": list(base.values())})


def test_rules_are_evaluated_from_the_facts() -> None:
    results = conditions.evaluate(RULES, facts(), {})
    assert [(r.condition, r.met) for r in results] == [(1, True), (3, True), (7, True)]
    assert (results[1].left_value, results[1].right_value) == (0.0, 6.0)
    results = conditions.evaluate(RULES, facts(governance__dividend_rate=6.5), {})
    assert [r.met for r in results] == [True, False, True]


def test_a_condition_not_met_stops_with_a_clear_message() -> None:
    results = conditions.evaluate(RULES, facts(governance__max_vote_share=12.5), {})
    with pytest.raises(ConditionError) as caught:
        conditions.check(results, 2031)
    message = str(caught.value)
    assert "accreditation condition 7 is not met in 2031" in message
    assert "governance.max_vote_share = 12.5" in message
    assert "data/2031/explanations.csv (condition,lang,explanation" in message


def test_an_explanation_lets_the_build_go_on() -> None:
    explained = {7: {"nl": "Uitzonderlijke vergadering.", "fr": "Assemblée exceptionnelle."}}
    results = conditions.evaluate(RULES, facts(governance__max_vote_share=12.5), explained)
    conditions.check(results, 2031)
    assert results[2].explanations == explained[7]


def test_each_language_has_its_column_in_the_table() -> None:
    explained = {7: {"nl": "Uitzonderlijke vergadering.", "fr": "Assemblée exceptionnelle."}}
    results = conditions.evaluate(RULES, facts(governance__max_vote_share=12.5), explained)
    table = conditions.to_frame(results).set_index("condition")
    assert table.at[7, "explanation_fr"] == "Assemblée exceptionnelle."
    assert table.at[7, "explanation_nl"] == "Uitzonderlijke vergadering."
    assert "explanations" not in table.columns


def test_a_rule_needs_all_its_facts() -> None:
    with pytest.raises(ConditionError, match="no fact 'governance.dividend_cap'"):
        conditions.evaluate(RULES, facts().iloc[[0, 2]], {})


def test_a_year_without_the_figures_gets_no_verdict_from_the_statutes() -> None:
    results = conditions.evaluate(RULES, facts().iloc[[2]], {})
    assert (results[1].evidence, results[1].met, results[1].left_value) == (
        "unevidenced",
        None,
        None,
    )
    # no verdict, and nothing to stop the build: a draft says so, a final edition refuses
    conditions.check(results, 2024)


def test_attendance_fees_are_shown_and_do_not_fail_condition_6() -> None:
    declared = pd.DataFrame(
        {
            "id": ["governance.director_other_pay", "governance.director_attendance_fees"],
            "value": [0.0, 1250.0],
        }
    )
    (result,) = conditions.evaluate(DIRECTORS, declared, {})
    conditions.check([result], 2031)
    assert result.met
    assert conditions.shown_values(result.shown) == {"governance.director_attendance_fees": 1250.0}


def test_a_profit_share_for_directors_fails_condition_6() -> None:
    declared = pd.DataFrame(
        {
            "id": ["governance.director_other_pay", "governance.director_attendance_fees"],
            "value": [4000.0, 1250.0],
        }
    )
    (result,) = conditions.evaluate(DIRECTORS, declared, {})
    assert not result.met
    with pytest.raises(ConditionError, match="accreditation condition 6 is not met in 2031"):
        conditions.check([result], 2031)


GOVERNANCE = """governance.dividend_rate,{rate},percent,,document,Annual accounts
governance.dividend_cap,6,percent,,document,Royal decree of 8 January 1962
governance.director_other_pay,{other},EUR,,document,Annual accounts: remuneration of directors
governance.director_attendance_fees,{fees},EUR,,document,Minutes of the general assembly
"""


def declare_governance(project: Project, rate: float = 0, other: float = 0, fees: float = 0):
    path = project.year_data(FIXTURE_YEAR) / "facts.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(GOVERNANCE.format(rate=rate, other=other, fees=fees))


def spoil_dividend(project: Project) -> None:
    declare_governance(project, rate=7.5)


def test_a_failing_condition_fails_the_build_before_any_kernel(mini_project: Project) -> None:
    spoil_dividend(mini_project)
    with pytest.raises(ConditionError, match="accreditation condition 3 is not met in 2031"):
        build.build(mini_project, FIXTURE_YEAR)
    assert not (mini_project.output / str(FIXTURE_YEAR)).exists()
    assert not (mini_project.build / "cache").exists()  # no notebook ran


def test_check_lists_every_condition_not_met(mini_project: Project, monkeypatch) -> None:
    declare_governance(mini_project, rate=7.5, other=4000)
    monkeypatch.chdir(mini_project.root)
    result = CliRunner().invoke(app, ["check", "--year", str(FIXTURE_YEAR)])
    assert result.exit_code == 2, result.output
    shown = " ".join(result.output.split())
    assert "accreditation condition 3 is not met in 2031" in shown
    assert "accreditation condition 6 is not met in 2031" in shown


NL = "Eenmalige uitkering na de verkoop van een gebouw, goedgekeurd door de algemene vergadering."
FR = "Distribution unique après la vente d’un bâtiment, approuvée par l’assemblée générale."


def explain(project: Project, body: str, header: str = "condition,lang,explanation") -> None:
    (project.year_data(FIXTURE_YEAR) / "explanations.csv").write_text(
        f"{header}\n{body}", encoding="utf-8"
    )


def edition_text(project: Project, lang: str) -> str:
    name = {"nl": "report", "fr": "rapport"}[lang]
    return " ".join(html_text(project.output / str(FIXTURE_YEAR) / lang / f"{name}.html").split())


@pytest.fixture(scope="module")
def governed(tmp_path_factory) -> Project:
    """The fixture year built with the board's figures: a dividend above the cap, explained in
    both languages, and attendance fees for the directors."""
    project = built_fixture_project(tmp_path_factory, "governed")
    declare_governance(project, rate=7.5, fees=1250)
    explain(project, f'3,nl,"{NL}"\n3,fr,"{FR}"\n')
    build.build(project, FIXTURE_YEAR)
    return project


def condition_row(html: str, number: int) -> str:
    """The text of the conditions table's row for condition ``number``."""
    table = html.split('id="tbl-conditions"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    return next(row for row in rows if row.startswith(f"{number}. "))


@pytest.mark.slow
def test_each_edition_shows_the_explanation_in_its_language(governed: Project) -> None:
    dutch, french = edition_text(governed, "nl"), edition_text(governed, "fr")
    assert f"Toelichting: {NL}" in dutch and FR not in dutch
    assert f"Explication : {FR}" in french and NL not in french
    html = (governed.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text("utf-8")
    assert "niet voldaan" in condition_row(html, 3) and "7,5" in condition_row(html, 3)


@pytest.mark.slow
def test_an_explanation_missing_a_language_stops_the_build(tmp_path_factory, monkeypatch) -> None:
    mini_project = built_fixture_project(tmp_path_factory, "explained")
    folder = mini_project.output / str(FIXTURE_YEAR)
    before = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    spoil_dividend(mini_project)
    explain(mini_project, f'3,nl,"{NL}"\n')
    monkeypatch.chdir(mini_project.root)
    result = CliRunner().invoke(app, ["build", "--year", str(FIXTURE_YEAR)])
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code != 0 and len(errors) == 1, result.output
    assert f"data/{FIXTURE_YEAR}/explanations.csv" in errors[0]
    assert "condition 3 has no explanation in fr" in " ".join(result.output.split())
    assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before


def test_check_lists_every_language_an_explanation_lacks(
    mini_project: Project, monkeypatch
) -> None:
    explain(mini_project, f'3,nl,"{NL}"\n6,fr,"{FR}"\n')
    monkeypatch.chdir(mini_project.root)
    result = CliRunner().invoke(app, ["check", "--year", str(FIXTURE_YEAR)])
    assert result.exit_code == 2
    shown = " ".join(result.output.split())
    assert "condition 3 has no explanation in fr" in shown
    assert "condition 6 has no explanation in nl" in shown


def configure_languages(project: Project, group: str) -> None:
    settings = project.root / "_quarto.yml"
    text = settings.read_text(encoding="utf-8")
    assert "group: [nl, fr]" in text
    settings.write_text(text.replace("group: [nl, fr]", f"group: [{group}]"), encoding="utf-8")


def test_the_form_without_languages_is_read_in_a_one_language_project(
    mini_project: Project,
) -> None:
    configure_languages(mini_project, "nl")
    explain(mini_project, f'3,"{NL}"\n', header="condition,explanation")
    assert compute.validate(mini_project, FIXTURE_YEAR).explanations == {3: {"nl": NL}}


@pytest.mark.slow
def test_attendance_fees_are_shown_in_the_table(governed: Project) -> None:
    html = (governed.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text("utf-8")
    row = condition_row(html, 6)
    assert "geen andere bezoldiging van de bestuurders; presentiegeld 1.250" in row
    assert "niet voldaan" not in row and "voldaan" in row


def test_a_profit_share_for_directors_stops_the_build(mini_project: Project) -> None:
    declare_governance(mini_project, other=4000, fees=1250)
    with pytest.raises(ConditionError, match="accreditation condition 6 is not met in 2031"):
        build.build(mini_project, FIXTURE_YEAR)
    assert not (mini_project.output / str(FIXTURE_YEAR)).exists()


def test_a_language_added_checks_the_explanations_again(mini_project: Project) -> None:
    explain(mini_project, f'3,nl,"{NL}"\n3,fr,"{FR}"\n')
    door.admit(mini_project, FIXTURE_YEAR)
    assert door.current(mini_project, FIXTURE_YEAR)
    configure_languages(mini_project, "nl, fr, de")
    assert not door.current(mini_project, FIXTURE_YEAR)
    organisation = mini_project.reference / "organisation.yml"
    with pytest.raises(DataError, match="field legal_form.de: missing"):
        door.admit(mini_project, FIXTURE_YEAR)
    organisation.write_text(
        organisation.read_text(encoding="utf-8").replace(
            "  fr: SCES agréée\n", "  fr: SCES agréée\n  de: anerkannte SG\n", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="condition 3 has no explanation in de"):
        door.admit(mini_project, FIXTURE_YEAR)


def test_the_report_is_no_evidence_while_its_board_text_is_still_to_write(tmp_path) -> None:
    """Condition 9 rests on this report: while a passage of the narrative is still marked
    ``{.review}`` (the board's supervision and resources, to write), Table 1 says the report is
    in preparation, not that the condition is met; once none is left, it is met."""
    from conftest import ROOT
    from impactreport.analysis import editions
    from impactreport.inputs.load import load_reference
    from impactreport.publishing import prepare, review

    project = Project(ROOT)
    reference = load_reference(project)
    checked = conditions.checked_table(
        reference.conditions, conditions.evaluate(reference.conditions, facts(), {})
    )
    checked["explanation"] = ""
    sections = tmp_path / "nl"
    sections.mkdir()
    (sections / "_02.qmd").write_text(
        "[Nog in te vullen door de raad van bestuur: het toezicht.]{.review}\n", encoding="utf-8"
    )
    pending = bool(review.pending_in(sections))
    assert pending
    # the 2024 narrative itself still waits for the board's text
    assert review.pending_in(ROOT / "sections" / "nl")
    for lang, met, waiting in (
        ("nl", "voldaan", "in voorbereiding"),
        ("fr", "respectée", "en préparation"),
    ):
        edition = editions.load(project, lang)
        drafted = _row_9(prepare.conditions_block(checked, edition, reference, 2024, pending))
        assert waiting in drafted and met not in drafted.split("|")[-2]
        done = _row_9(prepare.conditions_block(checked, edition, reference, 2024, False))
        assert f"**{met}**" in done and waiting not in done


def _row_9(block: str) -> str:
    return next(line for line in block.splitlines() if line.startswith("| 9. "))
