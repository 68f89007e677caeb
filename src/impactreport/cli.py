"""The ``impactreport`` command: check, compute, render and build a year's special report."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from impactreport import config, lock
from impactreport.analysis.results import OPEN_DATA
from impactreport.errors import ImpactReportError, storage_errors
from impactreport.paths import Project
from impactreport.pipeline import build as build_step
from impactreport.pipeline import compute as compute_step
from impactreport.pipeline import renderers

app = typer.Typer(
    help="Reproducible special report of a social enterprise (article 8:5 WVV/CSA).\n\n"
    "Examples:\n\n"
    "  impactreport check --year 2024      validate the 2024 data only\n\n"
    "  impactreport build --year 2024      compute, render HTML, PDF and Word, publish to _output/2024/\n\n"
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
        with storage_errors():
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
    """Validate a year's inputs (every problem, by file) and list the narrative to review."""
    from impactreport.commands import yearcheck

    start = time.perf_counter()
    project = _project()
    result = _run(lambda: yearcheck.check_year(project, year))
    for line in result.to_fill:
        out.print(f"[yellow]to fill[/] {line}", highlight=False, soft_wrap=True)
    for passage in result.to_review:
        out.print(
            f"[yellow]review[/] {passage.where(project.root)}: {passage.reason}: {passage.text}",
            highlight=False,
        )
    if result.problems:
        if state["debug"]:
            result.inputs()  # the first problem, with its traceback
        for file, messages in result.by_file().items():
            err.print(f"[bold]{_relative(project, file)}[/]", highlight=False)
            for message in messages:
                err.print(f"  [red]error:[/] {message}", highlight=False, soft_wrap=True)
        files = len(result.by_file())
        err.print(
            f"{year}: {len(result.problems)} problem(s) in {files} file(s) ({_elapsed(start)})"
        )
        raise typer.Exit(2)
    inputs = _run(result.inputs)
    for path in inputs.files.values():
        out.print(f"[green]ok[/] {path}")
    from impactreport.publishing import draft

    for line in draft.notes(project, year, inputs.facts):
        out.print(f"[yellow]{line}[/]", highlight=False, soft_wrap=True)
    out.print(
        f"{year}: {len(inputs.files)} files valid, {len(result.to_review)} passage(s) to review "
        f"({_elapsed(start)})"
    )


def _relative(project: Project, path: Path) -> Path:
    return path.relative_to(project.root) if path.is_relative_to(project.root) else path


@app.command("init")
def init_project(
    folder: Annotated[Path, typer.Argument(help="A new or empty folder for the project.")],
    organisation: Annotated[
        str, typer.Option("--organisation", help="The organisation's name, as in its statutes.")
    ],
    year: Annotated[int, typer.Option("--year", help="The first financial year to report on.")],
    languages: Annotated[
        str,
        typer.Option(
            "--languages", help="The editions' languages, the first the default: nl, fr or nl,fr."
        ),
    ] = "nl",
) -> None:
    """Start a report project for an accredited cooperative; `check` then lists what to fill in."""
    from impactreport.commands import init

    chosen = _run(lambda: init.parse_languages(languages))
    made = _run(lambda: init.init(folder, organisation, chosen, year))
    out.print(
        f"created {made.root} for {made.organisation} ({', '.join(made.languages)}, {made.year})"
    )
    out.print(
        f"next: cd {made.root}, then `impactreport check --year {made.year}` lists what to fill in"
    )


@app.command("new-year")
def new_year(
    year: Annotated[int, typer.Argument(help="The new financial year, e.g. 2025.")],
) -> None:
    """Prepare data/<year>/ from the last year (columns, fact ids, empty values) and mark the
    narrative's year-bound sentences for review."""
    from impactreport.commands import newyear
    from impactreport.inputs import schemas

    project = _project()
    made = _run(lambda: lock.run(project, lambda: newyear.new_year(project, year)))
    folder = made.folder.relative_to(project.root)
    out.print(f"prepared {folder}/ from {made.previous}; still to do:")
    others = [name for name in made.inputs if name != "facts.csv"]
    marked = sum(made.marked.values())
    steps = [
        *(
            [
                f"fill in {folder}/{', '.join(others)} (their columns are there; CSV, .xlsx or "
                ".parquet, one format per input)"
            ]
            if others
            else []
        ),
        f"give each of the {made.facts} facts in {folder}/facts.csv its value and source",
        f"declare where each input comes from: the 'origin' of each resource in "
        f"{folder}/{newyear.DESCRIPTOR}",
        f"review the {marked} sentence(s) marked [{{.review}}] in {len(made.marked)} section "
        "file(s), then remove their brackets",
    ]
    for number, step in enumerate(steps, 1):
        out.print(f"  {number}. {step}", soft_wrap=True)
    # explanations are optional: the form is shown, no empty file is written
    out.print(
        f"  and only if a condition is not met: explain it in {folder}/explanations.csv, columns "
        f"{','.join(schemas.EXPLANATIONS.columns)}, one row per language "
        f"({', '.join(config.languages(project))})"
    )
    out.print(f"then: impactreport check --year {year}, and impactreport build --year {year}")


@app.command()
def diff(
    year: YearOption,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="An earlier build (2024-3), 'final' (the latest final edition) or a year. "
            "Default: the build before the current one.",
        ),
    ] = None,
) -> None:
    """What changed since an earlier build: indicators, condition verdicts, paragraphs."""
    from impactreport.publishing import compare, diffpage, records

    project = _project()
    current, earlier = _run(lambda: records.find(project, year, against))
    result = compare.compare(current, earlier)
    out.print(f"{year}: {earlier.name} ({earlier.kind}) → {current.name} ({current.kind})")
    if result.indicators:
        table = Table("indicator", earlier.name, current.name, title="indicators")
        for change in result.indicators:
            table.add_row(change.id, change.old or "—", change.new or "—")
        out.print(table)
    if result.conditions:
        table = Table("condition", earlier.name, current.name, title="conditions")
        verdict = {True: "met", False: "not met", None: "—"}
        for number, old, new in result.conditions:
            table.add_row(number, verdict[old], verdict[new])
        out.print(table)
    for change in result.text:
        out.print(f"[bold]{change.lang}[/]", highlight=False)
        if change.old:
            out.print(f"[red]- {escape(change.old)}[/]", highlight=False)
        if change.new:
            out.print(f"[green]+ {escape(change.new)}[/]", highlight=False)
    if result.figures_only:
        out.print(f"{result.figures_only} paragraph(s) differ only in the figures above")
    if result.empty:
        out.print("nothing changed")
    page = diffpage.write(
        result,
        project.root / "templates" / "html" / "report.css",
        project.year_build(year) / "diff.html",
    )
    out.print(f"page: {page.relative_to(project.root)}")


@app.command()
def preview(
    year: YearOption,
    lang: Annotated[
        str | None, typer.Option("--lang", "-l", help="Language edition. Default: the first.")
    ] = None,
) -> None:
    """Serve the HTML edition on 127.0.0.1; on every edit, rebuild it and update the open page."""
    from impactreport.commands import preview as live

    project = _project()
    _run(lambda: live.run(project, year, lang, say=lambda m: out.print(m, highlight=False)))


ForceOption = Annotated[bool, typer.Option("--force", help="Ignore the cache: run every notebook.")]
PagesOption = Annotated[
    bool,
    typer.Option(
        "--pages", help="Also write every PDF page as a PNG to _build/<year>/<lang>/pages/."
    ),
]


RendererOption = Annotated[
    str | None,
    typer.Option(
        "--renderer",
        help="builtin (default: pandoc + typst as the package pins them, the same bytes on every"
        " machine) or quarto (the installed Quarto, 1.9 or later).",
        show_default=False,
    ),
]


def _renderer(requested: str | None) -> renderers.Renderer:
    chosen = _run(lambda: renderers.choose(requested))
    out.print(f"renderer: {chosen}", highlight=False, soft_wrap=True)
    return chosen


@app.command()
def compute(year: YearOption, force: ForceOption = False) -> None:
    """Run the notebooks whose inputs changed and write the indicators table."""
    start = time.perf_counter()
    project = _project()
    result = _run(
        lambda: lock.run(
            project,
            lambda: compute_step.compute(
                project, year, force=force, report=lambda n, s: out.print(f"  {n}: {s}")
            ),
        )
    )
    out.print(f"indicators: {result.indicators.relative_to(project.root)} ({_elapsed(start)})")


@app.command()
def render(
    year: YearOption,
    lang: LangOption = None,
    force: ForceOption = False,
    pages: PagesOption = False,
    renderer: RendererOption = None,
) -> None:
    """Render the editions again, e.g. after editing the text; first recompute what changed
    inputs feed (nothing when none changed): never a figure the inputs no longer say."""
    project = _project()
    chosen = _renderer(renderer)

    def action():
        langs = [config.check_language(project, x) for x in (lang or config.languages(project))]
        with build_step.locked(project):
            compute_step.compute(project, year, report=lambda n, s: out.print(f"  {n}: {s}"))
            return build_step.render_editions(
                project,
                year,
                langs,
                force=force,
                pages=pages,
                say=lambda m: out.print(f"  {m}"),
                renderer=chosen,
            )

    _summary(project, _run(action))


FinalOption = Annotated[
    bool,
    typer.Option(
        "--final",
        help="Refuse unless every published value is real, verified and approved, and no "
        "passage awaits review.",
    ),
]


@app.command()
def build(
    year: YearOption,
    lang: LangOption = None,
    force: ForceOption = False,
    pages: PagesOption = False,
    final: FinalOption = False,
    renderer: RendererOption = None,
) -> None:
    """Compute a year and render every edition (HTML, PDF, Word) into _output/<year>/<lang>/."""
    start = time.perf_counter()
    project = _project()
    chosen = _renderer(renderer)
    result = _run(
        lambda: build_step.build(
            project,
            year,
            lang,
            force=force,
            pages=pages,
            final=final,
            progress=lambda m: out.print(f"  {m}", highlight=False),
            renderer=chosen,
        )
    )
    _summary(project, result.published)
    out.print(f"built {year} with the {result.renderer.name} renderer in {_elapsed(start)}")


@app.command()
def approve(
    year: YearOption,
    by: Annotated[str, typer.Option("--by", help="Who approved: 'Raad van bestuur'.")],
    on: Annotated[str, typer.Option("--on", help="The date of the board's decision, YYYY-MM-DD.")],
    place: Annotated[
        str, typer.Option("--place", help="Where the board signed it, for the colophon.")
    ] = "",
) -> None:
    """Record the board's approval of the year's report as it stands: its figures, its text, its
    inputs and the environment's lock. A change after it makes every edition a draft again."""
    from impactreport.analysis.indicators import read
    from impactreport.pipeline import approval

    project = _project()

    def action():
        build_step.check_year_param(project, year)
        with build_step.locked(project):
            compute_step.compute(project, year, report=lambda n, s: out.print(f"  {n}: {s}"))
            table = read(project.year_build(year) / "compute" / "indicators.csv")
            return approval.approve(project, year, table, by, on, place)

    written = _run(action)
    out.print(
        f"approved {year} ({by}, {on}): recorded in {written.relative_to(project.root)}; "
        f"`impactreport build --year {year} --final` builds exactly this"
    )


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
    from impactreport.commands.explain import explain as explain_indicator

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
            sorted(p.name for p in folder.iterdir() if p.name != OPEN_DATA and p.name[0] != ".")
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
    if not files:
        out.print("impactreport: nothing rendered, nothing published")
    for file in files:
        out.print(f"impactreport: published {file}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
