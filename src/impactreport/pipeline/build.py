"""One build: compute the year, then render and publish each edition.

Renders with the renderer the caller chose (``renderers.choose``): the built-in pandoc + typst
path by default, or Quarto.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock

from impactreport import config, digests, folders, lock
from impactreport.analysis.results import Results
from impactreport.config import load_config
from impactreport.errors import ConfigError, RenderError
from impactreport.paths import Project, four_digit_year
from impactreport.pipeline import cache, keys, prepared, renderers
from impactreport.pipeline import compute as compute_step
from impactreport.publishing import provenance, records, review
from impactreport.publishing.publish import publish

SOURCES = ("_quarto.yml", "templates", "filters")
FORMATS = ("html", "pdf", "docx")  # docx: for board members who review in Word
RENDERINGS_KEPT = 3  # per edition: an edit undone publishes the rendering made before it again

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    year: int
    renderer: renderers.Renderer
    published: dict[str, list[Path]] = field(default_factory=dict)


def check_year_param(project: Project, year: int) -> int:
    """A four-digit year with a data folder, checked before any work starts."""
    four_digit_year(year)
    project.year_folder(year)
    return year


def locked(project: Project) -> FileLock:
    """The project's lock, held: a second writing command gets a clear message."""
    return lock.held(project)


def _sources(project: Project, lang: str) -> list[Path]:
    """What an edition is rendered from: config, its profile and document, its sections, templates."""
    inputs = load_config(project.root, [lang]).get("project", {}).get("render", [])
    names = (*SOURCES, f"_quarto-{lang}.yml", f"sections/{lang}", *inputs)
    return [project.root / name for name in names]


def stage(project: Project, year: int, lang: str) -> Path:
    """A fresh copy of the sources, where generated files can be written beside them."""
    folder = project.year_build(year) / lang / f"stage-{os.getpid()}"
    folders.remove(folder)
    folder.mkdir(parents=True)
    for source in _sources(project, lang):
        if source.exists():
            folders.copy(source, folder / source.relative_to(project.root))
    return folder


def render_key(project: Project, year: int, formats, sources: dict[str, str]) -> dict:
    """Everything a rendered edition depends on; the same key gives the same files. The
    provenance it prints is derived from these components (``compute`` covers the files read).
    ``sources``: the digests of what the edition is rendered from (``_source_digests``)."""
    return {
        "sources": digests.text_digest(sources),
        "compute": (project.year_build(year) / "compute" / compute_step.OUTPUTS_KEY).read_text(
            encoding="utf-8"
        ),
        "code": digests.package_digest(keys.PACKAGE),
        "libraries": digests.text_digest(digests.versions()),
        "formats": ",".join(formats),
    }


def render_edition(
    project: Project,
    year: int,
    lang: str,
    formats=FORMATS,
    *,
    force: bool = False,
    pages: bool = False,
    say: Progress | None = None,
    target: Path | None = None,
    linked: bool = False,
) -> list[Path]:
    """Render one edition and publish it (to ``target``, by default ``_output/<year>/<lang>``);
    reuse the last rendering when nothing it reads changed.

    With ``pages``, also write every PDF page as a PNG to ``_build/<year>/<lang>/pages/``. With
    ``linked`` (the preview's HTML alone), the page links its figures and stylesheet, published
    beside it in their folders."""
    say = say or (lambda _message: None)
    target = target or project.output / str(year) / lang
    if linked and tuple(formats) != ("html",):
        raise ValueError("only the HTML alone is rendered with linked resources")
    published = _render_edition(
        project, year, lang, formats, force=force, say=say, target=target, linked=linked
    )
    _write_pages(project, year, lang, published, pages, say)
    return published


def _render_with_quarto(
    project: Project, year: int, lang: str, formats, *, pages: bool, say: Progress | None
) -> list[Path]:
    """Quarto renders every format of ``_quarto.yml`` every time: nothing to reuse or force."""
    say = say or (lambda _message: None)
    config.check_language(project, lang)
    if tuple(formats) != FORMATS:
        raise ConfigError(f"Quarto renders every format of _quarto.yml, not only {list(formats)}")
    _computed(project, year)
    say(f"rendering {lang} ({', '.join(formats)}) with quarto: Quarto renders every time")
    published = renderers.render_with_quarto(project, year, lang)
    _write_pages(project, year, lang, published, pages, say)
    return published


def _write_pages(
    project: Project, year: int, lang: str, published: list[Path], pages: bool, say: Progress
) -> None:
    pdf = [p for p in published if p.suffix == ".pdf"]
    if pages and pdf:
        from impactreport.publishing.pages import write_pngs

        folder = project.year_build(year) / lang / "pages"
        say(
            f"{lang}: {len(write_pngs(pdf[0], folder))} page images in {folder.relative_to(project.root)}"
        )


def _render_edition(
    project: Project,
    year: int,
    lang: str,
    formats,
    *,
    force: bool,
    say: Progress,
    target: Path,
    linked: bool = False,
) -> list[Path]:
    config.check_language(project, lang)
    results = Results(_computed(project, year))
    sources = _source_digests(project, lang)
    key = render_key(project, year, formats, sources) | ({"linked": "yes"} if linked else {})
    facts = provenance.describe(results, year, key["code"])
    renderings = cache.Shelf(
        project.build / "cache" / str(year) / f"render-{lang}", kept=RENDERINGS_KEPT
    )
    entry = None if force else renderings.find(key)
    if entry is not None:
        say(f"{lang}: nothing changed, rendering reused")
        current = digests.tree_digests(target) if target.is_dir() else {}
        if current != entry["outputs"]:  # the publication was removed or altered: restore it
            publish(sorted((renderings.place(key) / cache.OUTPUTS).iterdir()), target)
        return sorted(target.iterdir())
    why = _why(renderings.latest(), key, force)
    say(f"rendering {lang} ({', '.join(formats)}) with the built-in renderer: {why}")
    # heavy imports only when a rendering really happens: the no-change path stays fast
    from impactreport.publishing.render import render_project

    folder = stage(project, year, lang)
    try:
        prepared.write(project, year, lang, key, sources, folder, results, facts, force=force)
        outputs = render_project(
            folder,
            lang,
            folder / "_out",
            formats,
            timestamp=provenance.timestamp(facts["issued"]),
            linked=linked,
        )
        rendered = folder / "_rendered"
        if linked:  # the page and what it links, in their folders
            shutil.copytree(folder / "_out", rendered)
        else:
            rendered.mkdir()
            for fmt in formats:
                shutil.copyfile(outputs[fmt], rendered / outputs[fmt].name)
        renderings.store(key, rendered)
        return publish(sorted(rendered.iterdir()), target, durable=not linked)
    finally:
        folders.remove(folder)


def _source_digests(project: Project, lang: str) -> dict[str, str]:
    files = [
        p
        for source in _sources(project, lang)
        for p in ([source] if source.is_file() else sorted(source.rglob("*")))
    ]
    return {str(p.relative_to(project.root)): digests.file_digest(p) for p in files if p.is_file()}


def _computed(project: Project, year: int) -> Path:
    compute_dir = project.year_build(year) / "compute"
    if not (compute_dir / compute_step.OUTPUTS_KEY).is_file():
        raise RenderError(
            f"no computed indicators for {year}: run `impactreport compute --year {year}` first"
        )
    return compute_dir


def _why(entry: dict | None, key: dict, force: bool) -> str:
    if force:
        return "--force"
    if entry is None:
        return "no cache entry"
    return f"{', '.join(cache.changed(entry['key'], key))} changed"


def build(
    project: Project,
    year: int,
    langs: list[str] | None = None,
    *,
    formats=FORMATS,
    force: bool = False,
    pages: bool = False,
    final: bool = False,
    record: bool = True,
    progress: Progress | None = None,
    renderer: renderers.Renderer | None = None,
) -> BuildResult:
    """Compute and render; ``record`` keeps what was published for ``diff`` (not in preview)."""
    say = progress or (lambda _message: None)
    check_year_param(project, year)
    langs = [config.check_language(project, lang) for lang in (langs or config.languages(project))]
    to_review = review.before_build(project, langs, final=final)
    renderer = renderer or renderers.choose(None)
    result = BuildResult(year=year, renderer=renderer)
    with locked(project):
        compute_step.compute(
            project, year, force=force, report=lambda name, what: say(f"{name}: {what}")
        )
        if final:
            from impactreport.publishing.draft import require_final

            require_final(Results(_computed(project, year)), year)
        result.published = render_editions(
            project, year, langs, formats, force=force, pages=pages, say=say, renderer=renderer
        )
        kept = records.keep(project, year, langs, final=final) if record else None
    for passage in to_review:
        say(f"to review: {passage.where(project.root)}: {passage.text}")
    if kept is not None:
        kept_record, new = kept
        if new:
            say(
                f"recorded as {kept_record.name} ({kept_record.kind}): "
                f"`impactreport diff --year {year}` compares"
            )
        else:
            say(f"published files unchanged since {kept_record.name}: no new record")
    return result


def render_editions(
    project: Project,
    year: int,
    langs: list[str],
    formats=FORMATS,
    *,
    force: bool = False,
    pages: bool = False,
    say: Progress | None = None,
    renderer: renderers.Renderer | None = None,
) -> dict[str, list[Path]]:
    """Render the editions side by side: they are independent, and pandoc and typst run outside
    the GIL. Quarto renders one after the other: it prepares each edition in the project itself.
    The figures go out beside the editions as open data (``_output/<year>/data/``)."""
    if renderer is not None and renderer.name == renderers.QUARTO:
        published = {
            lang: _render_with_quarto(project, year, lang, formats, pages=pages, say=say)
            for lang in langs
        }
    else:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            jobs = {
                lang: pool.submit(
                    render_edition, project, year, lang, formats, force=force, pages=pages, say=say
                )
                for lang in langs
            }
            published = {lang: job.result() for lang, job in jobs.items()}
    _publish_open_data(project, year)
    return published


def _publish_open_data(project: Project, year: int) -> None:
    """Publish the open data compute left with the results, unless it is there already."""
    from impactreport.analysis import results

    made = _computed(project, year) / results.OPEN_DATA_BUILD
    target = project.output / str(year) / results.OPEN_DATA
    if not target.is_dir() or digests.tree_digests(made) != digests.tree_digests(target):
        publish(sorted(made.iterdir()), target)
