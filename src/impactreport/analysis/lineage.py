"""Where each indicator comes from: the input files it was computed from, their origin, and who
checked them.

An indicator's ``source`` names its inputs (``records: contracts.parquet, persons.parquet`` for a
figure computed from payroll records, ``document: ...`` or ``system: ...`` for a declared fact);
the year's ``datapackage.json`` says where those files come from, and a fact row may carry its own
verification (``verified_by``, ``verified_on``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impactreport.inputs.descriptor import Descriptor, Resource

RECORDS = "records: "
DERIVED = "derived: "  # computed from declared facts: "derived: x.total, x.year"
# a computed value equal to a declared fact (``indicators.reconcile``) rests on the fact: its
# origin names the fact's input, then "reconciled: <files>" (or "reconciled-synthetic: <files>"
# when those records are synthetic), the computation that confirmed it
RECONCILED = "reconciled"
# what indicators.csv carries beside each value
COLUMNS = ["files", "origin", "verified", "synthetic"]


@dataclass(frozen=True)
class Lineage:
    id: str
    value: float
    unit: str
    qualifier: str
    source: str  # as the indicators table states it
    files: tuple[Path, ...]  # the input files it was computed from
    origin: str  # where those files come from, per the descriptor
    verified: str  # "by, on"; empty when nobody checked
    synthetic: bool

    @property
    def fact(self) -> bool:
        return not self.source.startswith(RECORDS)


def _resource(descriptor: Descriptor | None, file: Path) -> Resource | None:
    return descriptor.find(file) if descriptor is not None else None


def _origin(resources: list[Resource | None]) -> str:
    if any(r is None for r in resources):
        return "undeclared"
    return "; ".join(dict.fromkeys(r.origin() for r in resources))


def trace(
    table: pd.DataFrame,
    facts: pd.DataFrame,
    facts_path: Path,
    descriptor: Descriptor | None,
) -> dict[str, Lineage]:
    """Each indicator of the table, with its inputs, their origin and its verification."""
    folder = facts_path.parent
    declared = facts.set_index("id")
    lineages = {}
    for row in table.itertuples():
        if row.source.startswith(RECORDS) and row.id in declared.index:
            lineages[row.id] = _reconciled(row, declared, facts_path, descriptor)
            continue
        if row.source.startswith(RECORDS):
            files = tuple(folder / name.strip() for name in row.source[len(RECORDS) :].split(","))
            resources = [_resource(descriptor, f) for f in files]
            checks = [r.verified for r in resources if r is not None]
            verified = "; ".join(str(v) for v in checks if v) if all(checks) and checks else ""
        elif row.source.startswith(DERIVED):
            files = (facts_path,)
            resources = [_resource(descriptor, facts_path)]
            named = [i.strip() for i in row.source[len(DERIVED) :].split(",")]
            checks = [_fact_verification(declared, i, resources[0]) for i in named]
            verified = "; ".join(dict.fromkeys(checks)) if all(checks) else ""
        else:
            files = (facts_path,)
            resources = [_resource(descriptor, facts_path)]
            verified = _fact_verification(declared, row.id, resources[0])
        lineages[row.id] = Lineage(
            id=row.id,
            value=float(row.value),
            unit=row.unit,
            qualifier=row.qualifier,
            source=row.source,
            files=files,
            origin=_origin(resources),
            verified=verified,
            synthetic=any(r is not None and r.synthetic for r in resources),
        )
    return lineages


def _reconciled(
    row, declared: pd.DataFrame, facts_path: Path, descriptor: Descriptor | None
) -> Lineage:
    """A value computed from records and declared as a fact: the fact's lineage (its source,
    its file's origin, its verification), and the records that confirmed it."""
    folder = facts_path.parent
    names = [name.strip() for name in row.source[len(RECORDS) :].split(",")]
    records = [_resource(descriptor, folder / name) for name in names]
    synthetic = any(r is not None and r.synthetic for r in records)
    kind = f"{RECONCILED}-synthetic" if synthetic else RECONCILED
    resource = _resource(descriptor, facts_path)
    fact = declared.loc[row.id]
    return Lineage(
        id=row.id,
        value=float(row.value),
        unit=row.unit,
        qualifier=row.qualifier,
        source=f"{fact.source_type}: {fact.source}",
        files=(facts_path,),
        origin=f"{_origin([resource])}; {kind}: {', '.join(names)}",
        verified=_fact_verification(declared, row.id, resource),
        synthetic=False,
    )


def _fact_verification(declared: pd.DataFrame, fact_id: str, resource: Resource | None) -> str:
    """The row's own verification, else the whole file's."""
    if fact_id in declared.index and "verified_by" in declared.columns:
        fact = declared.loc[fact_id]
        if str(fact.verified_by).strip() and not pd.isna(fact.verified_on):
            return f"{fact.verified_by}, {pd.Timestamp(fact.verified_on).date().isoformat()}"
    if resource is not None and resource.verified is not None:
        return str(resource.verified)
    return ""


def annotate(
    table: pd.DataFrame, facts: pd.DataFrame, facts_path: Path, descriptor: Descriptor | None
) -> pd.DataFrame:
    """The table with, per row, the input files it rests on, their origin and verification."""
    traced = trace(table, facts, facts_path, descriptor)
    annotated = table.copy()
    annotated["source"] = [traced[i].source for i in table["id"]]
    annotated["files"] = [";".join(f.name for f in traced[i].files) for i in table["id"]]
    annotated["origin"] = [traced[i].origin for i in table["id"]]
    annotated["verified"] = [traced[i].verified for i in table["id"]]
    annotated["synthetic"] = ["yes" if traced[i].synthetic else "" for i in table["id"]]
    return annotated


def from_table(table: pd.DataFrame, folder: Path) -> dict[str, Lineage]:
    """The lineage written into indicators.csv, read back: each input file named in ``folder``,
    the year's data folder."""
    return {
        row.id: Lineage(
            id=row.id,
            value=float(row.value),
            unit=row.unit,
            qualifier=row.qualifier,
            source=row.source,
            files=tuple(folder / name for name in str(row.files).split(";") if name),
            origin=row.origin,
            verified=row.verified,
            synthetic=row.synthetic == "yes",
        )
        for row in table.itertuples()
    }
