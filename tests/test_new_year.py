"""A new year in one command: its folder, the list of what remains, and a narrative to review."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from typer.testing import CliRunner

from conftest import CONTRACTS, FIXTURE_YEAR, PAY, PERSONS, ROOT, built_fixture_project
from impactreport.cli import app
from impactreport.commands import newyear, yearcheck
from impactreport.errors import DraftError
from impactreport.inputs import schemas
from impactreport.paths import Project
from impactreport.pipeline import build
from impactreport.publishing import review

NEW = FIXTURE_YEAR + 1


def rows(path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_new_year_prepares_columns_fact_ids_and_empty_values(mini_project: Project) -> None:
    made = newyear.new_year(mini_project, NEW)
    folder = mini_project.year_data(NEW)
    headers = {
        "persons": PERSONS.splitlines()[0],
        "contracts": CONTRACTS.splitlines()[0],
        "pay": PAY.splitlines()[0],
        "publications": ",".join(schemas.PUBLICATIONS.columns),
    }
    for name, header in headers.items():
        assert (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines() == [header]
    last = rows(mini_project.year_data(FIXTURE_YEAR) / "facts.csv")
    new = rows(folder / "facts.csv")
    assert [r["id"] for r in new] == [r["id"] for r in last] and made.facts == len(last)
    assert all(r["value"] == "" and r["source"] == "" for r in new)
    assert [r["unit"] for r in new] == [r["unit"] for r in last]
    package = json.loads((folder / newyear.DESCRIPTOR).read_text(encoding="utf-8"))
    names = ["persons", "contracts", "pay", "facts", "publications"]
    assert [r["name"] for r in package["resources"]] == names
    assert made.previous == FIXTURE_YEAR and sum(made.marked.values()) > 0


def test_new_year_gives_the_form_of_explanations_without_writing_one(
    mini_project: Project, monkeypatch
) -> None:
    monkeypatch.chdir(mini_project.root)
    result = CliRunner().invoke(app, ["new-year", str(NEW)])
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert f"1. fill in data/{NEW}/persons.csv, contracts.csv, pay.csv, publications.csv" in shown
    assert "3. declare where each input comes from: the 'origin' of each resource in" in shown
    assert (
        f"explain it in data/{NEW}/explanations.csv, columns condition,lang,explanation, "
        "one row per language (nl, fr)" in shown
    )
    assert not list(mini_project.year_data(NEW).glob("explanations.*"))


def test_a_year_without_payroll_records_is_followed_by_one_without(mini_project: Project) -> None:
    """A cooperative that declares its workforce as totals gets no payroll files to fill in."""
    last = mini_project.year_data(FIXTURE_YEAR)
    for name in ("persons", "contracts", "pay"):
        (last / f"{name}.csv").unlink()
    made = newyear.new_year(mini_project, NEW)
    assert made.inputs == ("facts.csv", "publications.csv")
    written = sorted(p.name for p in mini_project.year_data(NEW).iterdir())
    assert written == ["datapackage.json", "facts.csv", "publications.csv"]
    package = json.loads((mini_project.year_data(NEW) / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in package["resources"]] == ["facts", "publications"]


def test_new_year_marks_the_sentences_bound_to_the_last_year(mini_project: Project) -> None:
    section = mini_project.sections / "nl" / "_10-ontplooiing.qmd"
    newyear.new_year(mini_project, NEW)
    text = section.read_text(encoding="utf-8")
    assert "[In 2024 deed Smart verschillende investeringen" in text
    assert (
        "[Op 14 november 2024 vond de allereerste vergadering van werknemers plaats.]{.review}"
        in text
    )
    # history that stays true is left alone
    assert "goed in december 2020;" in text and "[Het Brussels" not in text
    passages = review.pending(mini_project, ["nl"])
    assert any("zonnepanelen" not in p.text and "investeringen" in p.text for p in passages)


def test_new_year_refuses_a_year_that_exists(mini_project: Project, monkeypatch) -> None:
    monkeypatch.chdir(mini_project.root)
    before = sorted(p.name for p in mini_project.year_data(FIXTURE_YEAR).iterdir())
    result = CliRunner().invoke(app, ["new-year", str(FIXTURE_YEAR)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: data/{FIXTURE_YEAR}/ already exists: new-year only prepares a year without a "
        f"folder (check it with `impactreport check --year {FIXTURE_YEAR}`)"
    ]
    assert sorted(p.name for p in mini_project.year_data(FIXTURE_YEAR).iterdir()) == before


def test_a_failed_new_year_leaves_no_folder_and_the_narrative_as_it_was(
    mini_project: Project, monkeypatch
) -> None:
    section = mini_project.sections / "nl" / "_10-ontplooiing.qmd"
    before = section.read_text(encoding="utf-8")

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(newyear, "descriptor", broken)
    with pytest.raises(OSError):
        newyear.new_year(mini_project, NEW)
    assert not mini_project.year_data(NEW).exists()
    assert not list(mini_project.data.glob(".new-*"))
    assert section.read_text(encoding="utf-8") == before


def test_check_lists_every_problem_of_the_new_year_by_file(
    mini_project: Project, monkeypatch
) -> None:
    newyear.new_year(mini_project, NEW)
    monkeypatch.chdir(mini_project.root)
    result = CliRunner().invoke(app, ["check", "--year", str(NEW)])
    assert result.exit_code == 2
    facts = len(rows(mini_project.year_data(NEW) / "facts.csv"))
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    folder = f"data/{NEW}"
    for name in ("persons", "contracts", "pay", "publications"):
        assert f"{folder}/{name}.csv: no data rows under the header" in result.stderr
    assert sum("facts.csv, row" in e and "column 'value'" in e for e in errors) == facts
    assert sum("declare where it comes from" in e for e in errors) == 5
    assert f"{NEW}: {len(errors)} problem(s) in 6 file(s)" in result.stderr
    assert "review sections/nl/_10-ontplooiing.qmd" in " ".join(result.stdout.split())


def fill_in(project: Project, revenue: str = "210000000") -> None:
    """What the analyst does after new-year: the payroll, facts, sources and publications."""
    folder = project.year_data(NEW)
    (folder / "persons.csv").write_text(PERSONS, encoding="utf-8")
    (folder / "contracts.csv").write_text(CONTRACTS.format(y=NEW), encoding="utf-8")
    (folder / "pay.csv").write_text(PAY.format(y=NEW), encoding="utf-8")
    shutil.copyfile(ROOT / "data" / "2024" / "publications.csv", folder / "publications.csv")
    last = {r["id"]: r for r in rows(project.year_data(FIXTURE_YEAR) / "facts.csv")}
    filled = []
    for row in rows(folder / "facts.csv"):
        value = revenue if row["id"] == "activity.revenue" else last[row["id"]]["value"]
        filled.append({**row, "value": value, "source": f"register {NEW}"})
    with (folder / "facts.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=schemas.FACTS.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(filled)
    package = json.loads((folder / newyear.DESCRIPTOR).read_text(encoding="utf-8"))
    for resource in package["resources"]:
        resource["origin"] = {
            "kind": "export",
            "system": "the payroll system",
            "date": f"{NEW + 1}-01-15",
        }
    (folder / newyear.DESCRIPTOR).write_text(json.dumps(package), encoding="utf-8")


def test_a_claimed_record_that_the_history_contradicts_is_refused(mini_project: Project) -> None:
    newyear.new_year(mini_project, NEW)
    fill_in(mini_project, revenue="150000000")  # below the 198 million of the year before
    result = yearcheck.check_year(mini_project, NEW)
    assert [p.message for p in result.problems if "contradicted" in p.message] == [
        "sections/nl/_03-activiteit.qmd:3: contradicted: claims 'nooit eerder' but "
        f"activity.revenue = 150000000 in {NEW} is not above {FIXTURE_YEAR} (198000000): rewrite "
        "the sentence",
        "sections/fr/_03-activite.qmd:3: contradicted: claims 'jamais atteint' but "
        f"activity.revenue = 150000000 in {NEW} is not above {FIXTURE_YEAR} (198000000): rewrite "
        "the sentence",
    ]
    fill_in(mini_project, revenue="210000000")
    assert yearcheck.check_year(mini_project, NEW).problems == []


def test_a_final_edition_refuses_while_a_passage_awaits_review(mini_project: Project) -> None:
    # the chapters still to write (the board's monitoring, the resources used) are marked already
    written = review.before_build(mini_project, ["nl", "fr"], final=False)
    newyear.new_year(mini_project, NEW)
    left = review.before_build(mini_project, ["nl", "fr"], final=False)
    assert len(left) > len(written) and all(p.reason == "marked for review" for p in left)
    with pytest.raises(DraftError, match=rf"{len(left)} passage\(s\) still marked"):
        review.before_build(mini_project, ["nl", "fr"], final=True)


@pytest.mark.slow
def test_new_year_filled_in_builds_a_draft_that_compares_with_the_year_before(
    tmp_path_factory,
) -> None:
    mini_project = built_fixture_project(tmp_path_factory, "year-after")  # the year before, built
    newyear.new_year(mini_project, NEW)
    fill_in(mini_project)
    assert yearcheck.check_year(mini_project, NEW).problems == []
    build.build(mini_project, NEW)
    dutch = (mini_project.output / str(NEW) / "nl" / "report.html").read_text(encoding="utf-8")
    assert f"tegenover {FIXTURE_YEAR}" in dutch.replace("\u00a0", " ")
    assert '<span class="review">In 2024 deed Smart' in dutch
    with pytest.raises(DraftError, match="a final edition needs a reviewed narrative"):
        build.build(mini_project, NEW, final=True)
