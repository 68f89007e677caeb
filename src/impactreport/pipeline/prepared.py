"""An edition's prepared blocks, cached: the variables and generated blocks its sources read.

``publishing.prepare`` writes ``_variables.yml`` and ``_generated/`` from the results package;
they depend on everything the edition is rendered from but its narrative, except for one thing:
the origins annex lists the indicators the narrative names. So an edit of the narrative that
names the same indicators reuses them, without loading the data again.
"""

from __future__ import annotations

from pathlib import Path

from impactreport import digests, folders
from impactreport.analysis import editions
from impactreport.analysis.results import Results
from impactreport.paths import Project
from impactreport.pipeline import cache

PREPARED = ("_variables.yml", "_generated")  # what ``prepare.write`` adds to the staged sources


def key(
    render_key: dict,
    sources: dict[str, str],
    narrative: set[str],
    named: list[str],
    facts: dict[str, str],
) -> dict:
    """The edition's render key, with its sources but the ``narrative`` files, and the
    indicators the narrative ``named`` and the provenance ``facts`` in their place."""
    return {
        **{k: v for k, v in render_key.items() if k != "sources"},
        "sources": digests.text_digest(
            {name: digest for name, digest in sources.items() if name not in narrative}
        ),
        "named": digests.text_digest(named),
        "provenance": digests.text_digest(facts),
    }


def write(
    project: Project,
    year: int,
    lang: str,
    render_key: dict,
    sources: dict[str, str],
    folder: Path,
    results: Results,
    facts: dict[str, str],
    *,
    force: bool = False,
) -> None:
    """Write the edition's variables and generated blocks into the staged ``folder``, or reuse
    them (never with ``force``)."""
    from impactreport.publishing.named import named_in_order

    sections = folder / "sections" / lang
    named = named_in_order(sections)  # the annex lists them in this order
    narrative = {f"sections/{lang}/{p.name}" for p in sections.glob("*.qmd")}
    narrative |= {str(p.relative_to(folder)) for p in folder.glob("*.qmd")}
    prepared_key = key(render_key, sources, narrative, named, facts)
    entry_folder = project.build / "cache" / str(year) / f"prepared-{lang}"
    entry = None if force else cache.load(entry_folder)
    if entry is not None and entry["key"] == prepared_key:
        for name in PREPARED:
            folders.copy(entry_folder / cache.OUTPUTS / name, folder / name)
        return
    from impactreport.publishing import prepare
    from impactreport.publishing.draft import edition_label

    edition = editions.load(project, lang)
    prepare.write(folder, results, edition, year, facts, edition_label(results, edition.words))
    kept = folder.parent / f"{folder.name}-prepared"
    try:
        kept.mkdir()
        for name in PREPARED:
            folders.copy(folder / name, kept / name)
        cache.store(entry_folder, prepared_key, kept)
    finally:
        folders.remove(kept)
