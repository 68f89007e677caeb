"""The keys of an assembled compute build: current only when signed with the same key, whole,
and of this version; the key moves with a notebook's entry and with what the door admitted."""

from __future__ import annotations

from pathlib import Path

from impactreport.analysis import results
from impactreport.inputs import door
from impactreport.paths import Project
from impactreport.pipeline import compute_keys
from impactreport.pipeline.plan import Plan, entry_folder

YEAR = 2024


def signed(build: Path, key: str, *, outputs: bool = True, package: bool = True) -> Path:
    build.mkdir(parents=True, exist_ok=True)
    (build / compute_keys.BUILD_KEY).write_text(key, encoding="utf-8")
    if outputs:
        (build / compute_keys.OUTPUTS_KEY).write_text("outputs", encoding="utf-8")
    if package:
        (build / results.NAME).write_text("{}", encoding="utf-8")
    return build


def test_a_build_is_current_only_signed_with_the_same_key_and_whole(tmp_path: Path) -> None:
    assert not compute_keys.current(tmp_path / "none", "key")
    assert compute_keys.current(signed(tmp_path / "a", "key"), "key")
    assert not compute_keys.current(signed(tmp_path / "b", "key"), "other key")
    # assembled by an earlier version: no outputs key, or no results package
    assert not compute_keys.current(signed(tmp_path / "c", "key", outputs=False), "key")
    assert not compute_keys.current(signed(tmp_path / "d", "key", package=False), "key")


def test_the_build_key_follows_each_entry_and_the_doors_copy(tmp_path: Path) -> None:
    project = Project(tmp_path)
    item = Plan(project.notebooks / "01-workforce.ipynb", {"notebook": "n"}, None)
    plans = [item]
    none = compute_keys.build_key(project, YEAR, plans)
    entry = entry_folder(project, YEAR, item.notebook) / "entry.json"
    entry.parent.mkdir(parents=True)
    entry.write_text('{"reads": {"data/2024/facts.csv": "1"}}', encoding="utf-8")
    first = compute_keys.build_key(project, YEAR, plans)
    assert first != none
    assert compute_keys.build_key(project, YEAR, plans) == first  # a key, not a moment
    entry.write_text('{"reads": {"data/2024/facts.csv": "2"}}', encoding="utf-8")
    second = compute_keys.build_key(project, YEAR, plans)
    assert second != first
    manifest = door.folder(project, YEAR) / door.MANIFEST
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"key": "an input changed"}', encoding="utf-8")
    assert compute_keys.build_key(project, YEAR, plans) != second
    moved = Plan(item.notebook, {"notebook": "edited"}, None)
    assert compute_keys.build_key(project, YEAR, [moved]) != compute_keys.build_key(
        project, YEAR, plans
    )
