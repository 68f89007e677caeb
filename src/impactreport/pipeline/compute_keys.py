"""The keys of an assembled compute build: whether it is current, and what the editions read.

The build key covers every notebook's key and the content of its cache entry, and what the
package writes without a notebook depends on; the outputs key covers only the files the results
package names, so a notebook run again with the same results renders nothing.
"""

from __future__ import annotations

from pathlib import Path

from impactreport import digests
from impactreport.analysis import results
from impactreport.paths import Project
from impactreport.pipeline import cache, keys
from impactreport.pipeline.plan import Plan, entry_folder

BUILD_KEY = "build-key.txt"
# what the editions read from a build (the files its results package names), for the render
# key: a notebook run again with the same results (an input changed and changed back, a comment
# in a module) renders nothing
OUTPUTS_KEY = "outputs-key.txt"


def build_key(project: Project, year: int, plans: list[Plan]) -> str:
    """The key of a whole build: every notebook's key and the content of its cache entry, and
    what the facts passed without a notebook depend on."""

    def entry_text(item: Plan) -> str:
        try:
            return (entry_folder(project, year, item.notebook) / cache.ENTRY).read_text(
                encoding="utf-8"
            )
        except OSError:
            return "none"

    entries = [(p.name, p.key, entry_text(p)) for p in plans]
    return digests.text_digest(entries, passed_key(project, year))


def passed_key(project: Project, year: int) -> str:
    """What the package writes without a notebook depends on, by rule: the door's copy (its
    manifest is the key of every input, the reference and the validation code) and the package's
    code (the passed facts, the conditions, the status and the results package are assembled by
    several stages; an assembly is quick, and a render follows only when a result changed), and
    what an approved year's status compares with the approval (the text, the lock)."""
    from impactreport.inputs import door
    from impactreport.pipeline import approval

    try:
        manifest = (door.folder(project, year) / door.MANIFEST).read_text(encoding="utf-8")
    except OSError:
        manifest = "none"
    return digests.text_digest(
        manifest, digests.package_digest(keys.PACKAGE), approval.key(project, year)
    )


def outputs_key(build: Path) -> str:
    """The files the results package names, all the editions read of a build (not the executed
    notebooks, whose run times differ at every run)."""
    files = {
        str(p.relative_to(build)): digests.file_digest(p) for p in results.Results(build).files()
    }
    return digests.text_digest(files)


def write(build: Path, key: str) -> None:
    """Sign an assembled build with its key and its outputs' key."""
    (build / BUILD_KEY).write_text(key, encoding="utf-8")
    (build / OUTPUTS_KEY).write_text(outputs_key(build), encoding="utf-8")


def current(build: Path, key: str) -> bool:
    try:
        same = (build / BUILD_KEY).read_text(encoding="utf-8") == key
    except OSError:
        return False
    # else assembled by an earlier version
    return same and (build / OUTPUTS_KEY).is_file() and (build / results.NAME).is_file()
