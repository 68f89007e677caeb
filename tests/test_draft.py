"""Draft or final: what keeps a year's edition a draft, one line each, and the label it gets."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
import yaml
from pypdf import PdfReader

from conftest import FIXTURE_YEAR, built_fixture_project, private_copy
from impactreport.analysis import indicators, lineage
from impactreport.analysis.editions import load as load_edition
from impactreport.inputs import descriptor
from impactreport.inputs.load import load_facts, load_reference
from impactreport.pipeline import approval, build, compute
from impactreport.publishing import draft, review

GOVERNANCE = (
    ("governance.dividend_rate", 0.0, "percent"),
    ("governance.dividend_cap", 6.0, "percent"),
    ("governance.withdrawal_ratio_max", 1.0, "ratio"),
    ("governance.director_other_pay", 0.0, "EUR"),
    ("governance.max_vote_share", 5.0, "percent"),
    ("governance.dividends_paid", 0.0, "EUR"),
)


def _table(project, year: int) -> pd.DataFrame:
    """Two indicators with their lineage, as compute assembles it from the year's declarations."""
    table = pd.DataFrame(
        [
            ("workforce.persons", year, 4.0, "count", "", "records: contracts.csv, persons.csv"),
            ("activity.offices", year, 8.0, "count", "", "system: Office register"),
            # the board's figures of the year, the evidence of conditions 3 and 5 to 8
            *(
                (fact, year, value, unit, "", "document: Annual accounts")
                for fact, value, unit in GOVERNANCE
            ),
        ],
        columns=["id", "year", "value", "unit", "qualifier", "source"],
    )
    facts, facts_path = load_facts(project, year, load_reference(project))
    return lineage.annotate(table, facts, facts_path, descriptor.load(project.year_data(year)))


def _declare(
    project, *, payroll: dict, facts_verified: bool, approval: bool, governance: bool = True
) -> None:
    folder = project.year_data(FIXTURE_YEAR)
    if governance:  # the board's figures of the year: the evidence of conditions 3 and 5 to 8
        facts = folder / "facts.csv"
        text = facts.read_text(encoding="utf-8")
        if "governance." not in text:
            rows = "".join(
                f"{fact},{value:g},{unit},,document,Notulen van de algemene vergadering\n"
                for fact, value, unit in GOVERNANCE
            )
            facts.write_text(text + rows, encoding="utf-8")
    verified = {"by": "Finance department", "on": f"{FIXTURE_YEAR + 1}-02-01"}
    resources = [
        {"name": name, "path": f"{name}.csv", "origin": payroll}
        | ({"verified": verified} if payroll["kind"] != "synthetic" else {})
        for name in ("persons", "contracts", "pay")
    ]
    for name in ("facts", "publications"):
        resource = {
            "name": name,
            "path": f"{name}.csv",
            "origin": {"kind": "transcription", "document": "Annual report"},
        }
        resources.append(resource | ({"verified": verified} if facts_verified else {}))
    raw = {"resources": resources}
    if approval:
        raw["approval"] = {"by": "board of directors", "on": f"{FIXTURE_YEAR + 1}-04-20"}
    (folder / "datapackage.json").write_text(json.dumps(raw), encoding="utf-8")
    reference = json.loads((project.reference / "datapackage.json").read_text(encoding="utf-8"))
    for resource in reference["resources"]:
        if resource["origin"]["kind"] != "definition" and facts_verified:
            resource["verified"] = verified
    (project.reference / "datapackage.json").write_text(json.dumps(reference), encoding="utf-8")


def _identify(project, unknown: dict | None = None) -> None:
    """Fill in what art. 2:56 WVV asks a company's documents to state (test values), but for
    the ``unknown`` fields ('register.fr'), which get the value given (None, or empty)."""
    path = project.reference / "organisation.yml"
    organisation = yaml.safe_load(path.read_text(encoding="utf-8"))
    organisation["identification"] = {
        "legal_form": {
            "nl": "erkende coöperatieve vennootschap erkend sociale onderneming (erkende CVSO)",
            "fr": "société coopérative agréée entreprise sociale (SCES agréée)",
        },
        "registered_office": "Teststraat 1, 1000 Brussel",
        "enterprise_number": "0000.000.097",
        "register": {"nl": "RPR Brussel", "fr": "RPM Bruxelles"},
    }
    for field, value in (unknown or {}).items():
        *parents, last = field.split(".")
        node = organisation["identification"]
        for parent in parents:
            node = node[parent]
        node[last] = value
    path.write_text(yaml.safe_dump(organisation, allow_unicode=True), encoding="utf-8")


def _review_all(project) -> None:
    """The analyst's review of the narrative: every passage marked for review accepted as it
    stands (its brackets removed)."""
    for path in project.sections.rglob("*.qmd"):
        text = path.read_text(encoding="utf-8")
        path.write_text(review.PENDING.sub(lambda m: m["text"], text), encoding="utf-8")


def _approve(project, table: pd.DataFrame | None = None) -> None:
    """The board approves the year as it stands (the computed table unless one is given)."""
    if table is None:
        table = indicators.read(compute.compute(project, FIXTURE_YEAR).indicators)
    approval.approve(
        project, FIXTURE_YEAR, table, "board of directors", f"{FIXTURE_YEAR + 1}-04-20"
    )


def _assess(project, year: int, table: pd.DataFrame, reference) -> draft.Status:
    """The status compute records: the year's draft reasons, with what changed since the
    board's approval (the pipeline compares the project with the approval record)."""
    return draft.assess(project, year, table, reference, approval.pending(project, year, table))


SYNTHETIC = {"kind": "synthetic", "generator": "python -m synthetic_payroll"}
EXPORT = {"kind": "export", "system": "Payroll", "date": f"{FIXTURE_YEAR + 1}-01-15"}


def test_synthetic_unverified_unapproved_is_a_draft_naming_each_reason(mini_project):
    _declare(mini_project, payroll=SYNTHETIC, facts_verified=False, approval=False)
    reference = load_reference(mini_project)
    status = _assess(mini_project, FIXTURE_YEAR, _table(mini_project, FIXTURE_YEAR), reference)
    lines = "\n".join(status.blocking)
    assert not status.final
    assert "field approval: the board's approval date is missing" in lines
    assert f"data/{FIXTURE_YEAR}/contracts.csv: synthetic" in lines
    assert f"data/{FIXTURE_YEAR}/facts.csv, fact activity.offices: not verified" in lines
    assert "data/reference/conditions.csv" in lines
    words = load_edition(mini_project, "nl").words["draft"]
    assert draft.label(status, words).startswith("Ontwerpversie: ")
    assert words["synthetic"] in draft.label(status, words)


def test_real_verified_approved_is_final_with_no_label(mini_project):
    _declare(mini_project, payroll=EXPORT, facts_verified=True, approval=True)
    _identify(mini_project)
    _approve(mini_project, _table(mini_project, FIXTURE_YEAR))
    reference = load_reference(mini_project)
    status = _assess(mini_project, FIXTURE_YEAR, _table(mini_project, FIXTURE_YEAR), reference)
    assert status.final, status.blocking
    assert draft.label(status, load_edition(mini_project, "fr").words["draft"]) == ""


def test_a_fact_row_verified_on_its_own_is_not_blocking(mini_project):
    _declare(mini_project, payroll=EXPORT, facts_verified=False, approval=True)
    facts = mini_project.year_data(FIXTURE_YEAR) / "facts.csv"
    frame = pd.read_csv(facts, dtype=str, keep_default_na=False)
    frame["verified_by"] = "Controller"
    frame["verified_on"] = f"{FIXTURE_YEAR + 1}-03-01"
    frame.to_csv(facts, index=False)
    _approve(mini_project, _table(mini_project, FIXTURE_YEAR))
    reference = load_reference(mini_project)
    lines = _assess(
        mini_project, FIXTURE_YEAR, _table(mini_project, FIXTURE_YEAR), reference
    ).blocking
    # the rows of facts.csv verified on their own (the board's figures are not in that file)
    assert not any("fact activity.offices" in line for line in lines), lines


def test_a_missing_identification_field_keeps_the_edition_a_draft(mini_project):
    _declare(mini_project, payroll=EXPORT, facts_verified=True, approval=True)
    _identify(mini_project, unknown={"enterprise_number": None, "register.fr": ""})
    _approve(mini_project, _table(mini_project, FIXTURE_YEAR))
    status = _assess(
        mini_project, FIXTURE_YEAR, _table(mini_project, FIXTURE_YEAR), load_reference(mini_project)
    )
    assert status.blocking == (
        "data/reference/organisation.yml, field identification.enterprise_number: missing"
        " (art. 2:56 WVV/CSA)",
        "data/reference/organisation.yml, field identification.register.fr: missing"
        " (art. 2:56 WVV/CSA)",
    )
    words = load_edition(mini_project, "nl").words["draft"]
    assert draft.label(status, words) == f"Ontwerpversie: {words['unidentified']}."


# --- end to end: the six published files ---------------------------------------------------------

STEMS = {"nl": "report", "fr": "rapport"}


def published_text(folder, stem: str) -> dict[str, str]:
    """What a reader can see of each file: HTML source, PDF text and metadata, Word body and
    every header part."""
    reader = PdfReader(folder / f"{stem}.pdf")
    with zipfile.ZipFile(folder / f"{stem}.docx") as docx:
        headers = [n for n in docx.namelist() if re.fullmatch(r"word/header\d*\.xml", n)]
        word = {name: docx.read(name).decode("utf-8") for name in ["word/document.xml", *headers]}
    return {
        "html": (folder / f"{stem}.html").read_text(encoding="utf-8"),
        "pdf text": "\n".join(page.extract_text() for page in reader.pages),
        "pdf metadata": " ".join(str(v) for v in (reader.metadata or {}).values()),
        **{f"docx {name}": xml for name, xml in word.items()},
    }


def draft_words(project) -> list[str]:
    """'Ontwerpversie', 'Version provisoire': how each edition's label starts."""
    return [
        load_edition(project, lang).words["draft"]["label"].split(":")[0].strip() for lang in STEMS
    ]


@pytest.mark.slow
def test_the_2024_draft_says_so_in_the_word_header(built_2024):
    label = load_edition(built_2024, "nl").words["draft"]["label"].split(":")[0]
    with zipfile.ZipFile(built_2024.output / "2024" / "nl" / "report.docx") as docx:
        header = docx.read("word/header1.xml").decode("utf-8")
        rels = docx.read("word/_rels/document.xml.rels").decode("utf-8")
        body = docx.read("word/document.xml").decode("utf-8")
    assert label in header and "header1.xml" in rels
    assert 'w:headerReference w:type="default"' in body


@pytest.mark.slow
def test_checks_and_the_approval_recorded_rerun_no_notebook(tmp_path_factory):
    """The year's descriptor gives each figure its lineage when the build is assembled: what
    the analyst records at the end of the year (who checked, the board's approval) runs no
    kernel, yet every row states it."""
    project = built_fixture_project(tmp_path_factory, "recorded")
    _declare(project, payroll=EXPORT, facts_verified=True, approval=True, governance=False)
    # and one fact checked on its own row of facts.csv, which the notebooks read
    facts = project.year_data(FIXTURE_YEAR) / "facts.csv"
    header, *rows = facts.read_text(encoding="utf-8").splitlines()
    own = f"Office manager,{FIXTURE_YEAR + 1}-01-15"
    rows = [f"{row},{own if row.startswith('activity.offices,') else ','}" for row in rows]
    facts.write_text("\n".join([f"{header},verified_by,verified_on", *rows, ""]), "utf-8")
    result = compute.compute(project, FIXTURE_YEAR)
    assert result.executed == ()
    table = indicators.read(result.indicators).set_index("id")
    checked = f"Finance department, {FIXTURE_YEAR + 1}-02-01"
    assert table.at["workforce.persons", "verified"] == checked  # computed from the payroll
    assert table.at["activity.advisors", "verified"] == checked  # a fact passed as declared
    assert table.at["activity.offices", "verified"] == f"Office manager, {FIXTURE_YEAR + 1}-01-15"
    assert table.at["workforce.persons", "origin"].startswith("export")


@pytest.fixture(scope="module")
def approved_final(tmp_path_factory):
    """The fixture year real, verified, identified, reviewed and approved, built final: read
    by one test, copied by the one that edits it afterwards."""
    project = built_fixture_project(tmp_path_factory, "final")
    _declare(project, payroll=EXPORT, facts_verified=True, approval=True)
    _identify(project)
    _review_all(project)
    _approve(project)
    build.build(project, FIXTURE_YEAR, final=True)
    return project


@pytest.mark.slow
def test_a_real_verified_approved_year_builds_final_with_no_draft_marking(approved_final):
    words = draft_words(approved_final)
    for lang, stem in STEMS.items():
        shown = published_text(approved_final.output / str(FIXTURE_YEAR) / lang, stem)
        assert not [name for name in shown if name.startswith("docx word/header")]
        marked = [name for name, text in shown.items() if any(w in text for w in words)]
        assert marked == [], f"{lang}: a final edition marked as draft in {marked}"
        assert "synthetische gegevens" not in shown["html"]


@pytest.mark.slow
def test_the_same_year_without_approval_is_refused_one_line_per_reason(tmp_path_factory):
    mini_project = built_fixture_project(tmp_path_factory, "unapproved")
    published = mini_project.output / str(FIXTURE_YEAR)
    before = {p: p.read_bytes() for p in sorted(published.rglob("*")) if p.is_file()}
    _declare(mini_project, payroll=EXPORT, facts_verified=True, approval=False)
    _identify(mini_project, unknown={"enterprise_number": None})
    _review_all(mini_project)
    run = subprocess.run(
        [sys.executable, "-m", "impactreport", "build", "--year", str(FIXTURE_YEAR), "--final"],
        cwd=mini_project.root,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    error = run.stderr.strip().splitlines()
    assert "cannot be final (2 reasons)" in error[0], run.stderr
    assert len(error) == 3, run.stderr
    assert "approv" in error[1] + error[2]
    assert "identification.enterprise_number" in error[1] + error[2]
    # the draft published before stays as it was
    assert {p: p.read_bytes() for p in sorted(published.rglob("*")) if p.is_file()} == before


def test_publications_unverified_keep_the_edition_a_draft(mini_project):
    """publications.csv (the titles and authors the report prints) is under the final's checks
    like every published input, though no indicator rests on it."""
    _declare(mini_project, payroll=EXPORT, facts_verified=True, approval=True)
    folder = mini_project.year_data(FIXTURE_YEAR)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["name"] == "publications":
            del resource["verified"]
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    _identify(mini_project)
    _approve(mini_project, _table(mini_project, FIXTURE_YEAR))
    status = _assess(
        mini_project, FIXTURE_YEAR, _table(mini_project, FIXTURE_YEAR), load_reference(mini_project)
    )
    assert status.blocking == (
        f"data/{FIXTURE_YEAR}/publications.csv: transcription: Annual report not verified",
    )


def test_a_figure_or_an_input_changed_after_the_approval_is_named(mini_project):
    _declare(mini_project, payroll=EXPORT, facts_verified=True, approval=True)
    _identify(mini_project)
    _approve(mini_project, _table(mini_project, FIXTURE_YEAR))
    table = _table(mini_project, FIXTURE_YEAR)
    table.loc[table["id"] == "activity.offices", "value"] = 9.0
    organisation = mini_project.reference / "organisation.yml"
    organisation.write_text(organisation.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    status = _assess(mini_project, FIXTURE_YEAR, table, load_reference(mini_project))
    assert not status.final and not status.approved and status.changed
    when = f"changed since the approval of {FIXTURE_YEAR + 1}-04-20"
    assert status.blocking == (
        f"{when}: figure activity.offices: approved 8.0 count, now 9.0 count",
        f"{when}: data/reference/organisation.yml: changed since the approval",
    )
    words = load_edition(mini_project, "nl").words["draft"]
    assert draft.label(status, words) == f"Ontwerpversie: {words['changed']}."


@pytest.mark.slow
def test_a_sentence_changed_after_the_approval_makes_the_final_a_draft_again(
    tmp_path_factory, approved_final
):
    """The board approved a final edition; one sentence edited afterwards: every edition is a
    draft again, and ``--final`` refuses naming the sentence (exit 9, not a disk's 7)."""
    project = private_copy(tmp_path_factory, approved_final.root, "approved-then-edited")
    words = draft_words(project)
    folder = project.output / str(FIXTURE_YEAR) / "nl"
    assert not any(w in published_text(folder, "report")["html"] for w in words)
    chapter = next(
        p
        for p in sorted((project.sections / "nl").glob("*.qmd"))
        if ". " in p.read_text(encoding="utf-8")
    )
    text = chapter.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if review.is_prose(x) and len(review.sentences(x)) > 0)
    sentence = review.sentences(line)[0]
    edited = sentence.rstrip(".") + " en dat blijft zo."
    chapter.write_text(text.replace(sentence, edited, 1), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "impactreport", "build", "--year", str(FIXTURE_YEAR), "--final"],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 9, run.stderr
    said = " ".join(run.stderr.split())
    name = chapter.relative_to(project.root)
    assert f"{name}: sentence changed: {sentence!r} is now {edited!r}" in said
    build.build(project, FIXTURE_YEAR)
    for lang, stem in STEMS.items():
        shown = published_text(project.output / str(FIXTURE_YEAR) / lang, stem)
        label = load_edition(project, lang).words["draft"]["changed"]
        assert label in shown["html"], lang


def test_a_condition_without_year_evidence_keeps_the_edition_a_draft(mini_project):
    """The statutes are no proof of the year's operation: a condition whose rule needs the
    year's figures, declared neither as figures nor as the board's statement, blocks a final."""
    _declare(mini_project, payroll=EXPORT, facts_verified=True, approval=True)
    _identify(mini_project)
    table = _table(mini_project, FIXTURE_YEAR)
    table = table[~table["id"].isin(["governance.max_vote_share"])]
    _approve(mini_project, table)
    status = _assess(mini_project, FIXTURE_YEAR, table, load_reference(mini_project))
    assert status.blocking == (
        f"data/{FIXTURE_YEAR}/facts.csv: condition 7 (one_tenth_of_votes) has no evidence for "
        f"{FIXTURE_YEAR}: declare governance.max_vote_share (from the annual accounts or the "
        "general meeting's minutes, or the board's statement with its minutes and date as "
        "source)",
    )


def test_a_legal_form_that_drops_the_accreditation_is_a_reason(mini_project):
    """Filled in, but not the company's legal form: it does not name the short form the report
    uses ('erkende CVSO', the double accreditation)."""
    _declare(mini_project, payroll=EXPORT, facts_verified=True, approval=True)
    _identify(mini_project)
    path = mini_project.reference / "organisation.yml"
    organisation = yaml.safe_load(path.read_text(encoding="utf-8"))
    wrong = "coöperatieve vennootschap erkend als sociale onderneming"
    organisation["identification"]["legal_form"]["nl"] = wrong
    path.write_text(yaml.safe_dump(organisation, allow_unicode=True), encoding="utf-8")
    _approve(mini_project, _table(mini_project, FIXTURE_YEAR))
    status = _assess(
        mini_project, FIXTURE_YEAR, _table(mini_project, FIXTURE_YEAR), load_reference(mini_project)
    )
    assert status.blocking == (
        f"data/reference/organisation.yml, field identification.legal_form.nl: '{wrong}' lacks "
        "'erkende' of the short legal form 'erkende CVSO' the report uses: write the legal form "
        "as the company's statutes and the KBO/BCE state it",
    )
    assert not status.identified
