"""Builds people can trust: identical twice, never half-published, one at a time, offline,
and text from data that never turns into markup."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock
from pypdf import PdfReader

from conftest import FIXTURE_YEAR, NOTEBOOKS, built_fixture_project
from impactreport.analysis.results import Results
from impactreport.paths import Project
from impactreport.pipeline import build

CLI = [sys.executable, "-m", "impactreport"]


def digests(*folders: Path) -> dict[str, str]:
    found = {}
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def published(project: Project, year: int) -> dict[str, str]:
    """What a reader finds: the files behind _output/<year>/<lang>."""
    return digests(*(project.output / str(year) / lang for lang in ("nl", "fr")))


@pytest.fixture(scope="module")
def built_fixture(tmp_path_factory) -> Project:
    return built_fixture_project(tmp_path_factory, "robust")


def network_cut() -> str | None:
    """Why a build cannot be run without network here; None: ``unshare --net`` works."""
    if shutil.which("unshare") is None:
        return "no unshare command"
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, text=True)
    return probe.stderr.strip() or "unshare failed" if probe.returncode else None


@pytest.mark.slow
def test_a_forced_rebuild_offline_runs_everything_and_publishes_the_same_bytes(
    built_fixture: Project,
) -> None:
    """``--force`` reruns every notebook and renders every edition, with no network (only
    loopback, which the kernels talk over), and publishes byte for byte what was there."""
    figures = built_fixture.year_build(FIXTURE_YEAR) / "compute" / "figures"
    before = {**published(built_fixture, FIXTURE_YEAR), **digests(figures)}
    command = [*CLI, "build", "--year", str(FIXTURE_YEAR), "--force"]
    why_online = network_cut()
    if why_online is None:  # a namespace of its own: loopback only, no route out
        command = ["unshare", "--net", "sh", "-c", "ip link set lo up && " + " ".join(command)]
    run = subprocess.run(
        command,
        env={**env_for(built_fixture), "COLUMNS": "200"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [line.strip() for line in run.stdout.splitlines()]
    forced = sorted(line.split(":")[0] for line in lines if line.endswith(": runs: --force"))
    assert forced == NOTEBOOKS
    rendered = sorted(line.split()[1] for line in lines if line.startswith("rendering "))
    assert rendered == ["fr", "nl"]
    after = {**published(built_fixture, FIXTURE_YEAR), **digests(figures)}
    assert after == before
    assert len([p for p in before if p.endswith((".html", ".pdf"))]) == 4
    if why_online:
        pytest.skip(f"the same bytes, but the build ran with network: {why_online}")


@pytest.mark.slow
def test_publication_states_its_provenance(built_fixture: Project) -> None:
    from impactreport.publishing import provenance

    digest = provenance.inputs_digest(Results(built_fixture.year_build(FIXTURE_YEAR) / "compute"))[
        :16
    ]
    html = (built_fixture.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text(
        encoding="utf-8"
    )
    # the colophon states it, for auditors
    assert "Colofon" in html and digest in html and f"boekjaar {FIXTURE_YEAR}" in html
    pdf = " ".join(
        p.extract_text()
        for p in PdfReader(built_fixture.output / str(FIXTURE_YEAR) / "fr" / "rapport.pdf").pages
    )
    assert digest in pdf.replace("\n", "")


def env_for(project: Project) -> dict[str, str]:
    return {**os.environ, "IMPACTREPORT_ROOT": str(project.root)}


@pytest.mark.slow
def test_a_second_build_is_refused_while_one_runs(built_fixture: Project) -> None:
    with FileLock(built_fixture.build / ".lock"):
        run = subprocess.run(
            [*CLI, "build", "--year", str(FIXTURE_YEAR)],
            env=env_for(built_fixture),
            capture_output=True,
            text=True,
        )
    assert run.returncode == 2
    assert "another command is writing this project" in run.stderr
    assert "Traceback" not in run.stderr


# what makes the build do the step the kill interrupts: all of it, or a narrative edit, which
# renders that edition only
KILLED_AT = {
    "01-workforce-and-wages.ipynb: runs": None,
    "01-workforce-and-wages.ipynb: done": None,
    "rendering nl": "nl/_03-activiteit.qmd",
    "rendering fr": "fr/_03-activite.qmd",
}


@pytest.mark.slow
@pytest.mark.parametrize("marker", list(KILLED_AT))
def test_a_killed_build_leaves_the_publication_as_it_was(
    built_fixture: Project, marker: str
) -> None:
    before = published(built_fixture, FIXTURE_YEAR)
    section = KILLED_AT[marker] and built_fixture.sections / KILLED_AT[marker]
    original = section.read_bytes() if section else b""
    if section:
        section.write_bytes(original + b"\nEen zin die nooit verschijnt.\n")
    process = subprocess.Popen(
        [*CLI, "build", "--year", str(FIXTURE_YEAR), *([] if section else ["--force"])],
        env={**env_for(built_fixture), "COLUMNS": "200", "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its notebook kernels die with it
    )
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=120)
    if section:
        section.write_bytes(original)
    assert any(marker in line for line in seen), seen
    assert published(built_fixture, FIXTURE_YEAR) == before
    visible = sorted(
        p.name
        for p in (built_fixture.output / str(FIXTURE_YEAR)).iterdir()
        if not p.name.startswith(".")
    )
    assert visible == ["data", "fr", "nl"]
    # the next build cleans up after the killed one and succeeds
    build.build(built_fixture, FIXTURE_YEAR)
    year_folder = built_fixture.output / str(FIXTURE_YEAR)
    live = {(year_folder / name).resolve().name for name in ("nl", "fr", "data")}
    assert {p.name for p in year_folder.glob(".*")} == live  # only the folders the links point to
    assert published(built_fixture, FIXTURE_YEAR) == before


@pytest.mark.slow
def test_a_failed_build_keeps_the_previous_publication(built_fixture: Project) -> None:
    before = published(built_fixture, FIXTURE_YEAR)
    section = built_fixture.sections / "nl" / "_03-activiteit.qmd"
    original = section.read_text(encoding="utf-8")
    section.write_text(original + "\n{{< var nope.missing >}}\n", encoding="utf-8")
    try:
        run = subprocess.run(
            [*CLI, "build", "--year", str(FIXTURE_YEAR)],
            env=env_for(built_fixture),
            capture_output=True,
            text=True,
        )
    finally:
        section.write_text(original, encoding="utf-8")
    assert run.returncode != 0
    assert "nope.missing" in run.stderr and "_03-activiteit.qmd" in run.stderr
    assert published(built_fixture, FIXTURE_YEAR) == before


HOSTILE = {
    "script": "<script>alert('x')</script>",
    "link": "[klik](javascript:alert(1))",
    "typst": "#set page(width: 1cm)",
    "include": "{{< include /etc/passwd >}}",
}


@pytest.mark.slow
def test_text_from_data_stays_text(tmp_path_factory) -> None:
    mini_project = built_fixture_project(tmp_path_factory, "hostile")
    folder = mini_project.year_data(FIXTURE_YEAR)
    rows = [f'"{value}","{value} & co"' for value in HOSTILE.values()]
    (folder / "publications.csv").write_text(
        "title,authors\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    explanation = " ".join(HOSTILE.values()).replace('"', "'")
    (folder / "explanations.csv").write_text(
        f'condition,lang,explanation\n3,nl,"{explanation}"\n3,fr,"{explanation}"\n',
        encoding="utf-8",
    )
    organisation = mini_project.reference / "organisation.yml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8").replace(
            "name: SmartCoop", 'name: "Smart*Coop* <b>x</b>"'
        ),
        encoding="utf-8",
    )
    build.build(mini_project, FIXTURE_YEAR)
    html = (mini_project.output / str(FIXTURE_YEAR) / "nl" / "report.html").read_text(
        encoding="utf-8"
    )
    assert "<script" not in html and "&lt;script&gt;alert" in html
    assert "javascript:" not in html.replace("[klik](javascript:alert(1))", "")
    assert "<b>x</b>" not in html and "Smart*Coop*" in html
    assert "{{&lt; include /etc/passwd &gt;}}" in html
    assert html.count("#set page(width: 1cm)") >= 2  # the publication and the analyst's explanation
    reader = PdfReader(mini_project.output / str(FIXTURE_YEAR) / "fr" / "rapport.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    # French typography puts a narrow no-break space before a colon, in data text too
    text = re.sub(r"[\s\u202f\u00a0]+([:;!?])", r"\1", text)
    for value in (
        "#set page(width: 1cm)",
        "{{< include /etc/passwd >}}",
        "<script>alert('x')</script>",
    ):
        assert value in text
    assert {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    } == {(595, 842)}


def test_a_full_disk_while_publishing_leaves_the_publication_and_nothing_beside_it(
    tmp_path: Path, monkeypatch
) -> None:
    import errno

    from impactreport.publishing import publish as publishing

    files = []
    for name, text in (("report.html", "new"), ("report.pdf", "new too")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    target = tmp_path / "out" / "nl"
    publishing.publish([files[0]], target)
    before = digests(target)
    copied = []

    def copy_until_full(source, destination):
        if copied:
            raise OSError(errno.ENOSPC, "No space left on device", str(destination))
        copied.append(destination)
        return shutil.copyfile(source, destination)

    monkeypatch.setattr(publishing.shutil, "copyfile", copy_until_full)
    with pytest.raises(OSError, match="No space left"):
        publishing.publish(files, target)
    assert digests(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(["nl", target.resolve().name])


def hidden(folder: Path) -> list[str]:
    """Hidden files and folders anywhere below that no link points at: what a half-finished
    write leaves (a folder swapped whole is a link to a hidden folder beside it)."""
    live = {p.resolve() for p in folder.rglob("*") if p.is_symlink()}
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob(".*")
        if p.resolve() not in live and not any(parent in live for parent in p.resolve().parents)
    )


@pytest.mark.slow
def test_a_full_disk_in_the_build_folder_is_one_line_and_leaves_nothing(
    built_fixture: Project, monkeypatch
) -> None:
    import errno

    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from impactreport.cli import app

    publications = built_fixture.year_data(FIXTURE_YEAR) / "publications.csv"
    original = publications.read_text(encoding="utf-8")
    before = published(built_fixture, FIXTURE_YEAR)
    admitted = digests(built_fixture.year_build(FIXTURE_YEAR) / "inputs")

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "contracts.parquet")

    monkeypatch.setattr(pq, "write_table", full)
    monkeypatch.chdir(built_fixture.root)
    publications.write_text(original + "Nog een titel,Auteur\n", encoding="utf-8")
    try:
        result = CliRunner().invoke(app, ["build", "--year", str(FIXTURE_YEAR)])
    finally:
        publications.write_text(original, encoding="utf-8")
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code == 7, result.output
    assert len(errors) == 1 and "No space left on device" in errors[0]
    assert "free space" in result.output and "Traceback" not in result.output
    assert published(built_fixture, FIXTURE_YEAR) == before
    assert digests(built_fixture.year_build(FIXTURE_YEAR) / "inputs") == admitted
    assert hidden(built_fixture.year_build(FIXTURE_YEAR)) == []


def read_only(folder: Path, command: list[str]) -> list[str]:
    """``command`` run with ``folder`` read-only: by its mode, or, for root (whom modes do not
    stop), by a read-only bind mount in a mount namespace of its own."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return command
    if shutil.which("unshare") is None:
        pytest.skip("running as root, and no unshare to mount the folder read-only")
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind -o ro {folder} {folder}"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"running as root, and cannot mount read-only here: {probe.stderr.strip()}")
    quoted = " ".join(f"'{part}'" for part in command)
    return ["unshare", "-m", "sh", "-c", f"mount --bind -o ro {folder} {folder} && exec {quoted}"]


@pytest.mark.slow
def test_a_read_only_output_is_one_line_and_keeps_the_publication(built_fixture: Project) -> None:
    before = published(built_fixture, FIXTURE_YEAR)
    year_output = built_fixture.output / str(FIXTURE_YEAR)
    command = read_only(
        year_output, [*CLI, "render", "--year", str(FIXTURE_YEAR), "--lang", "nl", "--force"]
    )
    try:
        run = subprocess.run(command, env=env_for(built_fixture), capture_output=True, text=True)
    finally:
        year_output.chmod(0o755)
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert run.returncode == 7, run.stderr[-2000:]
    assert len(errors) == 1 and ("Read-only" in errors[0] or "Permission" in errors[0])
    assert "Traceback" not in run.stderr
    assert published(built_fixture, FIXTURE_YEAR) == before
    assert hidden(built_fixture.year_build(FIXTURE_YEAR)) == []
    assert {p.name for p in year_output.iterdir()} == {"nl", "fr", "data"} | {
        (year_output / name).resolve().name for name in ("nl", "fr", "data")
    }
