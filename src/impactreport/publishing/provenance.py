"""What a publication was built from, stated in it so that a reader can tell two editions apart.

Derived from what the cache keys cover, never from the state of the working tree: the files the
notebooks read (listed by the compute step with their digests), the code that rendered it, and
the dates the year's descriptor declares. The dates and the synthetic flag are read from the
descriptor when compute ends (``inputs_status``) and travel in the computed results.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from impactreport import __version__
from impactreport.analysis.results import Results
from impactreport.inputs import descriptor
from impactreport.paths import Project


def inputs_digest(results: Results) -> str:
    """One digest over the files the notebooks read: their names and their digests."""
    return hashlib.sha256(results.path("inputs").read_bytes()).hexdigest()


def dated(project: Project, year: int, approved_now: bool) -> tuple[str, str]:
    """The board's approval date, and the date the publication carries: that approval (when
    what is published is what it approved), else the newest date the year's descriptor declares
    (an export, a verification), else the first day after the year closed (never a day of the
    year itself, before its figures could exist). Dates from the data, not file times: a fresh
    clone builds the same bytes."""
    found = descriptor.load(project.year_data(year), checked=False)  # the door checked it
    approved = found.approval.on if found and found.approval and approved_now else ""
    declared = [
        day
        for r in (found.resources if found else ())
        for day in (r.date, r.verified.on if r.verified else "")
        if day
    ]
    return approved, approved or max(declared, default=f"{year + 1}-01-01")


def inputs_status(project: Project, year: int, signed: dict[str, str]) -> dict:
    """What the year's descriptor says of the publication: its dates, whether any input is
    synthetic, and its source documents' titles in other languages; with ``signed``, what the approval states while it covers what is published
    (``approval``: its digest, ``place``, ``by``). Read when compute ends; the editions find it
    in the computed results."""
    approved, issued = dated(project, year, bool(signed.get("approval")))
    found = descriptor.load(project.year_data(year), checked=False)
    synthetic = any(r.synthetic for r in (found.resources if found else ()))
    return {
        "approved": approved,
        "issued": issued,
        "synthetic": "yes" if synthetic else "",
        "titles": document_titles(found),
        **signed,
    }


def document_titles(found: descriptor.Descriptor | None) -> dict[str, dict[str, str]]:
    """Each named source document's title in the other editions' languages, as the year's
    descriptor declares it (``origin: titles:``): the document name -> {language: title}."""
    titles: dict[str, dict[str, str]] = {}
    for resource in found.resources if found else ():
        if resource.titles:
            titles.setdefault(resource.named, {}).update(dict(resource.titles))
    return titles


def describe(results: Results, year: int, code: str) -> dict[str, str]:
    """What the publication states about itself (colophon, metadata); all strings."""
    dates = results.status["inputs"]
    return {
        "year": str(year),
        "digest": inputs_digest(results)[:16],
        "version": __version__,
        "code": code[:10],
        "approved": dates["approved"],
        "issued": dates["issued"],
        "synthetic": dates["synthetic"],
        "approval": dates.get("approval", ""),
        "place": dates.get("place", ""),
        "by": dates.get("by", ""),
    }


def timestamp(issued: str) -> dt.datetime:
    """The PDF's and Word file's creation date: noon UTC of the issue date (``dated``)."""
    return dt.datetime.combine(dt.date.fromisoformat(issued), dt.time(12), tzinfo=dt.UTC)
