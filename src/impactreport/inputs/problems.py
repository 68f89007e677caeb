"""Every problem of a year's inputs in one run, grouped by file, instead of the first one.

The loaders of ``load.py`` stop at the first bad cell, which is what a build needs. An analyst
filling in a new year needs the whole list: each input is checked on its own (its first problem),
each fact row on its own (every empty or wrong fact), and the cross-file checks run once the files
they join are valid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from impactreport.errors import DataError, ImpactReportError
from impactreport.inputs import declared, load, rules, schemas
from impactreport.inputs.tables import Table, find_input, read_table
from impactreport.paths import Project


@dataclass(frozen=True)
class Problem:
    file: Path
    message: str  # the one-line error, file included


def collect(project: Project, year: int) -> list[Problem]:
    """Every missing or invalid input and fact of ``year``, in file order."""
    folder = project.year_folder(year)
    problems: list[Problem] = []

    def attempt(action: Callable[[], object], fallback: Path) -> bool:
        try:
            action()
        except DataError as error:
            problems.append(Problem(error.path, str(error)))
            return False
        except ImpactReportError as error:
            problems.append(Problem(fallback, str(error)))
            return False
        return True

    reference = load.load_reference(project)
    own: dict[str, declared.Loaded] = {}
    found: list[declared.Declared] = []
    attempt(lambda: found.extend(declared.year_tables(folder, project.reference)), folder)
    valid = all(
        [
            attempt(lambda d=item: own.update({d.name: declared.load(d, year)}), item.path)
            for item in found
        ]
    )
    problems.extend(fact_problems(folder, year, reference))
    if valid:  # keys and rules join tables: once each is valid (totals: once the facts are too)
        try:
            facts = load.facts_table(project, year, reference, complete=False)
        except DataError:
            facts = None
        attempt(lambda: rules.check({**reference.tables, **own}, year, facts), folder)
    attempt(lambda: load.load_publications(project, year), folder / "publications.csv")
    # every language an explained condition lacks, not only the first
    explained: list[DataError] = []
    attempt(
        lambda: explained.extend(load.read_explanations(project, year)[1]),
        folder / "explanations.csv",
    )
    problems.extend(Problem(error.path, str(error)) for error in explained)
    return problems


def fact_problems(folder: Path, year: int, reference: load.Reference) -> list[Problem]:
    """Each fact row checked on its own, then the facts the catalogue expects and that are absent."""
    try:
        required = [f.name for f in schemas.FACTS.fields if not f.optional]
        table = read_table(find_input(folder, schemas.FACTS.name), required)
    except DataError as error:
        return [Problem(error.path, str(error))]
    header = list(table.frame.columns)
    if header != schemas.FACTS.columns or table.frame.empty:
        try:
            schemas.validate(table, schemas.FACTS, year=year)
        except DataError as error:
            return [Problem(error.path, str(error))]
    problems = []
    try:  # valid as a whole (the usual case): no row needs checking on its own
        frame = schemas.validate(table, schemas.FACTS, year=year)
        load._check_facts(table, frame, reference.catalogue, complete=False)
        rows = []
    except DataError:
        rows = list(table.frame.index)
    for index in rows:
        row = Table(table.frame.loc[[index]], table.path, table.sheet, table.typed)
        try:
            frame = schemas.validate(row, schemas.FACTS, year=year)
            load._check_facts(row, frame, reference.catalogue, complete=False)
        except DataError as error:
            fact = str(table.frame.at[index, "id"]).strip()
            problems.append(Problem(error.path, f"{error} (fact {fact})" if fact else str(error)))
    declared = reference.catalogue.loc[reference.catalogue["origin"] == "fact", "id"]
    listed = set(table.frame["id"].astype(str).str.strip())
    problems.extend(
        Problem(table.path, f"{table.path}: missing fact {fact!r}: add a row for it")
        for fact in sorted(set(declared) - listed)
    )
    ids = table.frame["id"].astype(str).str.strip()
    for index in ids[ids.duplicated()].index:
        error = table.error(f"duplicate {ids[index]!r}: each id must appear once", index=index)
        problems.append(Problem(table.path, str(error)))
    return problems
