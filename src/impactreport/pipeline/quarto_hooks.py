"""The ``pre-render`` and ``post-render`` scripts of ``_quarto.yml``, for real Quarto.

Quarto passes no ``-P`` parameter to these scripts, so the year is ``$IMPACTREPORT_YEAR`` or
``impactreport: year:`` of the merged project config; the language is the active profile
(``$QUARTO_PROFILE``), else the first configured language.

An edition is published whole, in its own language, or not at all: the pre-render step refuses
several language profiles at once, a document outside the profile's render list and sources
outside the subset, before Quarto writes anything; the post-render step publishes only what this
run rendered for the edition (``$QUARTO_PROJECT_OUTPUT_FILES``; under ``quarto preview``, which
lists nothing, the edition's files written since the pre-render step) and keeps the edition's
other formats only when they were rendered from the same sources and figures.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from impactreport import config, digests
from impactreport.analysis import editions
from impactreport.analysis.results import Results
from impactreport.errors import ConfigError, RenderError
from impactreport.paths import Project
from impactreport.pipeline import compute, keys
from impactreport.publishing import prepare, provenance
from impactreport.publishing.publish import publish
from impactreport.publishing.render import subset
from impactreport.publishing.render.includes import expand_includes

EDITION_FILE = "edition.json"
FORMATS = (".html", ".pdf", ".docx")
# what the edition's published formats were rendered from, per year and language
RENDERED_FROM = "quarto-rendered-from.json"
# under `quarto preview`, the address Quarto prints (the output folder) leads to the page
PREVIEW_INDEX = "index.html"
CLOCK_GRAIN = 10**9  # ns: a file's time is the kernel's coarse clock, behind time.time_ns()


def active_languages(project: Project) -> list[str]:
    """The configured languages among the active profiles, as Quarto lists them."""
    configured = config.languages(project)
    active = [p.strip() for p in os.environ.get("QUARTO_PROFILE", "").replace(" ", ",").split(",")]
    return [p for p in dict.fromkeys(active) if p in configured]


def active_language(project: Project) -> str:
    chosen = active_languages(project)
    return chosen[0] if chosen else config.languages(project)[0]


def configured_year(project: Project, lang: str) -> int:
    value = os.environ.get("IMPACTREPORT_YEAR")
    if value is not None:
        return config.checked_year(value)
    return config.configured_year(project.root, [lang])


def documents(project: Project, lang: str) -> list[str]:
    """The edition's documents: ``project: render:`` of its profile."""
    return [str(d) for d in config.load_config(project.root, [lang])["project"].get("render", [])]


def _listed(variable: str) -> list[str]:
    """A file list Quarto passes, in the variable or in the file it names instead."""
    named = os.environ.get(f"QUARTO_USE_FILE_FOR_{variable}")
    text = (
        Path(named).read_text(encoding="utf-8")
        if named and Path(named).is_file()
        else os.environ.get(variable, "")
    )
    return [line.strip() for line in text.splitlines() if line.strip()]


def refuse_what_quarto_would_get_wrong(project: Project) -> str:
    """The edition's language, or a one-line refusal before Quarto writes anything."""
    langs = active_languages(project)
    if len(langs) > 1:
        steps = ", then ".join(f"quarto render --profile {lang}" for lang in langs)
        raise ConfigError(
            f"--profile {','.join(langs)}: Quarto would render every document in the first "
            f"profile's language; render one edition at a time: {steps}"
        )
    lang = langs[0] if langs else config.languages(project)[0]
    own = documents(project, lang)
    for name in _listed("QUARTO_PROJECT_INPUT_FILES"):
        if name not in own:
            raise ConfigError(
                f"{name} is not a document of the {lang} edition (project: render: in "
                f"_quarto-{lang}.yml lists {', '.join(own)}): quarto render --profile {lang}"
            )
    problems = subset.check_editions(project.root, [lang])
    if problems:
        raise RenderError(subset.report(problems))
    return lang


def pre_render(project: Project) -> tuple[int, str]:
    started = time.time_ns()
    lang = refuse_what_quarto_would_get_wrong(project)
    year = configured_year(project, lang)
    result = compute.compute(project, year)
    from impactreport.publishing.draft import edition_label

    edition, results = editions.load(project, lang), Results(result.build)
    prepare.write(
        project.root,
        results,
        edition,
        year,
        provenance.describe(results, year, digests.package_digest(keys.PACKAGE)),
        edition_label(results, edition.words),
    )
    own = documents(project, lang)
    edition = {"year": year, "lang": lang, "documents": own, "started": started}
    write_preview_index(project, edition["documents"][0])
    (project.root / prepare.GENERATED / EDITION_FILE).write_text(
        json.dumps(edition), encoding="utf-8"
    )
    return year, lang


def rendered_from(project: Project, edition: dict) -> str:
    """A digest of what the edition was rendered from: config, documents with their includes,
    templates, filters, and what the pre-render step prepared."""
    root = project.root
    files = {root / "_quarto.yml", root / f"_quarto-{edition['lang']}.yml"}
    for name in edition["documents"]:
        files.update(expand_includes(root / name, root).files)
    for folder in ("templates", "filters", prepare.GENERATED):
        files.update(p for p in (root / folder).rglob("*") if p.name != EDITION_FILE)
    files.add(root / "_variables.yml")
    return digests.text_digest(
        {str(p.relative_to(root)): digests.file_digest(p) for p in sorted(files) if p.is_file()}
    )


def _rendered(project: Project, edition: dict) -> list[Path]:
    """What this run rendered for the edition: the edition's documents in the formats."""
    stems = {Path(name).stem for name in edition["documents"]}
    listed = [Path(f) for f in _listed("QUARTO_PROJECT_OUTPUT_FILES")]
    if listed:
        files = [f if f.is_absolute() else project.root / f for f in listed]
    else:  # quarto preview lists nothing: what was written since the pre-render step
        files = [
            p
            for p in sorted(output_dir(project).glob("*"))
            if p.is_file() and p.stat().st_mtime_ns >= edition["started"] - CLOCK_GRAIN
        ]
    return [f for f in files if f.stem in stems and f.suffix in FORMATS and f.is_file()]


def post_render(project: Project) -> list[Path]:
    edition = json.loads(
        (project.root / prepare.GENERATED / EDITION_FILE).read_text(encoding="utf-8")
    )
    year, lang = edition["year"], edition["lang"]
    files = _rendered(project, edition)
    target = project.output / str(year) / lang
    if not files:  # quarto preview serving what it rendered before
        return []
    record = project.year_build(year) / lang / RENDERED_FROM
    digest = rendered_from(project, edition)
    names = {f.name for f in files}
    kept = sorted(p for p in target.glob("*") if p.name not in names) if target.is_dir() else []
    earlier = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    stale = [
        p.name
        for p in kept
        if earlier.get("digest") != digest
        or earlier.get("files", {}).get(p.name) != digests.file_digest(p)
    ]
    if stale:
        raise RenderError(
            f"{', '.join(stale)} in {target.relative_to(project.root)} were not rendered from "
            f"these sources and figures: render every format, quarto render --profile {lang}"
        )
    published = publish([*files, *kept], target)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(
        json.dumps(
            {"digest": digest, "files": {p.name: digests.file_digest(p) for p in published}}
        ),
        encoding="utf-8",
    )
    return published


def output_dir(project: Project) -> Path:
    folder = Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_output/quarto"))
    # documented as relative, passed as absolute: accept both
    return folder if folder.is_absolute() else project.root / folder


def write_preview_index(project: Project, document: str) -> Path:
    """``index.html`` in Quarto's output folder, leading to the edition's page: the address
    ``quarto preview`` prints may be the folder's, where the page is ``report.html``."""
    page = f"{Path(document).stem}.html"
    index = output_dir(project) / PREVIEW_INDEX
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text(
        f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={page}">'
        f'<title>{page}</title><a href="{page}">{page}</a>\n',
        encoding="utf-8",
    )
    return index
