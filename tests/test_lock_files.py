"""The environment is locked: the README installs the lock files, which hold every dependency of
pyproject.toml at one version within its range, with hashes, the same in both files."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)==(?P<version>[^\s;\\]+)\s*(?:;(?P<marker>[^\\]*))?")


def locked(name: str) -> dict[str, list[tuple[str, str]]]:
    """Each package of a lock file: its versions with their markers (a version per Python)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            pins = found.setdefault(canonicalize_name(match["name"]), [])
            pins.append((match["version"], (match["marker"] or "").strip()))
    return found


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```", 2)[1]
    return [line for line in block.splitlines()[1:] if line.strip() and not line.startswith("#")]


def test_the_readme_installs_the_locked_versions_then_the_project_alone():
    build, tests = readme_commands()
    assert "pip install -q --no-deps --require-hashes -r requirements.lock" in build
    assert "pip install -q --no-deps --require-hashes -r requirements-dev.lock" in tests
    for command in (build, tests):
        assert re.search(r"pip install -q --no-deps -e ", command), command


def test_every_dependency_is_locked_within_its_range_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for lock, wanted in (
        ("requirements.lock", project["dependencies"]),
        (
            "requirements-dev.lock",
            project["dependencies"] + project["optional-dependencies"]["dev"],
        ),
    ):
        pins = locked(lock)
        for requirement in map(Requirement, wanted):
            versions = pins.get(canonicalize_name(requirement.name))
            assert versions, f"{lock}: {requirement.name} is not locked"
            for version, _marker in versions:
                assert requirement.specifier.contains(version, prereleases=True), (lock, version)
        lines = (ROOT / lock).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if PIN.match(line):
                assert line.endswith("\\") and "--hash=sha256:" in lines[number + 1], line


def test_the_two_lock_files_agree_on_every_package_they_share():
    build, tests = locked("requirements.lock"), locked("requirements-dev.lock")
    assert build.keys() <= tests.keys()

    def versions(pins):
        return {name: sorted(v for v, _marker in pins[name]) for name in build}

    assert versions(build) == versions(tests)


def expected(lock: str) -> dict[str, str]:
    """The versions a lock file installs on this machine: each package whose marker holds."""
    from packaging.markers import Marker

    return {
        name: version
        for name, pins in locked(lock).items()
        for version, marker in pins
        if not marker or Marker(marker).evaluate()
    }


def test_the_environment_running_the_tests_is_the_locked_one():
    """Set up with the README's second command, the environment holds exactly the versions of
    requirements-dev.lock (the project itself aside)."""
    from importlib import metadata

    installed = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in metadata.distributions()
        if canonicalize_name(d.metadata["Name"]) != "impactreport"
    }
    for own in ("pip", "setuptools"):  # what `python -m venv` puts in every environment
        installed.pop(own, None)
    assert installed == expected("requirements-dev.lock")
