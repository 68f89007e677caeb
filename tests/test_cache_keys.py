"""Cache keys where analysts work: a git checkout, a copied project folder, a notebook that opens
its own files. One test per component of a key: a template, a module the kernels import, a module
they do not, an unrelated tracked file, a file a notebook opens itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import impactreport
from conftest import FIXTURE_NOTEBOOKS, FIXTURE_YEAR, built_fixture_project
from impactreport.analysis import indicators
from impactreport.paths import Project
from impactreport.pipeline import compute

OPENS = "90-opens-its-own-file.ipynb"
PARQUET = "91-reads-parquet-directly.ipynb"


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Analyst", "-c", "user.email=analyst@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Project:
    """A built project in a git checkout that holds the package's source, as the repository
    does, and two notebooks that read files themselves. Its builds import that copy of the
    package, so a test edits it without touching the package other tests build with."""
    project = built_fixture_project(tmp_path_factory, "checkout")
    shutil.copytree(
        Path(impactreport.__file__).parent,
        package(project),
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (project.data / "note.txt").write_text("first note\n", encoding="utf-8")
    pd.DataFrame({"value": [1, 2]}).to_parquet(project.data / "table.parquet")
    shutil.copyfile(FIXTURE_NOTEBOOKS / "opens-its-own-file.ipynb", project.notebooks / OPENS)
    shutil.copyfile(FIXTURE_NOTEBOOKS / "reads-parquet-directly.ipynb", project.notebooks / PARQUET)
    (project.root / "README.md").write_text("# The report\n", encoding="utf-8")
    (project.root / ".gitignore").write_text("_build/\n_output/\n", encoding="utf-8")
    run(project, "build", "--force")  # every notebook's kernel imports the copy
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "The 2031 report")
    return project


def package(project: Project) -> Path:
    """The copy of the package the project's builds import."""
    return project.root / "src" / "impactreport"


def run(project: Project, *command: str) -> list[str]:
    """``impactreport <command>`` with the project's copy of the package; what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "impactreport", *command, "--year", str(FIXTURE_YEAR)],
        cwd=project.root,
        env={**os.environ, "PYTHONPATH": str(project.root / "src"), "COLUMNS": "250"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return [line.strip() for line in done.stdout.splitlines()]


def settled(project: Project) -> None:
    """Everything up to date before the change a test makes, whatever ran before it."""
    run(project, "build")


def build_messages(project: Project) -> list[str]:
    return run(project, "build")


def compute_messages(project: Project) -> list[str]:
    """What computing the year (no rendering) says about each notebook."""
    return run(project, "compute")


def ran(messages: list[str]) -> list[str]:
    return sorted(m.split(":")[0] for m in messages if ": runs:" in m)


def rendered(messages: list[str]) -> list[str]:
    return sorted(m.split()[1] for m in messages if m.startswith("rendering "))


def edited(path: Path, text: str):
    """Append ``text`` to ``path`` and give back a function that restores it."""
    original = path.read_bytes()
    path.write_text(original.decode("utf-8") + text, encoding="utf-8")
    return lambda: path.write_bytes(original)


@pytest.mark.slow
def test_an_unrelated_tracked_file_rebuilds_nothing(checkout: Project) -> None:
    settled(checkout)
    restore = edited(checkout.root / "README.md", "\nOne more line.\n")
    try:
        messages = build_messages(checkout)
    finally:
        restore()
    assert ran(messages) == [] and rendered(messages) == []


@pytest.mark.slow
def test_a_dutch_section_in_a_checkout_renders_only_the_dutch_edition(checkout: Project) -> None:
    settled(checkout)
    restore = edited(checkout.sections / "nl" / "_03-activiteit.qmd", "\nNog een zin.\n")
    try:
        messages = build_messages(checkout)
    finally:
        restore()
    assert ran(messages) == [] and rendered(messages) == ["nl"]
    build_messages(checkout)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "notebook"),
    [("note.txt", OPENS), ("table.parquet", PARQUET)],
    ids=["opened-by-the-notebook", "parquet-read-natively"],
)
def test_a_file_a_notebook_reads_itself_reruns_it(
    checkout: Project, change: str, notebook: str
) -> None:
    settled(checkout)
    path = checkout.data / change
    original = path.read_bytes()
    if change == "table.parquet":
        pd.DataFrame({"value": [1, 2, 3]}).to_parquet(path)
    else:
        path.write_text("second note\n", encoding="utf-8")
    try:
        messages = compute_messages(checkout)
    finally:
        path.write_bytes(original)
    assert ran(messages) == [notebook]
    assert f"{notebook}: runs: data/{change} changed" in messages
    # the file as it was: the notebook runs again, and with the results as they were (the
    # executed notebook differs only in its run times) the earlier rendering is published
    restored = build_messages(checkout)
    assert ran(restored) == [notebook] and rendered(restored) == []


def planned(project: Project) -> dict[str, str | None]:
    shared = compute.shared_key(project, FIXTURE_YEAR)
    return {
        nb.name: compute.plan(project, FIXTURE_YEAR, nb, shared, force=False).reason
        for nb in compute.notebooks(project)
    }


def planned_while(project: Project, undo: Callable[[], object]) -> dict[str, str | None]:
    """``planned`` with a change in place, which ``undo`` then takes back."""
    try:
        return planned(project)
    finally:
        undo()


@pytest.mark.slow
@pytest.mark.parametrize(
    "module",
    [
        "src/impactreport/analysis/payroll.py",
        # the project's own module beside its notebooks: read by the kernels, like the package
        "notebooks/payroll_indicators.py",
    ],
    ids=["package module", "project module"],
)
def test_a_module_the_kernels_import_reruns_exactly_its_importers(
    checkout: Project, module
) -> None:
    module = checkout.root / module
    reasons = planned_while(checkout, edited(module, "\n# touched\n"))
    stale = sorted(name for name, reason in reasons.items() if reason)
    # 06 imports them through the year's payroll figures it compares with earlier years
    assert stale == ["01-workforce-and-wages.ipynb", "06-trends.ipynb"]
    assert (
        str(module.relative_to(checkout.root) if module.is_relative_to(checkout.root) else module)
        in reasons["01-workforce-and-wages.ipynb"]
    )


@pytest.mark.slow
@pytest.mark.parametrize("module", ["publishing/pages.py", "publishing/render/html_path.py"])
def test_a_module_the_kernels_do_not_import_reruns_no_notebook(
    checkout: Project, module: str
) -> None:
    reasons = planned_while(checkout, edited(package(checkout) / module, "\n# touched\n"))
    assert not any(reasons.values()), reasons


@pytest.mark.slow
def test_a_file_added_beside_the_inputs_reruns_no_notebook(checkout: Project) -> None:
    """The notebooks read the door's copy of the inputs, not the year's folder."""
    note = checkout.year_data(FIXTURE_YEAR) / "explanations.csv"
    note.write_text('condition,lang,explanation\n3,nl,"Uitleg."\n3,fr,"Explication."\n')
    reasons = planned_while(checkout, note.unlink)
    assert not any(reasons.values()), reasons


@pytest.mark.slow
def test_the_organisations_details_rerun_no_notebook(checkout: Project) -> None:
    """organisation.yml (name, logo, identification) is for the editions: no kernel reads it."""
    organisation = checkout.reference / "organisation.yml"
    reasons = planned_while(checkout, edited(organisation, "\n# the logo follows\n"))
    assert not any(reasons.values()), reasons


@pytest.mark.slow
@pytest.mark.parametrize("template", ["html.html", "typst/template.typ"])
def test_a_package_template_renders_again(checkout: Project, template: str) -> None:
    settled(checkout)
    restore = edited(package(checkout) / "publishing" / "render" / "templates" / template, "\n")
    try:
        messages = build_messages(checkout)
    finally:
        restore()
    assert ran(messages) == [] and rendered(messages) == ["fr", "nl"]
    build_messages(checkout)


@pytest.mark.slow
def test_a_copied_project_checks_its_own_files(checkout: Project, tmp_path: Path) -> None:
    settled(checkout)
    copy = Project(tmp_path / "copy")
    subprocess.run(["cp", "-a", str(checkout.root), str(copy.root)], check=True)
    contracts = copy.year_data(FIXTURE_YEAR) / "contracts.csv"
    # one more person on a one-day contract: 5 persons instead of 4
    contracts.write_text(
        contracts.read_text(encoding="utf-8")
        + f"C6,P5,member,fixed-term,part-time,{FIXTURE_YEAR}-05-02,{FIXTURE_YEAR}-05-02,1,7\n",
        encoding="utf-8",
    )
    persons = copy.year_data(FIXTURE_YEAR) / "persons.csv"
    persons.write_text(persons.read_text(encoding="utf-8") + "P5,F\n", encoding="utf-8")
    messages = build_messages(copy)
    assert ran(messages) == ["01-workforce-and-wages.ipynb", "06-trends.ipynb"]
    assert rendered(messages) == ["fr", "nl"]

    def persons_in(project: Project) -> float:
        table = indicators.read(project.year_build(FIXTURE_YEAR) / "compute" / "indicators.csv")
        return table.set_index("id").loc["workforce.persons", "value"]

    assert (persons_in(copy), persons_in(checkout)) == (5, 4)
    html = (copy.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text(encoding="utf-8")
    digest = (copy.year_build(FIXTURE_YEAR) / "compute" / "inputs.json").read_text()
    assert "data/2031/contracts.csv" in digest
    assert html != (checkout.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="needs a virtual environment to link")
def test_libraries_in_a_linked_venv_are_no_dependency(tmp_path: Path) -> None:
    """A project whose ``.venv`` is a link to the environment: what the libraries read there is
    keyed by their versions, never file by file as if it were the project's own."""
    (tmp_path / ".venv").symlink_to(sys.prefix)
    data = tmp_path / "data.txt"
    data.write_text("one\n", encoding="utf-8")
    log = tmp_path / "reads.log"
    python = tmp_path / ".venv" / "bin" / "python"
    code = (
        f"from impactreport.inputs import reads; reads.start({str(log)!r}); "
        f"import yaml, babel.numbers; open({str(data)!r}).read()"
    )
    subprocess.run([str(python), "-c", code], check=True, capture_output=True)
    recorded = log.read_text(encoding="utf-8").splitlines()
    assert str(data) in recorded
    assert [path for path in recorded if path.startswith(str(tmp_path / ".venv"))] == []
