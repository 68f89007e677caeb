"""Draft or final: a year's edition is final only when everything it publishes is real and
checked, and the board approved it.

Every reason it is not is one line naming the file (and field or fact) to fix; ``build --final``
refuses with those lines, and a draft says so in every output file. The status is assessed when
compute ends, from the inputs, and travels in the computed results (``analysis.results``): the
editions read it there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from impactreport.analysis.lineage import Lineage, from_table
from impactreport.analysis.results import Results
from impactreport.config import languages
from impactreport.inputs import descriptor
from impactreport.inputs.load import Reference
from impactreport.paths import Project
from impactreport.publishing import identification


@dataclass(frozen=True)
class Status:
    blocking: tuple[str, ...]  # one line per input or value that keeps the edition a draft
    synthetic: bool
    unverified: bool
    approved: bool
    identified: bool = True  # every identification field of art. 2:56 WVV is known
    changed: bool = False  # approved, but something changed since

    @property
    def final(self) -> bool:
        return not self.blocking


def _shown(project: Project, path: Path) -> str:
    return str(path.relative_to(project.root))


def lineages(project: Project, year: int, table: pd.DataFrame) -> dict[str, Lineage]:
    """Each indicator's lineage as the indicators table carries it (traced once, when the
    table was assembled)."""
    return from_table(table, project.year_data(year))


def assess(
    project: Project,
    year: int,
    table: pd.DataFrame,
    reference: Reference,
    changed: list[str] | tuple[str, ...] = (),
) -> Status:
    """Why the year's edition is a draft, one line per reason; none: it may be final.
    ``changed``: what differs from what the board approved (``pipeline.approval``), one line each."""
    year_descriptor = descriptor.load(project.year_data(year))
    blocking: list[str] = []
    where = _shown(project, project.year_data(year) / descriptor.NAME)
    if year_descriptor is None:
        blocking.append(f"{where}: missing: declare where each input of {year} comes from")
    elif year_descriptor.approval is None:
        blocking.append(f"{where}, field approval: the board's approval date is missing")
    blocking.extend(changed)
    traced = lineages(project, year, table)
    synthetic = sorted({f for x in traced.values() if x.synthetic for f in x.files})
    for file in synthetic:
        users = sorted(x.id for x in traced.values() if file in x.files)
        resource = year_descriptor.find(file)
        blocking.append(
            f"{_shown(project, file)}: synthetic ({resource.named}), behind {', '.join(users)}"
        )
    unverified = [x for x in traced.values() if not x.verified and not x.synthetic]
    for item in unverified:
        blocking.append(f"{_shown(project, item.files[0])}, fact {item.id}: not verified")
    blocking.extend(_unverified_files(project, year_descriptor, traced))
    blocking.extend(_reference_lines(project))
    blocking.extend(_unevidenced(project, year, reference, set(table["id"])))
    unknown = identification.missing(reference.organisation, languages(project))
    unknown += identification.inconsistent(reference.organisation, languages(project))
    blocking.extend(reference_gaps(project, reference))
    return Status(
        blocking=tuple(blocking),
        synthetic=bool(synthetic),
        unverified=bool(unverified),
        approved=year_descriptor is not None
        and year_descriptor.approval is not None
        and not changed,
        identified=not unknown,
        changed=bool(changed),
    )


def reference_gaps(project: Project, reference: Reference) -> list[str]:
    """What the reference data leaves to fill in before an edition can be final: the
    identification of art. 2:56 WVV/CSA, and the statutes articles of each condition the
    statutes meet."""
    where = _shown(project, project.reference / "organisation.yml")
    unknown = identification.missing(reference.organisation, languages(project))
    gaps = [f"{where}, field {field}: missing (art. 2:56 WVV/CSA)" for field in unknown]
    gaps += [
        f"{where}, field {problem}"
        for problem in identification.inconsistent(reference.organisation, languages(project))
    ]
    conditions = reference.conditions
    unmapped = conditions[
        (conditions["evidence"] == "statutes")
        & (conditions["statutes_articles"].fillna("").astype(str).str.strip() == "")
    ]
    where = _shown(project, project.reference / "conditions.csv")
    gaps += [
        f"{where}, condition {row.condition}, column statutes_articles: missing (the articles "
        "of the statutes that meet it, e.g. 3;4)"
        for row in unmapped.itertuples()
    ]
    return gaps


def _unverified_files(project: Project, found, traced: dict[str, Lineage]) -> list[str]:
    """The year's published inputs no indicator stands on (publications.csv: the titles and
    authors printed in the report), unverified: a final edition prints nothing unchecked."""
    if found is None:
        return []
    behind = {f for x in traced.values() for f in x.files}
    return [
        f"{_shown(project, r.path)}: {r.origin()} not verified"
        for r in found.resources
        if r.path not in behind and not r.synthetic and r.verified is None
    ]


def _unevidenced(
    project: Project, year: int, reference: Reference, declared: set[str]
) -> list[str]:
    """A condition whose rule needs the year's figures is not shown met by the statutes alone."""
    from impactreport.analysis.conditions import unevidenced

    where = _shown(project, project.year_data(year) / "facts.csv")
    return [
        f"{where}: condition {number} ({topic}) has no evidence for {year}: declare "
        f"{' and '.join(needed)} (from the annual accounts or the general meeting's minutes, or "
        "the board's statement with its minutes and date as source)"
        for number, topic, needed in unevidenced(reference.conditions, declared)
    ]


def _reference_lines(project: Project) -> list[str]:
    reference = descriptor.load(project.reference)
    if reference is None:
        where = _shown(project, project.reference / descriptor.NAME)
        return [f"{where}: missing: declare the legal source of the reference data"]
    return [
        f"{_shown(project, r.path)}: {r.origin()} not verified"
        for r in reference.resources
        if r.kind != "definition" and r.verified is None
    ]


def label(status: Status, words: dict) -> str:
    """'Ontwerpversie: ...' with the reasons, in the edition's words; empty for a final edition."""
    if status.final:
        return ""
    reasons = [
        words[key]
        for key, applies in (
            ("changed", status.changed),
            ("unapproved", not status.approved and not status.changed),
            ("synthetic", status.synthetic),
            ("unverified", status.unverified),
            ("unidentified", not status.identified),
        )
        if applies
    ]
    return words["label"].format(reasons=words["separator"].join(dict.fromkeys(reasons)))


def notes(project: Project, year: int, facts: pd.DataFrame) -> list[str]:
    """What ``check`` reports beside validity: synthetic inputs, unverified inputs and facts."""
    lines = []
    for folder in (project.year_data(year), project.reference):
        found = descriptor.load(folder)
        if found is None:
            lines.append(f"undeclared {_shown(project, folder / descriptor.NAME)} is missing")
            continue
        for resource in found.resources:
            shown = _shown(project, resource.path)
            if resource.synthetic:
                lines.append(f"synthetic {shown}: {resource.named}")
            elif resource.kind != "definition" and resource.verified is None:
                lines.append(f"unverified {shown}: {resource.origin()}")
    checked = facts["verified_by"].astype(str).str.strip() != ""
    if not checked.all():
        ids = ", ".join(facts.loc[~checked, "id"])
        lines.append(f"unverified facts ({(~checked).sum()} of {len(facts)}): {ids}")
    return lines


def as_record(status: Status) -> dict:
    """The status as the computed results keep it (JSON)."""
    return {**asdict(status), "blocking": list(status.blocking)}


def from_record(record: dict) -> Status:
    return Status(**{**record, "blocking": tuple(record["blocking"])})


def edition_label(results: Results, words: dict) -> str:
    """The draft label of a computed year in an edition's words; empty when it may be final."""
    return label(from_record(results.status["draft"]), words["draft"])


def require_final(results: Results, year: int) -> None:
    """Stop with one line per reason the year's edition would be a draft."""
    from impactreport.errors import DraftError

    status = from_record(results.status["draft"])
    if not status.final:
        lines = "\n".join(f"  {line}" for line in status.blocking)
        raise DraftError(f"{year} cannot be final ({len(status.blocking)} reasons):\n{lines}")
