"""The project's paths: its sources, its years, and what a year is."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from watchfiles import watch

from impactreport.commands.preview import relevant, watched_paths
from impactreport.errors import ConfigError
from impactreport.paths import Project, four_digit_year, is_year

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024", True), (2024, True), ("0999", True), ("202", False), ("20245", False),
     ("２０２４", False), ("2024 ", False), ("last", False)],
)  # fmt: skip
def test_a_year_is_four_ascii_digits(value, expected):
    assert is_year(value) is expected


def test_a_year_of_other_length_is_refused_with_where_it_was_given():
    assert four_digit_year(2024) == 2024
    with pytest.raises(ConfigError, match=r"^--year: 20245 is not a four-digit year$"):
        four_digit_year(20245, named="--year:")


def test_the_sources_are_the_configuration_documents_and_folders_not_the_data():
    names = [p.name for p in Project(ROOT).sources()]
    assert {"_quarto.yml", "_quarto-nl.yml", "_quarto-fr.yml", "report.qmd", "rapport.qmd"} <= set(
        names
    )
    assert {"sections", "templates", "filters", "scripts", "notebooks"} <= set(names)
    assert "data" not in names


def test_years_are_the_data_folders_named_by_a_year(tmp_path):
    for name in ("2023", "2024", "reference", "20245"):
        (tmp_path / "data" / name).mkdir(parents=True)
    assert Project(tmp_path).years() == [2023, 2024]


def test_the_preview_refreshes_when_a_lua_filter_is_edited(tmp_path):
    """The watcher the preview runs sees an edit under filters/: the rebuild follows it."""
    (tmp_path / "_quarto.yml").write_text("project: {}\n", encoding="utf-8")
    for name in ("sections", "filters", "data"):
        (tmp_path / name).mkdir()
    lua = tmp_path / "filters" / "narrow.lua"
    lua.write_text("-- before\n", encoding="utf-8")
    project = Project(tmp_path)
    assert project.root / "filters" in watched_paths(project)

    stop = threading.Event()
    seen: list[set] = []

    def listen():
        for changes in watch(*watched_paths(project), watch_filter=relevant, stop_event=stop):
            seen.append({Path(p) for _, p in changes})
            stop.set()

    listener = threading.Thread(target=listen)
    listener.start()
    try:
        for _ in range(50):  # until the watcher is set up and sees the edit, at most 10 s
            lua.write_text(f"-- after {_}\n", encoding="utf-8")
            if stop.wait(0.2):
                break
    finally:
        stop.set()
        listener.join(timeout=10)
    assert seen and lua in seen[0]
