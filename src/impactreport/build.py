"""One build: compute the year, then render and publish each edition.

Renders with Quarto when the ``quarto`` binary is on PATH, with the built-in pandoc + typst path
otherwise, and says which it used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from impactreport import compute as compute_step
from impactreport import editions, prepare, provenance
from impactreport.errors import ConfigError, RenderError
from impactreport.inputs import load_reference
from impactreport.paths import Project
from impactreport.publish import publish
from impactreport.render.config import load_config

SOURCES = ("_quarto.yml", "sections", "templates")
FORMATS = ("html", "pdf")

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    year: int
    renderer: str
    published: dict[str, list[Path]] = field(default_factory=dict)


def check_year_param(project: Project, year: int) -> int:
    if not 1000 <= year <= 9999:
        raise ConfigError(f"year {year} is not a four-digit year")
    return year


def renderer() -> str:
    return "quarto" if shutil.which("quarto") else "built-in (pandoc + typst)"


def lock(project: Project) -> FileLock:
    project.build.mkdir(parents=True, exist_ok=True)
    return FileLock(project.build / ".lock", timeout=0)


def locked(project: Project):
    guard = lock(project)
    try:
        guard.acquire()
    except Timeout:
        raise ConfigError(
            f"another build is running on this project ({guard.lock_file} is held); wait for it to finish"
        ) from None
    return guard


def stage(project: Project, year: int, lang: str) -> Path:
    """A fresh copy of the sources, where generated files can be written without touching the project."""
    folder = project.year_build(year) / lang / f"stage-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    config = load_config(project.root, [lang])
    inputs = config.get("project", {}).get("render", [])
    for name in (*SOURCES, f"_quarto-{lang}.yml", *inputs):
        source = project.root / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.is_file():
            shutil.copyfile(source, folder / name)
    return folder


def render_edition(project: Project, year: int, lang: str, formats=FORMATS) -> list[Path]:
    reference = load_reference(project)
    edition = editions.load(project, lang)
    compute_dir = project.year_build(year) / "compute"
    if not (compute_dir / "indicators.csv").is_file():
        raise RenderError(f"no computed indicators for {year}: run `impactreport compute --year {year}` first")
    from impactreport.render import render_project  # loaded only when rendering: keeps `check` fast

    folder = stage(project, year, lang)
    try:
        prepare.write(folder, compute_dir, edition, reference, year, provenance.describe(project, year))
        outputs = render_project(folder, lang, folder / "_out", formats)
        files = [outputs[f] for f in formats]
        return publish(files, project.output / str(year) / lang)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def render_with_quarto(project: Project, year: int, lang: str) -> list[Path]:
    env = {**os.environ, "IMPACTREPORT_YEAR": str(year)}
    result = subprocess.run(["quarto", "render", "--profile", lang], cwd=project.root, env=env)
    if result.returncode != 0:
        raise RenderError(f"quarto render --profile {lang} failed (exit {result.returncode})")
    return sorted((project.output / str(year) / lang).iterdir())


def build(
    project: Project,
    year: int,
    langs: list[str] | None = None,
    *,
    formats=FORMATS,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    say = progress or (lambda _message: None)
    check_year_param(project, year)
    langs = [editions.check_language(project, lang) for lang in (langs or editions.languages(project))]
    used = renderer()
    result = BuildResult(year=year, renderer=used)
    with locked(project):
        if used == "quarto":
            for lang in langs:
                say(f"rendering {lang} with quarto")
                result.published[lang] = render_with_quarto(project, year, lang)
            return result
        compute_step.compute(project, year, force=force, report=lambda name, what: say(f"{name}: {what}"))
        for lang in langs:
            say(f"rendering {lang} ({', '.join(formats)}) with {used}")
            result.published[lang] = render_edition(project, year, lang, formats)
    return result
