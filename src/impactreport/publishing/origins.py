"""The annex "Herkomst van de cijfers" / "Origine des chiffres": every indicator an edition uses,
with its value as published, its source and whether it was checked; the input files themselves
are for ``impactreport explain`` and the data package.

Its words are the edition's (``origins: kinds:`` in ``sections/<lang>/words.yml``); each
declared figure's source is the note its input records (``facts.csv``'s ``source``), shown as
written: the publication names no source the inputs do not declare."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from impactreport.analysis import formatting, lineage, text
from impactreport.analysis.editions import Edition
from impactreport.inputs.descriptor import KINDS
from impactreport.publishing.named import named_in_order


def used_ids(
    sources: Path, figures: list[dict], checked: pd.DataFrame, table: pd.DataFrame
) -> list[str]:
    """Indicators the edition shows: named in its sections (in the order a reader meets them),
    drawn in its figures, or evidence of a condition."""
    shown = named_in_order(sources)
    shown += [i for meta in figures for i in meta.get("drawn_from", [])]
    for column in ("left_id", "right_id", "shown"):
        for cell in checked.get(column, pd.Series(dtype=str)):
            shown += [item.split("=")[0] for item in str(cell).split(";") if item]
    known = set(table["id"])
    return [i for i in dict.fromkeys(shown) if i in known]


def source_text(indicator: str, source: str, year: int, edition: Edition) -> str:
    """Where an indicator comes from: the files or indicators a computed one is computed from,
    or the source of a declared figure as its input declares it (``facts.csv``'s note), with
    its kind in the edition's words. Never a source written for it elsewhere: a reader is told
    what the analyst recorded, nothing more."""
    words = edition.words["origins"]
    kind, _, named = source.partition(": ")
    shown_kind = words["kinds"].get(kind, kind)
    if source.startswith((lineage.RECORDS, lineage.DERIVED)):
        return f"{shown_kind} {named}"
    return f"{quoted(named, edition)} ({shown_kind})"


QUOTED = re.compile(r"[“\"]([^”\"]*)[”\"]")


def quoted(note: str, edition: Edition) -> str:
    """The note as recorded, its quotation marks the edition's (``quotes:`` in words.yml, e.g.
    French « … »): a quoted part's words stay as written."""
    marks = edition.words.get("quotes")
    if not marks:
        return note
    return QUOTED.sub(lambda m: f"{marks[0]}{m[1]}{marks[1]}", note)


def origin_text(origin: str, edition: Edition) -> str:
    """Where input files come from, in the edition's words. ``origin`` is as the indicators table
    holds it: ``descriptor.Resource.origin`` of each file ('transcription: <document>',
    'definition (this project)'), joined by '; ', or 'undeclared'."""
    kinds = edition.words["origins"]["kinds"]
    shown = []
    for part in filter(None, origin.split("; ")):
        kind, _, named = part.partition(": ")
        if part == "undeclared" or part.startswith("definition"):
            shown.append(kinds[part.split()[0]])
        elif (kind in KINDS or kind.startswith(lineage.RECONCILED)) and named:
            shown.append(f"{kinds[kind]} {named}")
        else:
            shown.append(part)
    return "; ".join(shown)


def breakable(identifier: str) -> str:
    """An id that may wrap after its dots and underscores in a narrow column (a zero-width
    space: nothing shows), instead of running into the next column."""
    return identifier.replace(".", ".\u200b").replace("_", "_\u200b")


def shown_source(
    indicator: str, source: str, year: int, edition: Edition, synthetic: bool = False
) -> str:
    """The source as the annex prints it: a computed figure says what kind of data it is
    computed from (``origins: computed:``; ``<kind>-synthetic`` where those data are synthetic),
    not which files or indicators: those are for ``impactreport explain`` and the data package.
    A declared figure shows the note its input records, without its kind: the annex's text says
    once what that column holds."""
    kind, _, named = source.partition(": ")
    computed = edition.words["origins"].get("computed") or {}
    if synthetic and f"{kind}-synthetic" in computed:
        return computed[f"{kind}-synthetic"]
    if kind in computed:
        return computed[kind]
    return quoted(named, edition) if named else source_text(indicator, source, year, edition)


def shown_origin(origin: str, edition: Edition) -> str:
    """Where the year's data come from, in prose: a synthetic file is named as such, without the
    command that made it."""
    words = edition.words["origins"]
    reconciled = words.get("reconciled") or {}
    parts = []
    for part in filter(None, origin.split("; ")):
        kind = part.partition(": ")[0]
        if part.startswith("synthetic"):
            parts.append(words.get("synthetic_origin", words["synthetic"]))
        elif kind.startswith(lineage.RECONCILED):
            # the records that confirmed a declared figure, in prose: their files are for
            # `impactreport explain` and the data package
            parts.append(reconciled.get(kind, words["kinds"][kind]))
        else:
            parts.append(origin_text(part, edition))
    return "; ".join(dict.fromkeys(parts))


def merged(shown: list[str], words: dict) -> list[str]:
    """One line per origin: an origin some of whose figures were also confirmed otherwise
    ('<origin>; <note>') is said once, with the note for some of them (``origins: partly:``)."""
    partly = words.get("partly")
    if not partly:
        return shown
    notes = {}
    for line in shown:
        base, _, note = line.partition("; ")
        if note and base in shown:
            notes[base] = note
    result = []
    for line in shown:
        base, _, note = line.partition("; ")
        if note and base in notes:
            continue  # said with its origin
        result.append(line + partly.format(note=notes[line]) if line in notes else line)
    return result


def block(table: pd.DataFrame, ids: list[str], edition: Edition) -> str:
    """The annex: where the year's data come from, then one table row per figure, named in the
    edition's words (``origins: labels:``; the id where a figure has no label yet)."""
    words = edition.words["origins"]
    labels = words.get("labels") or {}
    rows = table.set_index("id").loc[ids]
    origins = [
        f"- {text.markdown(shown)}"
        for shown in merged(
            list(dict.fromkeys(shown_origin(o, edition) for o in rows["origin"])), words
        )
    ]
    lines = [
        "| " + " | ".join(words["headers"]) + " |",
        "|:" + "-" * 30 + "|" + "-" * 13 + ":|:" + "-" * 30 + "|:" + "-" * 14 + "|",
    ]
    before = None
    for indicator, row in rows.iterrows():
        value = formatting.phrase(float(row.value), row.unit, row.qualifier, edition.style)
        checked = row.verified or (
            words["synthetic"] if row.synthetic == "yes" else words["unverified"]
        )
        source = shown_source(
            indicator, row.source, int(row.year), edition, synthetic=row.synthetic == "yes"
        )
        # a source as the row above: "idem", where the edition has a word for it
        shown = words.get("same_source") if source == before else None
        before = source
        cells = [
            text.markdown(labels.get(indicator) or breakable(indicator)),
            text.markdown(value),
            text.markdown(shown or source),
            text.markdown(checked),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    caption = text.markdown(words["caption"])
    table_text = f"{text.markdown(words['table_text'])}\n\n" if words.get("table_text") else ""
    return (
        f"# {text.markdown(words['title'])} {{.unnumbered}}\n\n{text.markdown(words['text'])}\n\n"
        + "\n".join(origins)
        + "\n\n"
        + table_text
        + "\n".join(lines)
        + f"\n\n: {caption} {{#tbl-origins}}\n"
    )
