"""The command line as an analyst meets it: help with examples, the years overview."""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import FIXTURE_YEAR
from impactreport.cli import app
from impactreport.paths import Project


def test_help_lists_the_commands_with_examples() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("check", "compute", "render", "build", "years"):
        assert command in result.output
    assert "impactreport build --year 2024" in result.output


def test_build_help_documents_its_options() -> None:
    output = " ".join(CliRunner().invoke(app, ["build", "--help"]).output.split())
    for option in ("--year", "--lang", "--force", "--pages"):
        assert option in output


def test_years_lists_data_and_built_editions(mini_project: Project, monkeypatch) -> None:
    monkeypatch.chdir(mini_project.root)
    (mini_project.output / str(FIXTURE_YEAR) / "nl").mkdir(parents=True)
    result = CliRunner().invoke(app, ["years"])
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if str(FIXTURE_YEAR) in line)
    assert f"data/{FIXTURE_YEAR}/" in row and "nl" in row


def test_check_reports_every_valid_file(mini_project: Project, monkeypatch) -> None:
    monkeypatch.chdir(mini_project.root)
    result = CliRunner().invoke(app, ["check", "--year", str(FIXTURE_YEAR)])
    assert result.exit_code == 0
    for name in ("persons.csv", "contracts.csv", "pay.csv", "facts.csv", "publications.csv"):
        assert name in result.output


def test_debug_shows_the_traceback(mini_project: Project, monkeypatch) -> None:
    from impactreport.errors import DataError

    persons = mini_project.year_data(FIXTURE_YEAR) / "persons.csv"
    persons.write_text(
        persons.read_text(encoding="utf-8").replace("P2,M", "P2,Q"), encoding="utf-8"
    )
    monkeypatch.chdir(mini_project.root)
    plain = CliRunner().invoke(app, ["check", "--year", str(FIXTURE_YEAR)])
    assert plain.exit_code == 2, plain.output
    assert isinstance(plain.exception, SystemExit)  # a plain exit, not an error escaping
    assert "persons.csv" in plain.output and "Traceback" not in plain.output
    debug = CliRunner().invoke(app, ["--debug", "check", "--year", str(FIXTURE_YEAR)])
    assert isinstance(debug.exception, DataError)
