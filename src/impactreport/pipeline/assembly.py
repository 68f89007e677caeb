"""The notebooks' parts merged into one compute build, completed by what needs no analysis.

Two notebooks never write the same file. Facts that need no analysis pass from the door's copy
to the indicators table without a kernel, and every row gets its lineage from the year's
descriptor. The package writes the conditions as checked and the publications itself, then
declares and checks the whole as the results package: all that publishing reads.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from impactreport.analysis import results
from impactreport.paths import Project


def merge(project: Project, year: int, staging: Path, parts: list[Path]) -> None:
    """Merge the notebooks' folders into one build; two notebooks never write the same file."""
    from impactreport.analysis import indicators, lineage
    from impactreport.errors import DataError
    from impactreport.inputs import descriptor, door
    from impactreport.inputs.load import load_reference

    owner: dict[Path, Path] = {}
    for part in parts:
        for path in sorted(part.rglob("*")):
            relative = path.relative_to(part)
            if path.is_dir() or relative.parts[0] == "indicators":
                continue
            if relative in owner:
                raise DataError(
                    path, f"also written by {owner[relative].name}: each output has one notebook"
                )
            owner[relative] = part
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, staging / relative)
    catalogue = load_reference(project).catalogue
    written = sorted(p for part in parts for p in (part / "indicators").glob("*.csv"))
    computed = {i for path in written for i in indicators.read(path)["id"]}
    stored = door.read(project, year)
    facts, facts_path = stored.checked_facts, project.root / stored.files["facts"]
    # the facts no notebook computes pass from the door's copy
    passed = indicators.to_frame(indicators.passed_facts(catalogue, facts, year, computed))
    table = indicators.assemble(written, catalogue, passed)
    # each row's inputs, their origin and verification: from the year's descriptor, read here
    # rather than in the kernels, so that a recorded approval reruns no notebook
    table = lineage.annotate(table, facts, facts_path, descriptor.load(facts_path.parent))
    table.to_csv(staging / "indicators.csv", index=False, lineterminator="\n")


def write_tables(project: Project, year: int, staging: Path, checked) -> None:
    """The tables that need no analysis, written by the package rather than by a notebook: the
    conditions as checked and the year's publications, as the door validated them."""
    from impactreport.errors import DataError
    from impactreport.inputs import door

    tables = staging / "tables"
    tables.mkdir(exist_ok=True)
    for name, frame in (
        ("conditions", checked),
        ("publications", door.read(project, year).publications),
    ):
        path = tables / f"{name}.csv"
        if path.exists():
            raise DataError(path, "written by a notebook: the package writes this table itself")
        frame.to_csv(path, index=False, lineterminator="\n")


def write_results(project: Project, year: int, staging: Path) -> None:
    """Declare the results as a data package and check it, with what the editions print beside
    the numbers: the reference data and the status the year's inputs give the edition."""
    from impactreport.analysis import indicators
    from impactreport.inputs.load import load_reference
    from impactreport.pipeline import approval
    from impactreport.publishing import draft, provenance

    reference = load_reference(project)
    table = indicators.read(staging / "indicators.csv")
    changed = approval.pending(project, year, table)
    status = draft.assess(project, year, table, reference, changed)
    signed = approval.signed(project, year, changed)
    record = {
        "draft": draft.as_record(status),
        "inputs": provenance.inputs_status(project, year, signed),
    }
    results.write(staging, year, reference, record)
