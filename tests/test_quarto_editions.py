"""Whatever Quarto command an analyst types, an edition is published whole, in its own language,
or not at all, and the checkout stays clean.

One fresh clone, the analyst's PATH (Quarto, ``python3``, nothing activated): a full render of
the Dutch edition (the real-Quarto tests' first command, made once per run: a copy of that clone
goes on here), then the commands a Quarto user types on day one, each run once
(``quarto_commands``); the tests read what each did.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from impactreport import digests
from support.quarto import clone_rendered_in_dutch, need_quarto

CALLOUT = "::: {.callout-note}\nEen opmerking.\n:::\n"
CHAPTER = "sections/nl/_03-activiteit.qmd"


@dataclass
class Run:
    code: int
    output: str

    @property
    def errors(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith("error:")]


@dataclass
class Commands:
    root: Path
    runs: dict[str, Run] = field(default_factory=dict)
    after: dict[str, dict[str, str]] = field(default_factory=dict)  # edition files after each
    preview_page: str = ""
    status: str = ""


def _digests(root: Path) -> dict[str, str]:
    """The published editions' files (``_output/2024/<lang>``, not the folders swapped in)."""
    year = root / "_output" / "2024"
    editions = [e for e in year.iterdir() if not e.name.startswith(".")] if year.is_dir() else []
    return {
        f"2024/{edition.name}/{file.name}": digests.file_digest(file)
        for edition in editions
        for file in sorted(edition.iterdir())
    }


@pytest.fixture(scope="module")
def quarto_commands(tmp_path_factory) -> Commands:
    need_quarto()
    # the full render of the Dutch edition in a fresh clone is the real-Quarto tests' first
    # command too: made once, continued here in a copy
    dutch = clone_rendered_in_dutch(
        tmp_path_factory, tmp_path_factory.mktemp("quarto-editions") / "clone"
    )
    root = dutch.root
    env = {**dutch.env, "IMPACTREPORT_YEAR": "2024"}
    done = Commands(root)
    done.runs["full"] = Run(0, dutch.output)
    done.after["full"] = _digests(root)

    def run(name: str, command: list[str]) -> None:
        finished = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        done.runs[name] = Run(finished.returncode, finished.stdout + finished.stderr)
        done.after[name] = _digests(root)

    run("html only", ["quarto", "render", "--profile", "nl", "--to", "html"])
    run("two profiles", ["quarto", "render", "--profile", "nl,fr", "--to", "html"])
    run("loose document", ["quarto", "render", "rapport.qmd"])
    run("pdf", ["quarto", "render", "--profile", "nl", "--to", "pdf"])
    chapter = root / CHAPTER
    original = chapter.read_text(encoding="utf-8")
    chapter.write_text(f"{CALLOUT}\n{original}", encoding="utf-8")
    impactreport = str(Path(sys.executable).with_name("impactreport"))
    run("callout: quarto", ["quarto", "render", "--profile", "nl"])
    run("callout: check", [impactreport, "check", "--year", "2024"])
    run("callout: built-in", [impactreport, "render", "--year", "2024", "--lang", "nl"])
    chapter.write_text(original, encoding="utf-8")
    done.preview_page = _preview(root, env)
    done.after["preview"] = _digests(root)
    done.status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    return done


def _preview(root: Path, env: dict[str, str]) -> str:
    """``quarto preview --profile fr``: the page at the address it prints."""
    preview = subprocess.Popen(
        ["quarto", "preview", "--profile", "fr", "--no-browse"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline, address = time.monotonic() + 240, None
        for line in preview.stdout:
            found = re.search(r"Browse at \S*?(http://\S+?)(?:\x1b|\s|$)", line)
            address = address or (found and found[1])
            if address and "Listening on" in line:  # printed once the server answers
                return _page(address)
            if time.monotonic() > deadline:
                break
        return ""
    finally:
        os.killpg(preview.pid, signal.SIGTERM)
        preview.wait(timeout=30)


def _page(address: str) -> str:
    """The page at ``address``, after an HTML refresh to another page if it holds one."""
    with urllib.request.urlopen(address, timeout=30) as answer:
        page = answer.read().decode("utf-8")
    refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page)
    return _page(urllib.parse.urljoin(address, refresh[1])) if refresh else page


@pytest.mark.slow
def test_a_single_format_render_updates_it_and_keeps_the_others(quarto_commands) -> None:
    full, html = quarto_commands.after["full"], quarto_commands.after["html only"]
    assert quarto_commands.runs["html only"].code == 0, quarto_commands.runs["html only"].output
    edition = ["2024/nl/report.docx", "2024/nl/report.html", "2024/nl/report.pdf"]
    assert sorted(html) == sorted(full) == edition
    assert html["2024/nl/report.pdf"] == full["2024/nl/report.pdf"]
    assert html["2024/nl/report.docx"] == full["2024/nl/report.docx"]
    assert "published" in quarto_commands.runs["html only"].output


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("two profiles", "render one edition at a time: quarto render --profile nl, then"),
        (
            "loose document",
            "rapport.qmd is rendered only as its edition: quarto render --profile fr",
        ),
        ("pdf", "the report's PDF is the typst format: quarto render --profile nl --to typst"),
    ],
)
def test_a_command_that_would_publish_a_wrong_edition_is_refused_in_one_line(
    quarto_commands, name, says
) -> None:
    run = quarto_commands.runs[name]
    assert run.code != 0 and len(run.errors) == 1 and says in run.errors[0], run.output[-2000:]
    assert quarto_commands.after[name] == quarto_commands.after["html only"]  # nothing published


@pytest.mark.slow
def test_a_callout_is_refused_in_the_same_words_on_every_route(quarto_commands) -> None:
    line = (
        f"{CHAPTER}:1: callout: callout ::: {{.callout-note}}: the built-in renderer has no "
        "callouts; write a paragraph (see docs/quarto-subset.md)"
    )
    for route in ("callout: quarto", "callout: check", "callout: built-in"):
        run = quarto_commands.runs[route]
        assert run.code != 0 and line in run.output, f"{route}:\n{run.output[-2000:]}"
    assert quarto_commands.after["callout: quarto"] == quarto_commands.after["html only"]


@pytest.mark.slow
def test_the_preview_serves_its_edition_at_the_address_it_prints(quarto_commands) -> None:
    page = quarto_commands.preview_page
    assert '<html lang="fr-BE"' in page, page[:500]
    after = quarto_commands.after["preview"]
    assert all(name.startswith("2024/fr/rapport.") for name in after if "/fr/" in name)
    dutch = {k: v for k, v in after.items() if "/nl/" in k}
    assert dutch == quarto_commands.after["html only"]


@pytest.mark.slow
def test_no_command_leaves_anything_in_the_checkout(quarto_commands) -> None:
    assert quarto_commands.status == "", quarto_commands.status
