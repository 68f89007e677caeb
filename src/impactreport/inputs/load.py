"""Load and validate everything a year needs: its declared tables, facts, and the reference data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from impactreport.errors import DataError
from impactreport.inputs import declared, descriptor, kept, rules, schemas
from impactreport.inputs.tables import FORMATS, Table, find_input, present, read_table
from impactreport.paths import Project
from impactreport.yamlfile import load_yaml


@dataclass(frozen=True)
class Reference:
    catalogue: pd.DataFrame
    conditions: pd.DataFrame
    organisation: dict
    folder: Path = Path()  # where the reference data lies (a logo named in organisation.yml)
    tables: dict[str, declared.Loaded] = field(default_factory=dict)  # its own declared tables


@dataclass(frozen=True)
class YearInputs:
    """A year's validated tables by name, and the file each came from: the facts, the
    publications (optional), and every table the data packages declare (records such as a
    payroll or a share register: most cooperatives declare their workforce as facts instead)."""

    year: int
    tables: dict[str, pd.DataFrame]
    explanations: dict[int, dict[str, str]]  # condition -> language -> text
    files: dict[str, Path]  # table -> the file it was read from


def validated_table(
    path: Path, schema: schemas.Schema, year: int | None = None
) -> tuple[Table, pd.DataFrame]:
    """The file read and validated against ``schema``: its table (to name rows) and typed frame."""
    return kept.validated(path, schema, year, [f.name for f in schema.fields if not f.optional])


def _load(
    folder: Path, schema: schemas.Schema, year: int | None = None
) -> tuple[Table, pd.DataFrame]:
    return validated_table(find_input(folder, schema.name), schema, year)


def load_reference(project: Project) -> Reference:
    descriptor.load(project.reference)  # where the reference data comes from, checked
    _, catalogue = _load(project.reference, schemas.CATALOGUE)
    _, conditions = _load(project.reference, schemas.CONDITIONS)
    organisation = load_yaml(project.reference / "organisation.yml")
    _check_organisation(project, organisation)
    logo = organisation.get("logo")
    if logo and not (project.reference / str(logo)).is_file():
        raise DataError(
            project.reference / "organisation.yml",
            f"field logo: {logo} is not in {project.reference.name}/: add the file or empty the field",
        )
    own = {d.name: declared.load(d, None) for d in declared.reference_tables(project.reference)}
    rules.check(own, None, None)
    return Reference(
        catalogue=catalogue,
        conditions=conditions,
        organisation=organisation,
        folder=project.reference,
        tables=own,
    )


class AdmittedReference:
    """The reference data once the door has checked it, each file read when first used: what a
    notebook's kernel reads of it is what its cache key covers (a new logo reruns no notebook)."""

    def __init__(self, project: Project) -> None:
        self.folder = project.reference

    @cached_property
    def catalogue(self) -> pd.DataFrame:
        return _load(self.folder, schemas.CATALOGUE)[1]

    @cached_property
    def conditions(self) -> pd.DataFrame:
        return _load(self.folder, schemas.CONDITIONS)[1]

    @cached_property
    def organisation(self) -> dict:
        return load_yaml(self.folder / "organisation.yml")


def _check_organisation(project: Project, organisation: dict) -> None:
    """What every edition prints from organisation.yml: its name and, per language, the short
    legal form (the identification fields may stay empty in a draft: ``draft`` says so)."""
    from impactreport.config import languages

    path = project.reference / "organisation.yml"
    if not str(organisation.get("name") or "").strip():
        raise DataError(path, "field name: missing: the organisation's name, as in its statutes")
    forms = organisation.get("legal_form")
    for lang in languages(project):
        if not isinstance(forms, dict) or not str(forms.get(lang) or "").strip():
            raise DataError(
                path,
                f"field legal_form.{lang}: missing: the short legal form in {lang} "
                "(as the running text and the page footer name it)",
            )


def load_facts(
    project: Project, year: int, reference: Reference | AdmittedReference, *, complete: bool = True
) -> tuple[pd.DataFrame, Path]:
    """The year's facts; ``complete=False`` for an earlier year, which may predate newer facts."""
    table, facts = facts_table(project, year, reference, complete=complete)
    return facts, table.path


def facts_table(
    project: Project, year: int, reference: Reference | AdmittedReference, *, complete: bool = True
) -> tuple[Table, pd.DataFrame]:
    table, facts = _load(project.year_folder(year), schemas.FACTS, year)
    _check_facts(table, facts, reference.catalogue, complete=complete)
    return table, facts


def load_publications(project: Project, year: int) -> tuple[pd.DataFrame, Path | None]:
    """The year's publications and their file; none listed when the year has no such file."""
    folder = project.year_folder(year)
    if not present(folder, schemas.PUBLICATIONS.name):
        columns = schemas.PUBLICATIONS.columns
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns}), None
    table, frame = _load(folder, schemas.PUBLICATIONS, year)
    return frame, table.path


def load_explanations(project: Project, year: int) -> dict[int, dict[str, str]]:
    """The analyst's explanations of conditions, by condition then language (optional file)."""
    explanations, missing = read_explanations(project, year)
    if missing:
        raise missing[0]
    return explanations


def read_explanations(
    project: Project, year: int
) -> tuple[dict[int, dict[str, str]], list[DataError]]:
    """The explanations, and one problem per language an explained condition lacks (``check``
    lists them all); a bad row raises."""
    from impactreport.config import languages as configured

    folder = project.year_folder(year)
    if not any((folder / f"{schemas.EXPLANATIONS.name}{ext}").is_file() for ext in FORMATS):
        return {}, []
    languages = configured(project)
    table = read_table(find_input(folder, schemas.EXPLANATIONS.name), schemas.EXPLANATIONS.columns)
    if "lang" not in table.frame.columns:
        if len(languages) > 1:
            raise table.error(
                f"no column 'lang': the report is published in {', '.join(languages)}, so "
                "each explanation names its language: write the columns "
                "condition,lang,explanation, one row per condition and language",
                column="lang",
            )
        # the form without languages is unambiguous in a one-language project
        table = replace(table, frame=table.frame.assign(lang=languages[0]))
    fields = tuple(
        replace(f, choices=tuple(languages)) if f.name == "lang" else f
        for f in schemas.EXPLANATIONS.fields
    )
    frame = schemas.validate(table, replace(schemas.EXPLANATIONS, fields=fields), year=year)
    index = _first(frame.duplicated(["condition", "lang"]))
    if index is not None:
        raise table.error(
            f"condition {frame.at[index, 'condition']} is explained twice in "
            f"{frame.at[index, 'lang']}: keep one row",
            index=index,
            column="lang",
        )
    explanations: dict[int, dict[str, str]] = {}
    for row in frame.itertuples():
        explanations.setdefault(int(row.condition), {})[row.lang] = row.explanation
    missing = [
        DataError(
            table.path,
            f"condition {condition} has no explanation in {lang}: add a row "
            f"{condition},{lang},<the explanation in {lang}> (an explained condition needs one "
            f"row per language: {', '.join(languages)})",
        )
        for condition, texts in sorted(explanations.items())
        for lang in languages
        if lang not in texts
    ]
    return explanations, missing


def load_year(project: Project, year: int, reference: Reference) -> YearInputs:
    """Every input of the year, validated; the first problem raises."""
    folder = project.year_folder(year)
    descriptor.load(folder)
    own = load_declared(project, year)
    facts = facts_table(project, year, reference)
    rules.check({**reference.tables, **own}, year, facts)
    tables = {name: item.frame for name, item in own.items()}
    files = {name: item.table.path for name, item in own.items()}
    tables["facts"], files["facts"] = facts[1], facts[0].path
    tables["publications"], publications_path = load_publications(project, year)
    if publications_path is not None:
        files["publications"] = publications_path
    return YearInputs(
        year=year, tables=tables, explanations=load_explanations(project, year), files=files
    )


def load_declared(project: Project, year: int) -> dict[str, declared.Loaded]:
    """The year's own declared tables, each validated cell by cell (keys and rules: ``rules``)."""
    found = declared.year_tables(project.year_folder(year), project.reference)
    return {item.name: declared.load(item, year) for item in found}


def _first(mask: pd.Series) -> int | None:
    hits = mask[mask].index
    return None if hits.empty else hits[0]


def _check_facts(
    table: Table, facts: pd.DataFrame, catalogue: pd.DataFrame, *, complete: bool = True
) -> None:
    units = dict(zip(catalogue["id"], catalogue["unit"], strict=True))
    unknown = _first(~facts["id"].isin(units))
    if unknown is not None:
        raise table.error(
            f"unknown fact id {facts.at[unknown, 'id']!r}: expected an id of data/reference/indicators.csv",
            index=unknown,
            column="id",
        )
    expected_units = facts["id"].map(units)
    wrong = _first(facts["unit"] != expected_units)
    if wrong is not None:
        raise table.error(
            f"unit {facts.at[wrong, 'unit']!r} does not match {facts.at[wrong, 'id']}: expected {expected_units[wrong]!r}",
            index=wrong,
            column="unit",
        )
    whole = facts["unit"].isin(["count", "years"]) & (facts["value"] % 1 != 0)
    index = _first(whole)
    if index is not None:
        raise table.error(
            f"{facts.at[index, 'value']:g} is not a whole number of {facts.at[index, 'unit']}",
            index=index,
            column="value",
        )
    declared = catalogue.loc[catalogue["origin"] == "fact", "id"]
    missing = sorted(set(declared) - set(facts["id"]))
    if missing and complete:
        raise DataError(
            table.path,
            f"missing fact {missing[0]!r}"
            + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
            + ": add a row for it",
        )
