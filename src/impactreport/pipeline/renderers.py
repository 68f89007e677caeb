"""Which renderer a build uses, chosen by the caller rather than by what is on PATH.

``builtin`` (the default) renders with the pandoc and typst the package pins: the same bytes on
every machine, and a rendering is reused while nothing it reads changes. ``quarto`` runs
``quarto render --profile <lang>`` on the project itself (its pre-render step prepares the edition,
its post-render step publishes it), with whichever Quarto is installed, and renders every time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from impactreport.errors import ConfigError, RenderError
from impactreport.paths import Project

BUILTIN = "builtin"
QUARTO = "quarto"
CHOICES = (BUILTIN, QUARTO)
DEFAULT = BUILTIN
QUARTO_MINIMUM = (
    1,
    9,
)  # pdf-standard for typst, fig-alt in typst's image(alt:); _quarto.yml says so


@dataclass(frozen=True)
class Renderer:
    name: str
    why: str
    executable: str | None = None
    version: str | None = None

    def __str__(self) -> str:
        if self.name == QUARTO:
            return f"quarto {self.version} ({self.executable}; {self.why})"
        return f"built-in, pandoc + typst ({self.why})"


def choose(requested: str | None) -> Renderer:
    """The renderer asked for (``--renderer``), else the default; Quarto must be there and recent."""
    name = requested or DEFAULT
    why = f"--renderer {name}" if requested else f"the default; --renderer {QUARTO} for Quarto"
    if name not in CHOICES:
        raise ConfigError(f"--renderer {name}: choose one of {', '.join(CHOICES)}")
    if name == BUILTIN:
        return Renderer(BUILTIN, why)
    executable = shutil.which("quarto")
    if executable is None:
        raise ConfigError(
            "--renderer quarto: no `quarto` on PATH; install Quarto 1.9 or later (quarto.org),"
            " or leave out --renderer to use the built-in renderer"
        )
    version = quarto_version(executable)
    return Renderer(QUARTO, why, executable, version)


def quarto_version(executable: str) -> str:
    done = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False)
    version = done.stdout.strip()
    numbers = tuple(int(n) for n in re.findall(r"\d+", version)[:2])
    if done.returncode != 0 or len(numbers) < 2:
        raise ConfigError(f"{executable} --version failed: {' '.join(done.stderr.split())[:200]}")
    if numbers < QUARTO_MINIMUM:
        minimum = ".".join(map(str, QUARTO_MINIMUM))
        raise ConfigError(
            f"Quarto {version} at {executable} is too old: the report needs {minimum} or later"
            " (PDF/UA-1 with typst); update it from quarto.org"
        )
    return version


def quarto_env(project: Project, year: int) -> dict[str, str]:
    """The environment of ``quarto render``: the year for the pre-render step, this Python for
    the hook scripts (the same package as the command that started them), and the date the
    built-in renderer gives the Word and PDF files unless ``SOURCE_DATE_EPOCH`` names another
    (pandoc and the typst command read it: rebuilds stay byte-identical)."""
    from impactreport.analysis.results import Results
    from impactreport.publishing import provenance

    computed = Results(project.year_build(year) / "compute")
    issued = provenance.timestamp(computed.status["inputs"]["issued"])
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or str(int(issued.timestamp()))
    return {
        **os.environ,
        "IMPACTREPORT_YEAR": str(year),
        "QUARTO_PYTHON": sys.executable,
        "SOURCE_DATE_EPOCH": epoch,
    }


def render_with_quarto(project: Project, year: int, lang: str) -> list[Path]:
    """``quarto render --profile <lang>`` for ``year``; the files it published. Quarto's output
    goes to ``_build/<year>/<lang>/quarto.log``."""
    command = ["quarto", "render", "--profile", lang]
    log = project.year_build(year) / lang / "quarto.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as output:
        done = subprocess.run(
            command,
            cwd=project.root,
            env=quarto_env(project, year),
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        lines = [line.strip() for line in log.read_text(encoding="utf-8").splitlines()]
        last = next((line for line in reversed(lines) if "ERROR" in line or "error:" in line), "")
        raise RenderError(
            f"{' '.join(command)} failed (exit {done.returncode}): {last or 'see the log'};"
            f" Quarto's output: {log.relative_to(project.root)}"
        )
    return sorted((project.output / str(year) / lang).iterdir())
