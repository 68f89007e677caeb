"""The ``impactreport`` command: check, compute, render and build a year's special report."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from impactreport.analysis import editions
from impactreport.errors import ImpactReportError
from impactreport.paths import Project
from impactreport.pipeline import build as build_step
from impactreport.pipeline import compute as compute_step

app = typer.Typer(
    help="Reproducible special report of a social enterprise (article 8:5 WVV/CSA).\n\n"
    "Examples:\n\n"
    "  impactreport check --year 2024      validate the 2024 data only\n\n"
    "  impactreport build --year 2024      compute, render HTML and PDF, publish to _output/2024/\n\n"
    "  impactreport years                  which years have data and which editions are built",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)
state = {"debug": False}

YearOption = Annotated[int, typer.Option("--year", "-y", help="Financial year, e.g. 2024.")]
LangOption = Annotated[
    list[str] | None,
    typer.Option("--lang", "-l", help="Language edition; repeat for several. Default: all."),
]


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    state["debug"] = debug


def _project() -> Project:
    return Project.discover()


def _run(action):
    """Run an action; user errors become one plain line and a non-zero exit."""
    try:
        return action()
    except ImpactReportError as error:
        if state["debug"]:
            raise
        err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(error.exit_code) from None


def _elapsed(start: float) -> str:
    return f"{time.perf_counter() - start:.1f} s"


@app.command()
def check(year: YearOption) -> None:
    """Validate a year's input files and nothing else."""
    start = time.perf_counter()
    project = _project()
    inputs = _run(lambda: compute_step.validate(project, year))
    for path in inputs.files:
        out.print(f"[green]ok[/] {path.relative_to(project.root)}")
    from impactreport.publishing import draft

    for line in draft.notes(project, year, inputs.facts):
        out.print(f"[yellow]{line}[/]", highlight=False, soft_wrap=True)
    out.print(f"{year}: {len(inputs.files)} files valid ({_elapsed(start)})")


ForceOption = Annotated[bool, typer.Option("--force", help="Ignore the cache: run every notebook.")]
PagesOption = Annotated[
    bool,
    typer.Option(
        "--pages", help="Also write every PDF page as a PNG to _build/<year>/<lang>/pages/."
    ),
]


@app.command()
def compute(year: YearOption, force: ForceOption = False) -> None:
    """Run the notebooks whose inputs changed and write the indicators table."""
    start = time.perf_counter()
    project = _project()
    result = _run(
        lambda: compute_step.compute(
            project, year, force=force, report=lambda n, s: out.print(f"  {n}: {s}")
        )
    )
    out.print(f"indicators: {result.indicators.relative_to(project.root)} ({_elapsed(start)})")


@app.command()
def render(
    year: YearOption,
    lang: LangOption = None,
    force: ForceOption = False,
    pages: PagesOption = False,
) -> None:
    """Render the editions of a computed year again (no recompute), e.g. after editing the text."""
    project = _project()

    def action():
        langs = [editions.check_language(project, x) for x in (lang or editions.languages(project))]
        with build_step.locked(project):
            return build_step.render_editions(
                project, year, langs, force=force, pages=pages, say=lambda m: out.print(f"  {m}")
            )

    _summary(project, _run(action))


FinalOption = Annotated[
    bool,
    typer.Option(
        "--final", help="Refuse unless every published value is real and verified, and approved."
    ),
]


@app.command()
def build(
    year: YearOption,
    lang: LangOption = None,
    force: ForceOption = False,
    pages: PagesOption = False,
    final: FinalOption = False,
) -> None:
    """Compute a year and render every edition (HTML and PDF) into _output/<year>/<lang>/."""
    start = time.perf_counter()
    project = _project()
    out.print(f"renderer: {build_step.renderer()}")
    result = _run(
        lambda: build_step.build(
            project,
            year,
            lang,
            force=force,
            pages=pages,
            final=final,
            progress=lambda m: out.print(f"  {m}"),
        )
    )
    _summary(project, result.published)
    out.print(f"built {year} with {result.renderer} in {_elapsed(start)}")


def _summary(project: Project, published: dict[str, list[Path]]) -> None:
    table = Table("edition", "file", "size")
    for lang, files in published.items():
        for file in files:
            table.add_row(
                lang, str(file.relative_to(project.root)), f"{file.stat().st_size / 1024:.0f} KiB"
            )
    out.print(table)


@app.command()
def explain(
    indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. workforce.persons.")],
    year: YearOption,
) -> None:
    """Where one published value comes from: source, origin, verification, files, notebook."""
    from impactreport.publishing.explain import explain as explain_indicator

    for line in _run(lambda: explain_indicator(_project(), year, indicator)):
        out.print(line, highlight=False, soft_wrap=True)


@app.command()
def years() -> None:
    """List the years with data and the editions already built."""
    project = _project()
    table = Table("year", "data", "built editions")
    for year in project.years():
        project.year_folder(year)
        folder = project.output / str(year)
        built = (
            sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
            if folder.is_dir()
            else []
        )
        table.add_row(str(year), f"data/{year}/", ", ".join(built) or "none")
    out.print(table)


@app.command("quarto-pre-render", hidden=True)
def quarto_pre_render() -> None:
    """Quarto's pre-render script: compute the configured year, write _variables.yml and _generated/."""
    from impactreport.pipeline import quarto_hooks

    year, lang = _run(lambda: quarto_hooks.pre_render(_project()))
    out.print(f"impactreport: prepared {year} ({lang})")


@app.command("quarto-post-render", hidden=True)
def quarto_post_render() -> None:
    """Quarto's post-render script: publish the rendered files to _output/<year>/<lang>/."""
    from impactreport.pipeline import quarto_hooks

    files = _run(lambda: quarto_hooks.post_render(_project()))
    for file in files:
        out.print(f"impactreport: published {file}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
