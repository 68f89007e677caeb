"""Folders replaced whole: a reader finds the previous folder or the new one, never a mix."""

from __future__ import annotations

from impactreport import folders


def test_a_swap_points_the_target_at_the_new_folder_and_removes_the_old(tmp_path):
    target = tmp_path / "nl"
    first = folders.beside(target)
    (first / "report.html").write_text("one", encoding="utf-8")
    folders.swap(first, target)
    second = folders.beside(target)
    (second / "report.html").write_text("two", encoding="utf-8")
    folders.swap(second, target)
    assert (target / "report.html").read_text(encoding="utf-8") == "two"
    assert target.is_symlink() and not first.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["nl", second.name])


def test_what_a_killed_run_left_beside_the_target_is_tidied(tmp_path):
    target = tmp_path / "compute"
    live = folders.beside(target)
    folders.swap(live, target)
    left = folders.beside(target)  # a run killed before its swap
    folders.tidy(target)
    assert not left.exists() and live.exists()


def test_a_plain_folder_of_an_older_layout_is_replaced(tmp_path):
    target = tmp_path / "fr"
    target.mkdir()
    (target / "old.html").write_text("old", encoding="utf-8")
    fresh = folders.beside(target)
    folders.swap(fresh, target)
    assert target.is_symlink() and list(target.iterdir()) == []


def test_a_folder_removed_in_the_background_is_gone_at_once_and_deleted_by_the_end(tmp_path):
    old = tmp_path / "old"
    (old / "deep" / "er").mkdir(parents=True)
    (old / "deep" / "er" / "figure.svg").write_text("<svg/>", encoding="utf-8")
    file = tmp_path / "entry.json"
    file.write_text("{}", encoding="utf-8")
    with folders.removing_in_background():
        folders.remove(old)
        folders.remove(file)
        assert not old.exists() and not file.exists()
        old.mkdir()  # its place is free at once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]
    assert list(old.iterdir()) == []
