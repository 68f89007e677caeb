"""The Quarto side: the sources stay in the subset, and the pre/post-render scripts work with
the environment Quarto gives them (QUARTO_PROFILE, QUARTO_PROJECT_RENDER_ALL, an absolute
QUARTO_PROJECT_OUTPUT_DIR; never the -P parameters)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from impactreport.paths import Project
from impactreport.publishing.render import check_subset, load_config

SOURCES = sorted([*ROOT.glob("*.qmd"), *ROOT.glob("sections/*/*.qmd")])


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_report_sources_stay_in_the_subset(source: Path) -> None:
    assert check_subset(source.read_text(encoding="utf-8")) == []


def quarto_env(project: Project, profile: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUARTO_", "IMPACTREPORT_"))}
    env.update(
        QUARTO_PROFILE=profile,
        QUARTO_PROJECT_RENDER_ALL="1",
        QUARTO_PROJECT_OUTPUT_DIR=str(
            project.root / "_output" / "quarto"
        ),  # absolute, as Quarto passes it
        QUARTO_PROJECT_INPUT_FILES="rapport.qmd" if profile == "fr" else "report.qmd",
        **extra,
    )
    return env


def script(project: Project, which: str, python: str = sys.executable) -> list[str]:
    """The command as Quarto runs it: a ``.py`` script with ``$QUARTO_PYTHON``, else python3."""
    path, *args = shlex.split(load_config(project.root, ["nl"])["project"][which])
    assert path.endswith(".py"), "a shell command would run whatever `python` is on PATH"
    return [python, path, *args]


def bare_python() -> str:
    """A Python 3 without the project installed, as an analyst's python3 is."""
    python = getattr(sys, "_base_executable", None) or shutil.which("python3", path="/usr/bin")
    check = subprocess.run([python, "-c", "import impactreport"], capture_output=True)
    if check.returncode == 0:
        pytest.skip(f"{python} has impactreport installed")
    return python


@pytest.mark.slow
def test_the_hook_finds_the_projects_venv_or_says_how_to_make_one(computed_2024: Project) -> None:
    env = quarto_env(computed_2024, "nl")
    run = subprocess.run(
        script(computed_2024, "pre-render", bare_python()),
        cwd=computed_2024.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1 and ".venv" in run.stderr, run.stderr
    if sys.prefix == sys.base_prefix:
        pytest.skip("the tests do not run in a virtual environment to stand in for .venv")
    venv = computed_2024.root / ".venv"
    venv.symlink_to(sys.prefix)  # the analyst's .venv, not activated
    try:
        run = subprocess.run(
            script(computed_2024, "pre-render", bare_python()),
            cwd=computed_2024.root,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        venv.unlink()
    assert run.returncode == 0, run.stderr
    assert "prepared 2024 (nl)" in run.stdout


@pytest.mark.slow
def test_pre_render_prepares_the_active_language_for_the_configured_year(
    computed_2024: Project,
) -> None:
    run = subprocess.run(
        script(computed_2024, "pre-render"),
        cwd=computed_2024.root,
        env=quarto_env(computed_2024, "fr"),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    variables = yaml.safe_load((computed_2024.root / "_variables.yml").read_text(encoding="utf-8"))
    assert variables["year"] == "2024"
    # the value as the edition writes it, in a span that carries its id and origin
    assert variables["workforce"]["persons"].startswith(
        '[20\u202f892]{.indicator data-id="workforce.persons" '
    )
    generated = computed_2024.root / "_generated"
    assert "{#tbl-conditions}" in (generated / "tbl-conditions.md").read_text(encoding="utf-8")
    assert (generated / "fig-loans.md").is_file() and (
        generated / "figures" / "fig-loans.svg"
    ).is_file()
    assert (
        yaml.safe_load((generated / "metadata.yml").read_text(encoding="utf-8"))["subtitle"]
        == "Exercice 2024"
    )


@pytest.mark.slow
def test_post_render_publishes_to_year_and_language(computed_2024: Project, tmp_path) -> None:
    # a copy: the stand-in publication must not replace the 2024 one other tests read
    project = Project(tmp_path / "copy")
    shutil.copytree(computed_2024.root, project.root, symlinks=True)
    env = quarto_env(project, "nl")
    assert subprocess.run(script(project, "pre-render"), cwd=project.root, env=env).returncode == 0
    rendered = project.root / "_output" / "quarto"
    rendered.mkdir(parents=True, exist_ok=True)
    (rendered / "report.html").write_text("<html>rendered</html>", encoding="utf-8")
    (rendered / "report.pdf").write_bytes(b"%PDF-1.7 rendered")
    (rendered / "rapport.html").write_text("<html>another edition</html>", encoding="utf-8")
    published = project.output / "2024" / "nl"
    before = sorted(published.iterdir())

    def post_render(*listed: str) -> subprocess.CompletedProcess:
        env["QUARTO_PROJECT_OUTPUT_FILES"] = "\n".join(f"_output/quarto/{f}" for f in listed)
        return subprocess.run(
            script(project, "post-render"),
            cwd=project.root,
            env=env,
            capture_output=True,
            text=True,
        )

    # the Word file published before is not known to come from these sources: not kept
    run = post_render("report.html", "report.pdf")
    assert run.returncode != 0 and "report.docx in _output/2024/nl were not rendered" in run.stderr
    assert sorted(published.iterdir()) == before
    (rendered / "report.docx").write_bytes(b"PK rendered")
    run = post_render("report.html", "report.pdf", "report.docx", "rapport.html")
    assert run.returncode == 0, run.stderr
    assert (published / "report.html").read_text(encoding="utf-8") == "<html>rendered</html>"
    assert sorted(p.name for p in published.iterdir()) == [
        "report.docx",
        "report.html",
        "report.pdf",
    ]
    # the same sources again, the HTML alone: the others are kept
    (rendered / "report.html").write_text("<html>again</html>", encoding="utf-8")
    run = post_render("report.html")
    assert run.returncode == 0, run.stderr
    assert (published / "report.pdf").read_bytes() == b"%PDF-1.7 rendered"
    assert (published / "report.html").read_text(encoding="utf-8") == "<html>again</html>"


def test_year_for_quarto_comes_from_the_environment_or_the_config(
    mini_project: Project, monkeypatch
) -> None:
    from impactreport.pipeline import quarto_hooks

    monkeypatch.delenv("IMPACTREPORT_YEAR", raising=False)
    assert quarto_hooks.configured_year(mini_project, "nl") == 2024
    monkeypatch.setenv("IMPACTREPORT_YEAR", "2031")
    assert quarto_hooks.configured_year(mini_project, "nl") == 2031
    monkeypatch.setenv("IMPACTREPORT_YEAR", "24")
    with pytest.raises(Exception, match="no valid year"):
        quarto_hooks.configured_year(mini_project, "nl")


def test_active_language_follows_quarto_profile(mini_project: Project, monkeypatch) -> None:
    from impactreport.pipeline import quarto_hooks

    monkeypatch.setenv("QUARTO_PROFILE", "fr")
    assert quarto_hooks.active_language(mini_project) == "fr"
    monkeypatch.setenv("QUARTO_PROFILE", "production,nl")  # Quarto rewrites it as a comma list
    assert quarto_hooks.active_language(mini_project) == "nl"
    monkeypatch.delenv("QUARTO_PROFILE")
    assert quarto_hooks.active_language(mini_project) == "nl"


def test_the_renderer_is_chosen_not_found_on_path(tmp_path, monkeypatch) -> None:
    from impactreport.errors import ConfigError
    from impactreport.pipeline import renderers

    fake = tmp_path / "quarto"
    fake.write_text("#!/bin/sh\necho 1.8.27\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    chosen = renderers.choose(None)  # a quarto on PATH changes nothing
    assert chosen.name == "builtin" and "default" in str(chosen)
    with pytest.raises(ConfigError, match="too old"):
        renderers.choose("quarto")
    fake.write_text("#!/bin/sh\necho 1.9.38\n", encoding="utf-8")
    assert str(renderers.choose("quarto")).startswith("quarto 1.9.38")
    with pytest.raises(ConfigError, match="choose one of builtin, quarto"):
        renderers.choose("pandoc")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match="no `quarto` on PATH"):
        renderers.choose("quarto")
