"""The live preview in the real browser: an edit shows up by itself, a bad edit shows its error
over the last good page, a fix brings the page back, and Ctrl-C leaves nothing behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from filelock import FileLock

from conftest import FIXTURE_YEAR, built_fixture_project
from edition_text import text_and_figures
from impactreport.commands.preview import preview_folder, versioned_links
from test_browser import CHROMIUM_ARGS, unavailable

ADDRESS = re.compile(r"at (http://127\.0\.0\.1:\d+/)")
SECTION = "sections/nl/_06-opleidingsaanbod.qmd"
WAIT = 120_000  # ms: a shared machine may be slow


# the page's body, but for the preview's own elements, as the page the preview now serves has it
SAME_AS_SERVED = """async () => {
  const own = (body) => {
    const copy = body.cloneNode(true);
    copy.querySelectorAll("[data-preview]").forEach((node) => node.remove());
    return copy;
  };
  const served = new DOMParser().parseFromString(await (await fetch("/")).text(), "text/html");
  return own(document.body).isEqualNode(own(served.body));
}"""


def start(root, **popen) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "impactreport", "preview", "--year", str(FIXTURE_YEAR)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # on a hang, SIGABRT makes it print where each of its threads is
        env={**os.environ, "COLUMNS": "200", "PYTHONFAULTHANDLER": "1"},
        **popen,
    )
    for line in process.stdout:
        if match := ADDRESS.search(line):
            return process, match[1]
    raise AssertionError(f"the preview printed no address (exit {process.wait()})")


def stopped(process: subprocess.Popen) -> str:
    """What the preview printed once it stopped; if it does not stop, where it hangs."""
    try:
        return process.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        pytest.fail(f"the preview did not stop on Ctrl-C:\n{process.communicate()[0]}")


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_preview_reloads_on_edit_shows_errors_and_stops_cleanly(tmp_path_factory) -> None:
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as error:
        unavailable(f"Playwright for Python is not installed ({error})")
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("no `chromium` executable on PATH; `apt-get install chromium` (Debian)")
    project = built_fixture_project(tmp_path_factory, "preview")
    section = project.root / SECTION
    process, address = start(project.root)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            page.goto(address)
            expect(page.locator("h1").first).to_be_visible(timeout=WAIT)
            expect(page.get_by_text("Opleidingsaanbod").first).to_be_visible(timeout=WAIT)

            # the reader half-way down the page stays there: the page is patched in place, not
            # loaded again, into the page the preview serves
            page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
            scrolled = page.evaluate("scrollY")
            assert scrolled > 0
            page.evaluate("window.notReloaded = true")
            sentence = "Deze zin is net toegevoegd om de preview te proberen."
            edit(section, "Meer informatie staat", f"{sentence} Meer informatie staat")
            expect(page.get_by_text(sentence)).to_be_attached(timeout=WAIT)
            page.wait_for_function(f"Math.abs(scrollY - {scrolled}) <= 1", timeout=WAIT)
            assert page.evaluate("window.notReloaded === true")
            assert page.evaluate(SAME_AS_SERVED)

            edit(section, sentence, f"{sentence} {{{{< var no.such.figure >}}}}")
            error = page.locator("#preview-error")
            expect(error).to_be_visible(timeout=WAIT)
            expect(error).to_contain_text("no.such.figure")
            expect(page.get_by_text(sentence)).to_be_visible()  # the last good page stays

            edit(section, " {{< var no.such.figure >}}", "")
            expect(error).to_be_hidden(timeout=WAIT)
            expect(page.get_by_text(sentence)).to_be_attached()
            # an edit renders the watched edition's HTML only; the publication waits
            edition = project.output / str(FIXTURE_YEAR) / "nl"
            assert sentence not in (edition / "report.html").read_text(encoding="utf-8")
            rendered = preview_folder(project, FIXTURE_YEAR, "nl") / "report.html"
            assert sentence in rendered.read_text(encoding="utf-8")

            # PDF and Word when asked: published with the HTML, as build publishes them
            button = page.locator("#preview-formats")
            button.click()
            expect(button).to_contain_text("_output", timeout=WAIT)
            browser.close()
        published = (edition / "report.html").read_text(encoding="utf-8")
        assert sentence in published and "EventSource" not in published
        # the page the preview showed links its figures; the publication embeds the same ones
        assert text_and_figures(edition / "report.html") == text_and_figures(rendered)
        assert sorted(p.suffix for p in edition.iterdir()) == [".docx", ".html", ".pdf"]
        with zipfile.ZipFile(edition / "report.docx") as word:
            assert sentence in word.read("word/document.xml").decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        output = stopped(process)
    assert process.returncode == 0, output
    assert "preview stopped" in output
    with FileLock(project.build / ".lock", timeout=0):
        pass  # not held by anyone
    leftovers = [
        p
        for p in project.build.rglob("*")
        if p.name.startswith((".compute-", "stage-", ".old-")) or ".tmp" in p.name
    ]
    assert leftovers == []
    time.sleep(0.5)
    assert subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True).stdout == b""


def _ignoring_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.slow
def test_ctrl_c_stops_a_preview_started_with_it_ignored(tmp_path_factory) -> None:
    """As a background job of a script is started: with SIGINT ignored, which Python would
    otherwise keep ignoring."""
    project = built_fixture_project(tmp_path_factory, "ignored")
    process, _address = start(project.root, preexec_fn=_ignoring_ctrl_c)
    for line in process.stdout:  # the first build done: the watcher is next
        if "the page follows" in line:
            break
    process.send_signal(signal.SIGINT)
    output = stopped(process)
    assert process.returncode == 0 and "preview stopped" in output, output


def test_a_linked_figure_is_named_by_its_content(tmp_path) -> None:
    (tmp_path / "figures").mkdir()
    chart = tmp_path / "figures" / "chart.svg"
    chart.write_text("<svg>8</svg>", encoding="utf-8")
    page = (
        '<link rel="stylesheet" href="style.css"><a href="#top">top</a>'
        '<img src="figures/chart.svg"><img src="data:image/png;base64,AA==">'
        '<a href="https://example.org/x">x</a>'
    )
    first = versioned_links(page, tmp_path)
    assert 'src="figures/chart.svg?v=' in first
    assert 'href="style.css"' in first  # no such file: left as it is
    for untouched in ('href="#top"', 'src="data:image/png;base64,AA=="', "https://example.org/x"):
        assert untouched in first
    assert versioned_links(page, tmp_path) == first  # unchanged: the same address
    chart.write_text("<svg>9</svg>", encoding="utf-8")
    assert versioned_links(page, tmp_path) != first
