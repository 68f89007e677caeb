"""What changed since the last draft: records of builds, their comparison, terminal and HTML."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_YEAR as YEAR
from conftest import ROOT, built_fixture_project
from impactreport.cli import app
from impactreport.errors import ConfigError
from impactreport.paths import Project
from impactreport.pipeline import build
from impactreport.publishing import compare, records

PARAGRAPHS = ["Eerste alinea over 2024.", "In 2024 kwamen er 377 infosessies.", "Slot."]


def write_record(project: Project, name: str, *, kind="draft", sessions=377.0, paragraphs=None):
    year = int(name.split("-")[0])
    folder = records.folder(project, year)
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "name": name,
        "year": year,
        "kind": kind,
        "created": "2025-03-01T10:00:00+00:00",
        "indicators": {
            "activity.info_sessions": {"value": sessions, "unit": "count", "qualifier": ""},
            "activity.offices": {"value": 8.0, "unit": "count", "qualifier": ""},
        },
        "conditions": {"3": True},
        "editions": {"nl": paragraphs or PARAGRAPHS},
    }
    (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


def test_one_fact_and_one_sentence_changed_are_exactly_what_is_shown(tmp_path) -> None:
    project = Project(tmp_path)
    write_record(project, "2024-1")
    changed = ["Eerste alinea over het jaar.", "In 2024 kwamen er 380 infosessies.", "Slot."]
    write_record(project, "2024-2", sessions=380.0, paragraphs=changed)
    result = compare.compare(*records.find(project, 2024, None))
    assert result.indicators == [
        compare.IndicatorChange("activity.info_sessions", "377 count", "380 count")
    ]
    assert result.text == [
        compare.TextChange("nl", "Eerste alinea over 2024.", "Eerste alinea over het jaar.")
    ]
    assert result.figures_only == 1 and result.conditions == []
    assert result.text[0].words() == [
        ("same", "Eerste alinea over"),
        ("removed", "2024."),
        ("added", "het jaar."),
    ]


def test_against_names_a_build_a_final_edition_or_a_year(tmp_path) -> None:
    project = Project(tmp_path)
    write_record(project, "2023-1", kind="final")
    write_record(project, "2024-1", kind="final")
    write_record(project, "2024-2")
    write_record(project, "2024-3")
    assert records.find(project, 2024, None)[1].name == "2024-2"
    assert records.find(project, 2024, "final")[1].name == "2024-1"
    assert records.find(project, 2024, "2024-1")[1].name == "2024-1"
    assert records.find(project, 2024, "2023")[1].name == "2023-1"
    with pytest.raises(
        ConfigError, match=r"no such build \(builds of 2024: 2024-1, 2024-2, 2024-3"
    ):
        records.find(project, 2024, "2024-9")


def test_drafts_are_pruned_and_finals_kept(tmp_path) -> None:
    (tmp_path / "_quarto.yml").write_text("impactreport:\n  drafts-kept: 2\n", encoding="utf-8")
    project = Project(tmp_path)
    write_record(project, "2024-1", kind="final")
    for number in range(2, 6):
        write_record(project, f"2024-{number}")
    records.prune(project, 2024)
    assert [r.name for r in records.records(project, 2024)] == ["2024-1", "2024-4", "2024-5"]


@pytest.mark.parametrize(
    ("made", "arguments", "message"),
    [
        (
            [],
            [],
            "error: no build of 2024 recorded yet: run `impactreport build --year 2024` first",
        ),
        (
            ["2024-1"],
            [],
            "error: only one build of 2024 is recorded (2024-1): nothing earlier to compare "
            "with; build again after a change, or give --against",
        ),
        (
            ["2024-1", "2024-2"],
            ["--against", "draft-7"],
            "error: --against 'draft-7': no such build (builds of 2024: 2024-1, 2024-2; or "
            "'final', or a year)",
        ),
    ],
)
def test_bad_diff_requests_get_one_line_and_write_nothing(
    tmp_path, monkeypatch, made, arguments, message
) -> None:
    shutil.copyfile(ROOT / "_quarto.yml", tmp_path / "_quarto.yml")
    project = Project(tmp_path)
    for name in made:
        write_record(project, name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["diff", "--year", "2024", *arguments])
    assert result.exit_code == 2
    assert result.output.strip() == message
    assert not (tmp_path / "_build").exists()


@pytest.mark.slow
def test_two_builds_differ_in_exactly_one_fact_and_one_sentence(
    tmp_path_factory, monkeypatch
) -> None:
    project = built_fixture_project(tmp_path_factory, "diff")  # built once: its first record
    build.build(project, YEAR)  # nothing changed: the same files, no second record
    assert [r.name for r in records.records(project, YEAR)] == [f"{YEAR}-1"]
    facts = project.year_data(YEAR) / "facts.csv"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("info_sessions,377,", "info_sessions,380,"),
        encoding="utf-8",
    )
    section = project.sections / "nl" / "_06-opleidingsaanbod.qmd"
    old = "Iedereen kan de catalogus raadplegen"
    new = "De catalogus staat open voor iedereen"
    section.write_text(section.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    build.build(project, YEAR)
    assert [r.name for r in records.records(project, YEAR)] == [f"{YEAR}-1", f"{YEAR}-2"]
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(app, ["diff", "--year", str(YEAR)], terminal_width=200)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line for line in lines if "│" in line and "count" in line] == [
        "│ activity.info_sessions │ 377 count │ 380 count │"
    ]
    assert sum(line.startswith("- ") for line in lines) == 1
    assert sum(line.startswith("+ ") for line in lines) == 1
    text = " ".join(result.output.split("\n- ", 1)[1].split())  # the paragraph, unwrapped
    removed, added = text.split(" + ", 1)
    assert old in removed and new not in removed and new in added and old not in added
    # nl and fr: the info-sessions paragraph, its row in the origins annex and the data
    # fingerprint of the colophon
    assert "6 paragraph(s) differ only in the figures above" in result.output
    page = (project.year_build(YEAR) / "diff.html").read_text(encoding="utf-8")
    assert page.count("<tr><th scope='row'>") == 1 and "activity.info_sessions" in page
    assert page.count("<h3>") == 1
    paragraph = page.split("<blockquote", 1)[1].split("</blockquote>", 1)[0]
    before = re.sub(r"<[^>]+>", "", re.sub(r"<ins>.*?</ins>", "", paragraph))
    after = re.sub(r"<[^>]+>", "", re.sub(r"<del>.*?</del>", "", paragraph))
    assert old in " ".join(before.split()) and new not in before
    assert new in " ".join(after.split()) and old not in after
    assert "<link" not in page and "src=" not in page  # self-contained
