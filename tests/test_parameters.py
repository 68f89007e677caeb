"""Parameters are checked before any work starts, with one plain line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_YEAR
from impactreport.cli import app
from impactreport.errors import ConfigError, RenderError
from impactreport.inputs.yamlfile import load_yaml
from impactreport.paths import Project
from impactreport.publishing.render.includes import expand_includes


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
