"""Build-time benchmark: every figure measured in one run, on this machine, as medians.

    .venv/bin/python benchmarks/bench.py [--runs 3]

Works on a copy of the project in a temporary folder (the working build is never touched) and
prints the table and the ratios the project steers by.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2024
CLI = [sys.executable, "-m", "impactreport"]
PAYROLL = """
import resource, sys, time
from pathlib import Path
from impactreport.analysis import workforce
from impactreport.inputs import load as inputs
from impactreport.paths import Project
start = time.perf_counter()
payroll = inputs.load_payroll(Project(Path(sys.argv[1])), int(sys.argv[2]))
workforce.indicators(payroll, int(sys.argv[2]))
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def copy_project(target: Path) -> Path:
    for name in ("_quarto.yml", "data", "notebooks", "sections", "templates"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / name)
    for source in [*ROOT.glob("_quarto-*.yml"), *ROOT.glob("*.qmd")]:
        shutil.copyfile(source, target / source.name)
    # a git checkout, as analysts work in: its state must not make a rebuild do anything
    (target / ".gitignore").write_text("_build/\n_output/\n", encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run([*git, *args], cwd=target, check=True)
    return target


def timed(command: list[str], root: Path) -> float:
    env = {**os.environ, "IMPACTREPORT_ROOT": str(root)}
    start = time.perf_counter()
    subprocess.run(
        command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def build(root: Path, *extra: str) -> float:
    return timed([*CLI, "build", "--year", str(YEAR), *extra], root)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def clean_build(root: Path) -> float:
    shutil.rmtree(root / "_build", ignore_errors=True)
    shutil.rmtree(root / "_output", ignore_errors=True)
    return build(root)


def edit_narrative(root: Path, run: int) -> float:
    section = root / "sections" / "nl" / "_03-activiteit.qmd"
    section.write_text(
        section.read_text(encoding="utf-8") + f"\nNog een zin ({'x' * run}).\n", encoding="utf-8"
    )
    return build(root)


def edit_data(root: Path, run: int) -> float:
    publications = root / "data" / str(YEAR) / "publications.csv"
    with publications.open("a", encoding="utf-8") as handle:
        handle.write(f"Titel {'x' * run},Auteur\n")
    return build(root)


def floor(root: Path) -> float:
    """Rendering the finished documents alone (pandoc and typst, every format the build writes)
    plus the slowest notebook alone."""
    code = f"""
import time, shutil, sys
from pathlib import Path
from impactreport.analysis import editions
from impactreport.pipeline import build
from impactreport.publishing import prepare, provenance
from impactreport.inputs.load import load_reference
from impactreport.paths import Project
from impactreport.publishing.render import render_project
project = Project(Path({str(root)!r}))
total = 0.0
for lang in editions.languages(project):
    folder = build.stage(project, {YEAR}, lang)
    prepare.write(folder, project.year_build({YEAR}) / "compute", editions.load(project, lang),
                  load_reference(project), {YEAR},
                  provenance.describe(project.year_build({YEAR}) / "compute", {YEAR}, "bench"))
    start = time.perf_counter()
    render_project(folder, lang, folder / "_out", build.FORMATS)
    total += time.perf_counter() - start
    shutil.rmtree(folder)
print(total)
"""
    env = {**os.environ, "IMPACTREPORT_ROOT": str(root)}
    render = float(
        subprocess.run(
            [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    slowest = max(
        timed(
            [
                sys.executable,
                "-m",
                "papermill",
                "-k",
                "python3",
                "--cwd",
                str(root / "notebooks"),
                str(nb),
                str(root / "_build" / f"floor-{nb.name}"),
            ],
            root,
        )
        for nb in sorted((root / "notebooks").glob("*.ipynb"))
    )
    return render + slowest


def payroll(root: Path, factor: int) -> tuple[float, int]:
    """Load, validate and compute the payroll indicators at ``factor`` times the 2024 volume."""
    import pandas as pd

    # 28 years on, the calendar repeats (leap days and weekdays): the shifted data stays valid
    year = YEAR if factor == 1 else YEAR + 28
    if factor > 1 and not (root / "data" / str(year)).exists():
        folder = root / "data" / str(year)
        folder.mkdir(exist_ok=True)
        for name in ("persons", "contracts", "pay"):
            frame = pd.read_parquet(root / "data" / str(YEAR) / f"{name}.parquet")
            copies = []
            for k in range(factor):
                copy = frame.copy()
                for column in ("person_id", "contract_id"):
                    if column in copy:
                        copy[column] = copy[column] + f"-{k}"
                for column in ("start_date", "end_date", "month"):
                    if column in copy:
                        copy[column] = copy[column] + pd.DateOffset(years=year - YEAR)
                copies.append(copy)
            pd.concat(copies, ignore_index=True).to_parquet(folder / f"{name}.parquet", index=False)
    run = subprocess.run(
        [sys.executable, "-c", PAYROLL, str(root), str(year)], capture_output=True, text=True
    )
    if run.returncode != 0:
        raise SystemExit(f"payroll at {factor}x failed: {run.stderr.strip().splitlines()[-1]}")
    seconds, peak = run.stdout.split()
    return float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per measurement (median is shown)"
    )
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        results = {
            "clean build (all editions: HTML, PDF, Word)": median(
                [clean_build(root) for _ in range(runs)]
            ),
            "rebuild, nothing changed": median([build(root) for _ in range(runs)]),
            "rebuild after editing one narrative section": median(
                [edit_narrative(root, k) for k in range(runs)]
            ),
            "rebuild after changing one data file": median(
                [edit_data(root, k) for k in range(runs)]
            ),
            "floor: render alone + slowest notebook alone": median(
                [floor(root) for _ in range(runs)]
            ),
        }
        scale = {factor: [payroll(root, factor) for _ in range(runs)] for factor in (1, 10)}

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {runs} runs each"
    )
    print(f"{'measurement':<52} {'median':>10}")
    for name, seconds in results.items():
        print(f"{name:<52} {seconds:>9.2f}s")
    for factor, samples in scale.items():
        seconds = median([s for s, _ in samples])
        peak = max(p for _, p in samples) / 2**30
        print(
            f"{f'payroll indicators at {factor}x volume':<52} {seconds:>9.2f}s  peak {peak:.2f} GiB"
        )

    floor_s = results["floor: render alone + slowest notebook alone"]
    checks = [
        ("no-change rebuild under 1 s", results["rebuild, nothing changed"], 1.0, "s"),
        (
            "narrative-only rebuild / floor at most 1,5",
            results["rebuild after editing one narrative section"] / floor_s,
            1.5,
            "x",
        ),
        (
            "clean build / floor at most 2",
            results["clean build (all editions: HTML, PDF, Word)"] / floor_s,
            2.0,
            "x",
        ),
        ("payroll 1x under 2 s", median([s for s, _ in scale[1]]), 2.0, "s"),
        ("payroll 10x under 15 s", median([s for s, _ in scale[10]]), 15.0, "s"),
        ("payroll 10x peak memory under 2 GiB", max(p for _, p in scale[10]) / 2**30, 2.0, "GiB"),
    ]
    print()
    for name, value, limit, unit in checks:
        print(f"{'holds' if value <= limit else 'FAILS':<6} {name}: {value:.2f} {unit}")


if __name__ == "__main__":
    main()
