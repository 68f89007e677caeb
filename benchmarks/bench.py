"""Build-time benchmark: every figure measured in one run, on this machine, as medians.

    .venv/bin/python benchmarks/bench.py [--runs 3]

Works on a copy of the project in a temporary folder (the working build is never touched) and
prints the table and the ratios the project steers by. The preview is measured as an analyst sees
it: in the system's Chromium (``/usr/bin/chromium``, driven by Playwright), from saving a file to
the changed text in the page.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from impactreport.paths import Project

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2024
CLI = [sys.executable, "-m", "impactreport"]


def copy_project(target: Path) -> Path:
    for source in [*Project(ROOT).sources(), ROOT / "data"]:
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / source.name)
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


def floor(root: Path) -> tuple[float, float, float]:
    """Rendering the finished documents alone (pandoc and typst, every format the build writes)
    plus the slowest notebook alone; the render alone of the edited edition (nl); and of its
    HTML alone."""
    code = f"""
import json, time, shutil, sys
from pathlib import Path
from impactreport import config
from impactreport.analysis import editions
from impactreport.analysis.results import Results
from impactreport.pipeline import build
from impactreport.publishing import prepare, provenance
from impactreport.paths import Project
from impactreport.publishing.render import render_project
project = Project(Path({str(root)!r}))
results = Results(project.year_build({YEAR}) / "compute")
seconds = {{}}
for lang in config.languages(project):
    folder = build.stage(project, {YEAR}, lang)
    prepare.write(folder, results, editions.load(project, lang), {YEAR},
                  provenance.describe(results, {YEAR}, "bench"))
    start = time.perf_counter()
    render_project(folder, lang, folder / "_out", build.FORMATS)
    seconds[lang] = time.perf_counter() - start
    if lang == "nl":
        start = time.perf_counter()
        render_project(folder, lang, folder / "_html", ("html",))
        seconds["nl-html"] = time.perf_counter() - start
    shutil.rmtree(folder)
print(json.dumps(seconds))
"""
    env = {**os.environ, "IMPACTREPORT_ROOT": str(root)}
    render = json.loads(
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
    html = render.pop("nl-html")
    return sum(render.values()) + slowest, render["nl"], html


PREVIEW_SECTION = "sections/nl/_03-activiteit.qmd"
LOANS = "loans.projects_year,"


def in_page(page, text: str, timeout: float = 120.0) -> float:
    """The moment ``text`` is in the page's DOM, polled every 10 ms across reloads."""
    script = f"document.body !== null && document.body.textContent.includes({json.dumps(text)})"
    limit = time.perf_counter() + timeout
    while time.perf_counter() < limit:
        try:
            if page.evaluate(script):
                return time.perf_counter()
        except Exception:  # the page is reloading: its context went away under the call
            pass
        time.sleep(0.01)
    raise SystemExit(f"preview: {text!r} not in the page after {timeout:.0f} s")


def add_sentence(root: Path, run: int) -> str:
    words = f"Zin {run} die de preview meet."
    section = root / PREVIEW_SECTION
    section.write_text(section.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")
    return words


def one_more_loan(root: Path) -> str:
    """One more project financed in the year's facts: two notebooks run again (the loans, whose
    chart draws it, and the trends, which read every fact), and compute checks the conditions."""
    facts = root / "data" / str(YEAR) / "facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    [at] = [i for i, line in enumerate(lines) if line.startswith(LOANS)]
    fields = lines[at].split(",")
    fields[1] = str(int(fields[1]) + 1)
    lines[at] = ",".join(fields)
    facts.write_text("".join(lines), encoding="utf-8")
    return f"ondersteunde Smart {fields[1]} projecten"


def html_floor(root: Path) -> float:
    """Seconds to render the nl edition's HTML alone from its prepared sources (pandoc only),
    measured here, in this process, between two of the preview's edits: the same minute's load."""
    from impactreport.analysis import editions
    from impactreport.analysis.results import Results
    from impactreport.paths import Project
    from impactreport.pipeline import build as build_step
    from impactreport.publishing import prepare, provenance
    from impactreport.publishing.render import render_project

    project = Project(root)
    results = Results(project.year_build(YEAR) / "compute")
    folder = build_step.stage(project, YEAR, "nl")
    try:
        facts = provenance.describe(results, YEAR, "bench")
        prepare.write(folder, results, editions.load(project, "nl"), YEAR, facts)
        start = time.perf_counter()
        render_project(folder, "nl", folder / "_html", ("html",))
        return time.perf_counter() - start
    finally:
        shutil.rmtree(folder)


def preview_edits(root: Path, runs: int) -> dict[str, float]:
    """Seconds from saving a file to the changed text in the served page (Chromium): a sentence
    and a fact, medians of ``runs`` edits each, and the first fact (the kernels started ahead);
    beside them the nl edition's HTML render floor, measured after each sentence (paired)."""
    from playwright.sync_api import sync_playwright

    saved = {
        name: (root / name).read_bytes() for name in (PREVIEW_SECTION, f"data/{YEAR}/facts.csv")
    }
    env = {**os.environ, "IMPACTREPORT_ROOT": str(root)}
    process = subprocess.Popen(
        [*CLI, "preview", "--year", str(YEAR), "--lang", "nl"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        address = next(
            line.split(" at ")[1].split()[0] for line in process.stdout if " at http" in line
        )
        ready = threading.Event()

        def drain() -> None:  # so that it never waits on a full pipe
            for line in process.stdout:
                if "kernels ready" in line:
                    ready.set()

        threading.Thread(target=drain, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox"],
            )
            page = browser.new_page()
            page.goto(address)
            in_page(page, "kantoren")
            ready.wait(timeout=300)  # the kernels started ahead, as after a minute's reading

            def measured(edit) -> float:
                time.sleep(1.0)  # the preview idle, as between two saves
                start = time.perf_counter()
                text = edit()
                return in_page(page, text) - start

            first_fact = measured(lambda: one_more_loan(root))
            facts = [measured(lambda: one_more_loan(root)) for _ in range(runs)]
            sentences, floors = [], []
            for k in range(runs):
                sentences.append(measured(lambda k=k: add_sentence(root, k)))
                floors.append(html_floor(root))
            browser.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        for name, content in saved.items():
            (root / name).write_bytes(content)
    return {
        "preview: a sentence in the page": median(sentences),
        "preview: a fact in the page (two notebooks, warm kernels)": median(facts),
        "preview: the first fact in the page": first_fact,
        "floor: one edition's HTML alone (nl), beside the sentences": median(floors),
    }


def spoil_a_fact(root: Path) -> None:
    """One bad cell in the year's facts: what ``check`` and ``build`` must both refuse."""
    facts = root / "data" / str(YEAR) / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("activity.offices,8,", "activity.offices,many,", 1), "utf-8")


def refused(command: list[str], root: Path) -> float:
    """Seconds until ``command`` refuses the spoiled data (it must fail, with exit code 2)."""
    env = {**os.environ, "IMPACTREPORT_ROOT": str(root)}
    start = time.perf_counter()
    run = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    if run.returncode != 2:
        raise SystemExit(f"{' '.join(command[2:])} on bad data exited {run.returncode}, not 2")
    return seconds


def bad_data(root: Path, runs: int) -> tuple[float, float]:
    """``check`` and ``build`` on the same bad fact, in a copy of their own."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = copy_project(Path(tmp))
        spoil_a_fact(copy)
        check = median([refused([*CLI, "check", "--year", str(YEAR)], copy) for _ in range(runs)])
        build = median([refused([*CLI, "build", "--year", str(YEAR)], copy) for _ in range(runs)])
    return check, build


def payroll_as_csv(root: Path, factor: int) -> int:
    """A year holding ``factor`` times the 2024 payroll as CSV exports, and the year's facts.

    Rows are copied with new ids; dates move on by a multiple of 28 years, after which the
    calendar repeats (leap days and weekdays), so the copy stays valid."""
    import pandas as pd

    year = YEAR + 28 * (2 if factor > 1 else 1)
    folder = root / "data" / str(year)
    if folder.exists():
        return year
    folder.mkdir()
    source = root / "data" / str(YEAR)
    for name in ("persons", "contracts", "pay"):
        frame = pd.read_parquet(source / f"{name}.parquet")
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
        pd.concat(copies, ignore_index=True).to_csv(
            folder / f"{name}.csv", index=False, date_format="%Y-%m-%d", lineterminator="\n"
        )
    # the payroll figures declared as facts are those of 2024: the copy declares none of the
    # figures the catalogue computes from records
    with (root / "data" / "reference" / "indicators.csv").open(encoding="utf-8") as handle:
        computed = {row["id"] for row in csv.DictReader(handle) if row["origin"] == "records"}
    facts = (source / "facts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in facts if line.split(",", 1)[0] not in computed]
    (folder / "facts.csv").write_text("".join(kept), encoding="utf-8")
    shutil.copyfile(source / "publications.csv", folder / "publications.csv")
    return year


def resident(pid: int) -> int:
    """Bytes resident in memory for ``pid`` and every process below it, summed."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def build_at_scale(root: Path, factor: int) -> tuple[float, int]:
    """The whole build of a year whose payroll is ``factor`` times 2024, given as CSV: seconds,
    and the peak of memory resident in all its processes together (sampled every 50 ms)."""
    year = payroll_as_csv(root, factor)
    shutil.rmtree(root / "_build" / str(year), ignore_errors=True)
    shutil.rmtree(root / "_build" / "cache" / str(year), ignore_errors=True)
    env = {**os.environ, "IMPACTREPORT_ROOT": str(root)}
    start = time.perf_counter()
    process = subprocess.Popen(
        [*CLI, "build", "--year", str(year)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, resident(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"build at {factor}x failed: {process.stderr.read().strip()[-500:]}")
    return seconds, peak


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
        }
        results.update(preview_edits(root, max(runs, 5)))
        floors = [floor(root) for _ in range(runs)]
        results["floor: render alone + slowest notebook alone"] = median([f[0] for f in floors])
        results["floor: one edition's render alone (nl)"] = median([f[1] for f in floors])
        results["floor: one edition's HTML alone (nl)"] = median([f[2] for f in floors])
        scale = {factor: [build_at_scale(root, factor) for _ in range(runs)] for factor in (1, 10)}
        check_bad, build_bad = bad_data(root, runs)

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
            f"{f'whole build, payroll {factor}x as CSV':<52} {seconds:>9.2f}s  peak {peak:.2f} GiB"
        )
    print(f"{'check, one bad fact':<52} {check_bad:>9.2f}s")
    print(f"{'build, one bad fact':<52} {build_bad:>9.2f}s")

    floor_s = results["floor: render alone + slowest notebook alone"]
    # the targets of the issue: printed as measured, never asserted (timings vary by machine)
    checks = [
        ("no-change rebuild under 0,5 s wall", results["rebuild, nothing changed"], 0.5, "s"),
        (
            "narrative-only rebuild / one edition's render floor at most 1,5",
            results["rebuild after editing one narrative section"]
            / results["floor: one edition's render alone (nl)"],
            1.5,
            "x",
        ),
        (
            "clean build / floor at most 1,5",
            results["clean build (all editions: HTML, PDF, Word)"] / floor_s,
            1.5,
            "x",
        ),
        (
            "preview: a sentence in the page within 0,5 s",
            results["preview: a sentence in the page"],
            0.5,
            "s",
        ),
        (
            "preview: a sentence / one edition's HTML floor at most 1,5",
            results["preview: a sentence in the page"]
            / results["floor: one edition's HTML alone (nl), beside the sentences"],
            1.5,
            "x",
        ),
        (
            "preview: a fact in the page within 2 s",
            results["preview: a fact in the page (two notebooks, warm kernels)"],
            2.0,
            "s",
        ),
        ("build with bad data / check at most 1,2", build_bad / check_bad, 1.2, "x"),
        (
            "whole build, payroll 10x as CSV, under 30 s",
            median([s for s, _ in scale[10]]),
            30.0,
            "s",
        ),
        (
            "whole build, payroll 10x as CSV, peak memory under 2 GiB",
            max(p for _, p in scale[10]) / 2**30,
            2.0,
            "GiB",
        ),
    ]
    print()
    for name, value, limit, unit in checks:
        print(f"{'holds' if value <= limit else 'FAILS':<6} {name}: {value:.2f} {unit}")


if __name__ == "__main__":
    main()
