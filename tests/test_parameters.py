"""Parameters are checked before any work starts, with one plain line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_YEAR
from impactreport.cli import app
from impactreport.errors import ConfigError, RenderError
from impactreport.paths import Project
from impactreport.publishing.render.includes import expand_includes
from impactreport.yamlfile import load_yaml


def invoke(project: Project, monkeypatch, *args: str):
    monkeypatch.chdir(project.root)
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build", "--year", "24"], "not a four-digit year"),
        (["build", "--year", "2030"], "no data for 2030"),
        (
            ["build", "--year", str(FIXTURE_YEAR), "--lang", "de"],
            "unknown language 'de': configured languages are nl, fr",
        ),
        (["render", "--year", str(FIXTURE_YEAR), "--lang", "en"], "unknown language 'en'"),
        (["compute", "--year", "1999"], "years with data: 2031"),
    ],
)
def test_bad_parameters_fail_before_any_work(
    mini_project: Project, monkeypatch, args, expected
) -> None:
    result = invoke(mini_project, monkeypatch, *args)
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not (mini_project.build / str(FIXTURE_YEAR)).exists()  # nothing started


def test_an_include_cannot_leave_the_project(mini_project: Project) -> None:
    document = mini_project.root / "escape.qmd"
    document.write_text("# Kop\n\n{{< include ../../../../etc/passwd >}}\n", encoding="utf-8")
    with pytest.raises(RenderError, match="include leaves the project folder"):
        expand_includes(document, mini_project.root)


def test_yaml_is_loaded_safely(tmp_path) -> None:
    path = tmp_path / "organisation.yml"
    path.write_text("name: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_yaml(path)


def test_a_notebook_run_by_hand_takes_the_configured_year(mini_project: Project) -> None:
    from impactreport.analysis import context

    config = mini_project.root / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    assert "  year: 2024\n" in text, "fixture changed: _quarto.yml names no year"
    config.write_text(text.replace("  year: 2024\n", f"  year: {FIXTURE_YEAR}\n"), encoding="utf-8")
    ctx = context.setup(None, str(mini_project.root))
    assert ctx.year == FIXTURE_YEAR
    assert ctx.build == mini_project.build / "scratch" / str(FIXTURE_YEAR)
    # papermill's injected year still wins over the configured one
    config.write_text(text.replace("  year: 2024\n", "  year: 2030\n"), encoding="utf-8")
    assert context.setup(FIXTURE_YEAR, str(mini_project.root)).year == FIXTURE_YEAR


def test_no_notebook_hard_codes_the_default_year() -> None:
    import nbformat

    from conftest import ROOT

    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        cell = next(
            c
            for c in nbformat.read(path, as_version=4).cells
            if "parameters" in c.metadata.get("tags", [])
        )
        assert "year = None" in cell.source, path.name
