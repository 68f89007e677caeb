"""The preview's warm kernels publish what fresh kernels publish: after ten mixed edits (sentences,
facts, a chart's notebook) made through the preview, its page and its PDF and Word files are
byte-identical to a clean ``build --force`` of the same sources, each notebook's cache entry
records the same reads, and a kernel killed between two edits is replaced."""

from __future__ import annotations

import os
import signal

import pytest

from conftest import FIXTURE_YEAR, built_fixture_project
from edition_text import text_and_figures
from impactreport import digests
from impactreport.analysis.results import Results
from impactreport.commands.preview import Session, State, preview_folder
from impactreport.pipeline import build, cache, compute
from impactreport.pipeline.warm_kernels import WarmKernels

SECTION = "sections/nl/_06-opleidingsaanbod.qmd"
CHART_NOTEBOOK = "notebooks/03-loans-and-financing.ipynb"


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fact(root, name: str, step: int):
    """An edit that moves the fact ``name`` of the fixture year by ``step``."""
    facts = root / "data" / str(FIXTURE_YEAR) / "facts.csv"

    def change() -> None:
        lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
        [at] = [i for i, line in enumerate(lines) if line.startswith(f"{name},")]
        fields = lines[at].split(",")
        fields[1] = str(int(fields[1]) + step)
        lines[at] = ",".join(fields)
        facts.write_text("".join(lines), encoding="utf-8")

    return change


def sentence(root, words: str):
    return lambda: replace(
        root / SECTION, "Meer informatie staat", f"{words} Meer informatie staat"
    )


def chart(root, old: str, new: str):
    # the loans chart's bars on the wide page
    return lambda: replace(root / CHART_NOTEBOOK, old, new)


def computed(project) -> tuple[dict, dict]:
    """What the editions read of the year's results, and what each notebook's run read."""
    folder = project.year_build(FIXTURE_YEAR) / "compute"
    files = {
        str(path.relative_to(folder)): digests.file_digest(path) for path in Results(folder).files()
    }
    reads = {
        nb.name: cache.load(compute.entry_folder(project, FIXTURE_YEAR, nb))["reads"]
        for nb in compute.notebooks(project)
    }
    return files, reads


def published(project) -> dict[str, bytes]:
    edition = project.output / str(FIXTURE_YEAR) / "nl"
    return {p.name: p.read_bytes() for p in sorted(edition.iterdir())}


@pytest.mark.slow
def test_warm_kernels_publish_what_a_clean_build_publishes(tmp_path_factory) -> None:
    project = built_fixture_project(tmp_path_factory, "warm")
    root = project.root
    edits = [
        sentence(root, "Een eerste nieuwe zin."),
        fact(root, "activity.offices", 1),
        chart(root, "(0.5, 0.6)", "(0.55, 0.6)"),
        sentence(root, "Een tweede nieuwe zin."),
        fact(root, "loans.projects_total", 3),
        fact(root, "activity.offices", 1),
        chart(root, "(0.55, 0.6)", "(0.45, 0.65)"),
        sentence(root, "Een derde."),
        fact(root, "activity.offices", -1),
        sentence(root, "De laatste zin."),
    ]
    said: list[str] = []
    kernels = WarmKernels(project, project.year_build(FIXTURE_YEAR) / "preview-kernels.log")
    session = Session(project, FIXTURE_YEAR, "nl", State(), said.append, kernels)
    try:
        session.rebuild()
        # the trends' kernel started ahead of the edits, as the preview starts every one; the
        # chart's notebook's kernel starts with its first run
        kernels.start_ahead([project.notebooks / "06-trends.ipynb"])
        for number, edit in enumerate(edits, 1):
            edit()
            if number == 6:  # a kernel that dies between two edits is replaced
                os.kill(kernels._kernels["06-trends.ipynb"].pid(), signal.SIGKILL)
            session.rebuild()
            assert session.state.error is None, session.state.error
        session._formats()
        preview_page = text_and_figures(preview_folder(project, FIXTURE_YEAR, "nl") / "report.html")
        warm_files, warm_reads = computed(project)
        warm_published = published(project)
        ran = {line.split(":")[0] for line in said if ": runs:" in line}
        started = kernels.started
    finally:
        kernels.close()
    # the warm kernels ran: each notebook in one kernel, and one more for the one killed
    assert ran == {"03-loans-and-financing.ipynb", "06-trends.ipynb"}
    assert started == len(ran) + 1
    assert "De laatste zin." in preview_page[0]

    build.build(project, FIXTURE_YEAR, ["nl"], force=True)
    fresh_files, fresh_reads = computed(project)
    assert warm_reads == fresh_reads
    assert warm_files == fresh_files  # every figure, table and indicator
    assert published(project) == warm_published  # HTML, PDF and Word, byte for byte
    # the preview's page links its figures, the publication embeds them: the same text and figures
    assert preview_page == text_and_figures(
        project.output / str(FIXTURE_YEAR) / "nl" / "report.html"
    )


@pytest.mark.slow
def test_a_warm_kernel_starts_each_run_afresh_and_one_that_grows_is_replaced(
    tmp_path, monkeypatch
) -> None:
    """The fixture notebook fails if a name of its earlier run is left; it hangs 100 MB on an
    imported module at each run, which outlives the namespace: the kernel is replaced."""
    from impactreport.pipeline import warm_kernels
    from test_engine import READS, add_notebook, engine_project

    monkeypatch.setattr(warm_kernels, "SLACK", 0)
    (tmp_path / "project").mkdir()
    project = engine_project(tmp_path / "project")
    (project.notebooks / READS).unlink()
    add_notebook(project, "holds-memory-beyond-its-namespace.ipynb", "92-holds-memory.ipynb")
    kernels = WarmKernels(project, tmp_path / "kernels.log")
    try:
        compute.compute(project, FIXTURE_YEAR, force=True, runner=kernels.run)
        [kernel] = kernels._kernels.values()
        compute.compute(project, FIXTURE_YEAR, force=True, runner=kernels.run)
        assert kernels.started == 1  # the second run, in the same kernel, found no name left
        assert kernel.pid() is None  # and grew by 100 MB: replaced
        compute.compute(project, FIXTURE_YEAR, force=True, runner=kernels.run)
        assert kernels.started == 2
    finally:
        kernels.close()
    assert [k.pid() for k in kernels._kernels.values()] == []
