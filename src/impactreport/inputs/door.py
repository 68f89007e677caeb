"""The data door: everything a year's build reads is validated once, before any notebook starts.

``admit`` checks the year's inputs, the reference data and the earlier years the history reads,
then writes the validated, typed tables to ``_build/<year>/inputs/`` (Parquet, written whole and
swapped in). Notebooks read that copy through ``read``, never the raw exports, so bad data is
reported as bad data about its file before a kernel starts, and a 200 MB CSV is parsed once.

The copy is rewritten only when what it was made from changed (the files' bytes, the names in
``data/``, the validation code, the reading libraries): on a rebuild with nothing changed, the
door only hashes files, imports no pandas and writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from impactreport import digests, folders
from impactreport.config import profile_group
from impactreport.errors import DataError
from impactreport.inputs import kept, reads
from impactreport.paths import Project

FOLDER = "inputs"
# who checked a fact and when: for the lineage, added when the build is assembled, kept apart
# from the facts the notebooks read, so that recording a check reruns no notebook
CHECKS = ("verified_by", "verified_on")
THEME_FACTS = "facts."  # facts.<theme>.parquet: the facts of one theme, for the notebooks
MANIFEST = "manifest.json"  # what the copy was made from: its key (every source's digest)
SOURCES = "sources.json"  # table -> the file it came from: changes only when a file is renamed
HISTORY = "indicators"  # an earlier year's indicators table: data/<y>/ or its build
READERS = ("pandas", "pyarrow", "openpyxl", "charset-normalizer")
CODE = Path(__file__).resolve().parent


def folder(project: Project, year: int) -> Path:
    return project.year_build(year) / FOLDER


@dataclass
class Admitted:
    """The validated inputs of a year, as the notebooks receive them: ``table(name)`` (or
    ``.name``) for any table the data packages declare, beside the facts and the history.

    A table is a pandas frame, or a function that reads it from the door's copy the first time it
    is used: a notebook that needs only the facts never reads (nor depends on) the records."""

    year: int
    tables: dict[str, object]  # name -> frame; typed loosely so this module imports no pandas
    files: Mapping[str, str]  # table -> the file it came from, relative to the project root
    # catalogue id -> theme, as validated; the door's copy holds each theme's facts in a file
    theme_of: dict[str, str] = field(default_factory=dict)

    def _table(self, name: str):
        if name not in self.tables:
            raise DataError(
                Path("data") / str(self.year),
                f"no {name} table in data/{self.year}/ nor data/reference/: a notebook that "
                f"reads it cannot run; add {name}.csv and declare it in the folder's "
                "datapackage.json (a resource with a schema)",
            )
        if callable(self.tables[name]):
            self.tables[name] = self.tables[name]()
        return self.tables[name]

    def table(self, name: str):
        """Any admitted table by its name in the data package (``contracts``, ``register``)."""
        return self._table(name)

    def __getattr__(self, name: str):
        if name.startswith("_") or name in ("year", "tables", "files", "theme_of"):
            raise AttributeError(name)
        return self._table(name)

    def source(self, names: str) -> str:
        """How an indicator names the records it was computed from: ``contracts+persons`` ->
        'records: persons.parquet, contracts.parquet' (in the order the files are declared)."""
        wanted = names.split("+")
        return "records: " + ", ".join(
            Path(path).name for name, path in self.files.items() if name in wanted
        )

    # in the door's copy, without who checked them (CHECKS): ``checked_facts`` joins them back
    facts = property(lambda self: self._table("facts"))
    publications = property(lambda self: self._table("publications"))
    # earlier years' indicators: year, id, value, unit
    history = property(lambda self: self._table("history"))

    @property
    def explanations(self) -> dict[int, dict[str, str]]:
        """condition -> language -> text."""
        frame = self._table("explanations")
        if isinstance(frame, dict):
            return frame
        explanations: dict[int, dict[str, str]] = {}
        for row in frame.itertuples():
            explanations.setdefault(int(row.condition), {})[row.lang] = row.explanation
        return explanations

    def facts_of(self, theme: str):
        """The facts of one theme of the catalogue (``loans``): a notebook that reads only these
        runs again only when one of them changes, not for any fact of the year."""
        name = f"{THEME_FACTS}{theme}"
        if name not in self.tables:  # as validated, before the copy splits them by theme
            if theme not in self.theme_of.values():
                raise ValueError(f"no theme {theme!r} in the catalogue (indicators.csv)")
            self.tables[name] = _of_theme(self.facts, self.theme_of, theme)
        return self._table(name)

    @property
    def checked_facts(self):
        """The facts with who checked each one and when, for the lineage."""
        facts = self.facts
        if "fact_checks" not in self.tables:  # as validated, before the copy splits them
            return facts
        return facts.merge(self._table("fact_checks"), on="id", how="left", validate="1:1")


def _of_theme(facts, theme_of: dict[str, str], theme: str):
    return facts[facts["id"].map(theme_of) == theme].reset_index(drop=True)


def validate(project: Project, year: int) -> Admitted:
    """Every input the year's build reads, validated; the first problem raises a DataError."""
    from impactreport.inputs.load import load_reference, load_year

    reference = load_reference(project)
    inputs = load_year(project, year, reference)
    history, history_files = earlier_years(project, year, reference)
    own = reference.tables  # the reference's own declared tables, readable by name too
    files = {name: str(item.table.path.relative_to(project.root)) for name, item in own.items()}
    files.update((name, str(path.relative_to(project.root))) for name, path in inputs.files.items())
    tables = {name: item.frame for name, item in own.items()}
    tables.update(inputs.tables)
    tables.update(explanations=inputs.explanations, history=history)
    catalogue = reference.catalogue
    theme_of = dict(zip(catalogue["id"], catalogue["theme"], strict=True))
    return Admitted(year=year, tables=tables, files={**files, **history_files}, theme_of=theme_of)


def earlier_years(project: Project, year: int, reference) -> tuple[object, dict[str, str]]:
    """The trend indicators of every earlier year with data, from its indicators, not its records.

    Per year, the first that exists: a committed ``data/<y>/indicators.*`` (a year whose raw
    inputs are private), the year's own build, or its facts alone (a year kept as facts only)."""
    import pandas as pd

    from impactreport.inputs import schemas
    from impactreport.inputs.load import load_facts, validated_table

    trend = reference.catalogue.loc[reference.catalogue["trend"] == "yes", ["id", "unit"]]
    frames, files = [], {}
    for earlier in (y for y in project.years() if y < year):
        source = history_source(project, earlier)
        if source is None:
            facts, path = load_facts(project, earlier, reference, complete=False)
            rows = facts[["id", "value", "unit"]]
        else:
            table, rows = validated_table(source, schemas.INDICATORS, None)
            other = rows["year"] != earlier
            if other.any():
                index = other[other].index[0]
                raise table.error(
                    f"{rows.at[index, 'year']} in the indicators of {earlier}: expected {earlier} "
                    "in every row",
                    index=index,
                    column="year",
                )
            path = source
        files[f"history-{earlier}"] = str(path.relative_to(project.root))
        frames.append(rows.merge(trend, on=["id", "unit"]).assign(year=earlier))
    columns = ["year", "id", "value", "unit"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _HISTORY_TYPES.items()}), files
    history = pd.concat(frames, ignore_index=True)[columns]
    return history.astype(_HISTORY_TYPES), files


_HISTORY_TYPES = {"year": "int64", "id": "str", "value": "float64", "unit": "str"}


def history_source(project: Project, year: int) -> Path | None:
    """Where the indicators of an earlier year are; None when only its facts can tell."""
    from impactreport.inputs.tables import FORMATS

    data = project.year_data(year)
    committed = [
        data / f"{HISTORY}{ext}" for ext in FORMATS if (data / f"{HISTORY}{ext}").is_file()
    ]
    if committed:
        return committed[0]
    built = project.year_build(year) / "compute" / "indicators.csv"
    if built.is_file():
        return built
    from impactreport.inputs.declared import year_tables

    records = year_tables(data, project.reference)
    if records:
        raise DataError(
            records[0].path,
            f"the records of {year} are here but not its indicators, which the history of later "
            f"years reads: run `impactreport compute --year {year}` first, or commit its "
            f"indicators table as data/{year}/indicators.csv",
        )
    return None


def sources(project: Project, year: int) -> list[Path]:
    """Every file the door reads for ``year``: what its copy is current against."""
    found = [p for p in sorted(project.reference.rglob("*")) if p.is_file()]
    for y in project.years():
        if y > year:
            continue
        found += [p for p in sorted(project.year_data(y).iterdir()) if p.is_file()]
        built = project.year_build(y) / "compute" / "indicators.csv"
        if y < year and built.is_file():
            found.append(built)
    return found


def key(project: Project, year: int) -> dict:
    files = {
        str(p.relative_to(project.root)): digests.file_digest(p) for p in sources(project, year)
    }
    code = {p.name: digests.file_digest(p) for p in sorted(CODE.glob("*.py"))}
    return {
        "year": year,
        "files": files,
        "years": [str(y) for y in project.years()],
        # the explanations are checked against the languages: a language added checks them again
        "languages": profile_group(project.root),
        "code": code,
        "libraries": {name: digests.version(name) for name in READERS},
    }


def current(project: Project, year: int) -> bool:
    try:
        written = json.loads((folder(project, year) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return written.get("key") == key(project, year)


def admit(project: Project, year: int) -> Path:
    """Validate the year (unless its copy is current) and write the typed copy; its folder."""
    target = folder(project, year)
    if current(project, year):
        return target
    before = key(project, year)
    _write(target, validate(project, year), before)
    if not kept.keeping():  # while tables are kept for the next edit, nothing is given back
        _release_memory()
    return target


def _release_memory() -> None:
    """Give back what validating held: Arrow's allocator keeps freed pages for reuse, and the
    kernels that start next would count beside them (900 MB for a 10 x payroll)."""
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()


def _write(target: Path, admitted: Admitted, made_from: dict) -> None:
    """Write the copy beside its place and swap it in; a failed write leaves nothing behind."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        (condition, lang, explanation)
        for condition, texts in admitted.explanations.items()
        for lang, explanation in texts.items()
    ]
    explanations = pd.DataFrame(
        {
            name: pd.Series([row[i] for row in rows], dtype=kind)
            for i, (name, kind) in enumerate(
                (("condition", "int64"), ("lang", "str"), ("explanation", "str"))
            )
        }
    )
    tables = {name: admitted._table(name) for name in admitted.tables if name != "explanations"}
    tables["explanations"] = explanations
    files = dict(admitted.files)
    checks = [c for c in CHECKS if c in tables["facts"].columns]
    if checks:
        tables["fact_checks"] = tables["facts"][["id", *checks]]
        tables["facts"] = tables["facts"].drop(columns=checks)
        files["fact_checks"] = files["facts"]
    for theme in sorted(set(admitted.theme_of.values())):  # every theme, even one without facts
        name = f"{THEME_FACTS}{theme}"
        tables[name] = _of_theme(tables["facts"], admitted.theme_of, theme)
        files[name] = files["facts"]
    fresh = folders.beside(target)
    try:
        for name, frame in tables.items():
            arrow = pa.Table.from_pandas(frame, preserve_index=False)
            # plain pages: a copy the notebooks read whole, written and read in a third of the
            # time of compressed, dictionary-encoded ones (on disk, about the export's size)
            pq.write_table(
                arrow,
                fresh / f"{name}.parquet",
                compression="none",
                use_dictionary=False,
                write_statistics=False,
            )
        (fresh / SOURCES).write_text(json.dumps(files, indent=1), encoding="utf-8")
        (fresh / MANIFEST).write_text(json.dumps({"key": made_from}, indent=1), encoding="utf-8")
        folders.swap(fresh, target)
    except BaseException:
        folders.remove(fresh)
        raise


class _Sources(Mapping):
    """The copy's table -> file map, read (and recorded as read) only when a notebook asks where
    a table came from: a notebook that never asks does not run again when a year is added
    before this one or a file is renamed."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._files: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self._files is None:
            reads.record(self._path)
            self._files = json.loads(self._path.read_text(encoding="utf-8"))
        return self._files

    def __getitem__(self, name: str) -> str:
        return self._loaded()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def read(project: Project, year: int) -> Admitted:
    """The year's validated inputs, as the door wrote them. Not the manifest: its key changes
    with every input, which would make every notebook depend on every input."""
    import pandas as pd

    where = folder(project, year)
    files = _Sources(where / SOURCES)

    def reader(name: str):
        def table():
            path = where / f"{name}.parquet"
            reads.record(path)
            return pd.read_parquet(path)

        return table

    written = [p.stem for p in sorted(where.glob("*.parquet"))]
    return Admitted(year=year, tables={name: reader(name) for name in written}, files=files)
