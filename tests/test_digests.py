"""Digests of files, folders and values, and the library versions every cache key holds."""

from __future__ import annotations

import hashlib
import os
import time

from impactreport import digests


def test_a_file_digest_is_the_sha256_of_its_bytes(tmp_path):
    path = tmp_path / "facts.csv"
    path.write_bytes(b"id,value\nactivity.offices,8\n")
    assert digests.file_digest(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_folder_is_its_files_by_relative_name(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "a.csv").write_text("1", encoding="utf-8")
    (tmp_path / "b.txt").write_text("2", encoding="utf-8")
    found = digests.tree_digests(tmp_path)
    assert sorted(found) == ["b.txt", "tables/a.csv"]
    assert found["b.txt"] == hashlib.sha256(b"2").hexdigest()


def test_a_value_digest_ignores_key_order_but_not_values():
    assert digests.text_digest({"a": 1, "b": 2}) == digests.text_digest({"b": 2, "a": 1})
    assert digests.text_digest({"a": 1}) != digests.text_digest({"a": 2})


def test_a_package_digest_changes_with_any_file_but_not_with_bytecode(tmp_path):
    (tmp_path / "module.py").write_text("x = 1\n", encoding="utf-8")
    before = digests.package_digest(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "module.pyc").write_bytes(b"\0")
    assert digests.package_digest(tmp_path) == before
    (tmp_path / "template.typ").write_text("#set page()\n", encoding="utf-8")
    assert digests.package_digest(tmp_path) != before


def test_the_keyed_libraries_are_the_declared_dependencies_without_the_extras():
    keyed = digests.libraries()
    assert {"pandas", "matplotlib", "typst", "pypandoc-binary", "papermill"} <= set(keyed)
    assert "pytest" not in keyed and "ruff" not in keyed  # the dev extra changes no output
    found = digests.versions()
    assert found["python"].count(".") == 2 and found["pandas"] != "absent"


def test_a_settled_file_is_hashed_once_while_its_status_stays(tmp_path, monkeypatch):
    path = tmp_path / "pay.csv"
    path.write_bytes(b"a,b\n1,2\n")
    settled = os.stat(path).st_mtime_ns + digests.SETTLED_NS + 1
    monkeypatch.setattr(digests.time, "time_ns", lambda: settled)
    first = digests.file_digest(path)
    monkeypatch.setattr(digests.hashlib, "file_digest", None)  # hashing again would fail
    assert digests.file_digest(path) == first


def test_a_file_rewritten_with_its_size_and_time_is_hashed_again(tmp_path, monkeypatch):
    path = tmp_path / "pay.csv"
    path.write_bytes(b"a,b\n1,2\n")
    stamp = os.stat(path)
    settled = stamp.st_mtime_ns + digests.SETTLED_NS + 1
    monkeypatch.setattr(digests.time, "time_ns", lambda: settled)
    first = digests.file_digest(path)  # kept
    time.sleep(0.05)  # past the clock's granularity
    path.write_bytes(b"a,b\n1,3\n")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # its time put back
    assert digests.file_digest(path) == hashlib.sha256(b"a,b\n1,3\n").hexdigest() != first


def test_a_file_just_written_is_not_kept(tmp_path):
    path = tmp_path / "pay.csv"
    path.write_bytes(b"a,b\n1,2\n")
    digests.file_digest(path)
    assert os.path.abspath(path) not in digests._kept
