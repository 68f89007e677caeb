"""The data door at scale: ``check`` on a payroll 10 times 2024's, with this code and with the code
of another revision, in one run; and how soon ``build`` refuses bad records, against ``check``.

    .venv/bin/python benchmarks/check_at_scale.py [--against REVISION] [--runs 3]

Both codes read the same project copy (a git checkout of this one, with the 10 x year as CSV);
the other revision's package is taken with ``git archive`` and put first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from bench import CLI, ROOT, copy_project, median, payroll_as_csv, refused


def check(root: Path, year: int, code: Path | None = None) -> float:
    env = {**os.environ, "IMPACTREPORT_ROOT": str(root)}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    start = time.perf_counter()
    run = subprocess.run(
        [*CLI, "check", "--year", str(year)], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    # the copy's narrative may contradict its facts (they are 2024's): its data must be valid
    if run.returncode not in (0, 2) or f"data/{year}" in run.stderr:
        raise SystemExit(f"check failed ({code or 'this code'}): {run.stderr.strip()[-400:]}")
    return seconds


def package_of(revision: str, target: Path) -> Path:
    """The ``src/`` folder of ``revision``, unpacked in ``target``."""
    archive = target / "src.tar"
    with archive.open("wb") as handle:
        subprocess.run(["git", "archive", revision, "src"], cwd=ROOT, stdout=handle, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "src"


def spoil(root: Path, year: int, how: str) -> None:
    """Bad records that only a rule across tables finds: a team's pay rows gone, or a declared
    total the records do not give."""
    folder = root / "data" / str(year)
    if how == "team":
        pay = folder / "pay.csv"
        lines = pay.read_text(encoding="utf-8").splitlines(keepends=True)
        pay.write_text("".join(x for x in lines if ",support," not in x), encoding="utf-8")
    else:
        with (folder / "facts.csv").open("a", encoding="utf-8") as handle:
            handle.write("workforce.contracts,1,count,,document,Social balance sheet\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="the revision to compare with")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "project").mkdir()
        root = copy_project(Path(tmp) / "project")
        year = payroll_as_csv(root, 10)
        before = package_of(args.against, Path(tmp))
        now, then = [], []
        for _ in range(args.runs):  # interleaved: the machine's load falls on both alike
            now.append(check(root, year))
            then.append(check(root, year, before))
        ratios = {}
        for how in ("team", "total"):
            with tempfile.TemporaryDirectory() as spoiled:
                copy = copy_project(Path(spoiled))
                bad_year = payroll_as_csv(copy, 10)
                spoil(copy, bad_year, how)
                command = [*CLI, "check", "--year", str(bad_year)]
                checked = median([refused(command, copy) for _ in range(args.runs)])
                command = [*CLI, "build", "--year", str(bad_year)]
                built = median([refused(command, copy) for _ in range(args.runs)])
                ratios[how] = (checked, built)
    print(f"check, payroll 10x as CSV, this code            {median(now):7.2f}s")
    print(f"check, payroll 10x as CSV, {args.against:<20} {median(then):7.2f}s")
    print(f"  ratio (this / {args.against}, at most 1)          {median(now) / median(then):7.2f}")
    for how, name in (("team", "a team's pay rows gone"), ("total", "a declared total wrong")):
        checked, built = ratios[how]
        print(
            f"{name}: check {checked:.2f}s, build refuses in {built:.2f}s, "
            f"ratio {built / checked:.2f} (at most 1.2)"
        )


if __name__ == "__main__":
    main()
