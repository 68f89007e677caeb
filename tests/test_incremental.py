"""Incremental builds: exactly the notebooks that read a changed file run again; a narrative edit
runs none; a damaged or foreign cache entry is never trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURE_YEAR, NOTEBOOKS, built_fixture_project
from impactreport.analysis import editions
from impactreport.paths import Project
from impactreport.pipeline import build, cache, compute
from test_year_on_year import PREVIOUS, add_previous_year, keep_facts_only


@pytest.fixture
def project(tmp_path_factory) -> Project:
    """A built project of the test's own: what a test changes goes with it."""
    return built_fixture_project(tmp_path_factory, "incremental")


def run(project: Project) -> tuple[compute.ComputeResult, list[str]]:
    lines: list[str] = []
    result = compute.compute(
        project, FIXTURE_YEAR, report=lambda name, what: lines.append(f"{name}: {what}")
    )
    return result, lines


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.slow
def test_nothing_changed_runs_nothing(project: Project) -> None:
    result, _ = run(project)
    assert result.executed == ()
    assert sorted(result.reused) == NOTEBOOKS


@pytest.mark.slow
def test_the_same_data_in_other_bytes_runs_nothing(project: Project) -> None:
    """The notebooks read the door's typed copy: a blank line in an export changes no table."""
    path = project.year_data(FIXTURE_YEAR) / "contracts.csv"
    append(path, "\n")
    result, _ = run(project)
    assert result.executed == ()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "contracts.csv",
            ",2,14\n",
            ",2,15\n",
            ["01-workforce-and-wages.ipynb", "06-trends.ipynb"],
        ),
        (
            "publications.csv",
            "Jean-François Draperi",
            "J.-F. Draperi",
            [],  # the package writes the publications table: no kernel
        ),
        # the trends read every fact; the workforce and loans notebooks only their theme's
        (
            "facts.csv",
            "activity.offices,8,",
            "activity.offices,9,",
            ["06-trends.ipynb"],
        ),
        (
            "facts.csv",
            "loans.projects_year,70,",
            "loans.projects_year,71,",
            ["03-loans-and-financing.ipynb", "06-trends.ipynb"],
        ),
    ],
)
def test_a_changed_data_file_reruns_exactly_its_readers(
    project: Project, file: str, old: str, new: str, expected: list[str]
) -> None:
    path = project.year_data(FIXTURE_YEAR) / file
    original = path.read_text(encoding="utf-8")
    assert old in original, f"fixture changed: {old!r} not in {file}"
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    result, lines = run(project)
    assert sorted(result.executed) == expected
    assert all(f"data/{FIXTURE_YEAR}/{file} changed" in line for line in lines if ": runs:" in line)


@pytest.mark.slow
def test_a_year_added_before_reruns_the_trends_and_what_names_its_files(project: Project) -> None:
    """The year before, kept as facts only: the trends read it; the workforce notebook names
    the files its figures come from, and the door's list of files now holds that year's too."""
    add_previous_year(project)
    keep_facts_only(project, PREVIOUS)
    result, _ = run(project)
    assert sorted(result.executed) == ["01-workforce-and-wages.ipynb", "06-trends.ipynb"]


@pytest.mark.slow
def test_chart_words_rerun_only_the_chart_notebooks(project: Project) -> None:
    words = project.sections / "fr" / "words.yml"
    append(words, "\n# a comment\n")
    result, _ = run(project)
    # 06-trends draws no chart with a single year of data, so it reads no words
    assert sorted(result.executed) == [
        "01-workforce-and-wages.ipynb",
        "03-loans-and-financing.ipynb",
    ]


@pytest.mark.slow
def test_a_narrative_edit_runs_no_notebook_and_renders_one_edition(project: Project) -> None:
    section = project.sections / "nl" / "_03-activiteit.qmd"
    append(section, "\nEen extra zin in de tekst.\n")
    messages: list[str] = []
    build.build(project, FIXTURE_YEAR, progress=messages.append)
    html = (project.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text(encoding="utf-8")
    assert "Een extra zin in de tekst." in html
    assert not [m for m in messages if ": runs:" in m]
    assert any(m.startswith("rendering nl") and "sources changed" in m for m in messages)
    assert "fr: nothing changed, rendering reused" in messages


@pytest.mark.slow
def test_an_edit_undone_publishes_the_earlier_rendering_again(project: Project) -> None:
    section = project.sections / "nl" / "_03-activiteit.qmd"
    original, published = section.read_bytes(), html_of(project)
    append(section, "\nEen zin die weer verdwijnt.\n")
    build.build(project, FIXTURE_YEAR)
    assert "Een zin die weer verdwijnt." in html_of(project)
    section.write_bytes(original)
    messages: list[str] = []
    build.build(project, FIXTURE_YEAR, progress=messages.append)
    assert "nl: nothing changed, rendering reused" in messages
    assert not [m for m in messages if m.startswith("rendering ")]
    assert html_of(project) == published


def html_of(project: Project) -> str:
    return (project.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text(encoding="utf-8")


def annex(html: str) -> str:
    """The origins annex, its ids without the zero-width spaces where they may wrap."""
    return html.split("Herkomst van de cijfers", 1)[-1].replace("\u200b", "")


@pytest.mark.slow
def test_a_narrative_edit_reuses_the_generated_blocks_unless_it_names_another_figure(
    project: Project, monkeypatch
) -> None:
    """The data is not loaded again for a sentence; the origins annex, which lists the figures
    the narrative names, follows a newly named one; either way the files are a full build's."""
    from impactreport.publishing import prepare

    section = project.sections / "nl" / "_03-activiteit.qmd"
    original = section.read_text(encoding="utf-8")
    prepared = []
    monkeypatch.setattr(prepare, "write", lambda *a, _w=prepare.write: prepared.append(1) or _w(*a))
    append(section, "\nEen zin zonder cijfer.\n")
    build.build(project, FIXTURE_YEAR)
    reused = html_of(project)
    assert prepared == [] and "Een zin zonder cijfer." in reused
    build.render_editions(project, FIXTURE_YEAR, ["nl", "fr"], force=True)  # from scratch
    assert html_of(project) == reused and prepared == [1, 1]
    # the annex names each figure in the edition's words
    offices = f">{editions.load(project, 'nl').words['origins']['labels']['activity.offices']}<"
    assert offices in annex(reused)
    # the one sentence naming the offices' figure goes: so does its row in the annex
    section.write_text(original.replace("{{< var activity.offices >}}", "enkele"), encoding="utf-8")
    build.build(project, FIXTURE_YEAR)
    assert len(prepared) == 3
    assert offices not in annex(html_of(project))


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["garbled entry", "altered output", "foreign key"])
def test_a_damaged_or_foreign_entry_is_ignored(project: Project, damage: str) -> None:
    notebook = project.notebooks / "03-loans-and-financing.ipynb"
    folder = compute.entry_folder(project, FIXTURE_YEAR, notebook)
    entry_file = folder / cache.ENTRY
    if damage == "garbled entry":
        entry_file.write_text("{not json", encoding="utf-8")
    elif damage == "altered output":
        part = next((folder / cache.OUTPUTS / "indicators").glob("*.csv"))
        part.write_text(part.read_text(encoding="utf-8").replace("253", "254"), encoding="utf-8")
    else:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        entry["key"]["code"] = "0" * 64  # written by another version of the package
        entry_file.write_text(json.dumps(entry), encoding="utf-8")
    result, lines = run(project)
    assert result.executed == ("03-loans-and-financing.ipynb",)
    table = (project.year_build(FIXTURE_YEAR) / "compute" / "indicators.csv").read_text(
        encoding="utf-8"
    )
    assert "loans.projects_total,2031,253.0" in table
