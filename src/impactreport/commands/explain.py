"""``impactreport explain ID --year Y``: where one published value comes from."""

from __future__ import annotations

import difflib

from impactreport import digests
from impactreport.analysis import indicators, lineage
from impactreport.analysis.editions import load as load_edition
from impactreport.analysis.formatting import phrase, plain
from impactreport.config import languages
from impactreport.errors import DataError, UnknownIndicatorError
from impactreport.paths import Project
from impactreport.pipeline import cache
from impactreport.pipeline.plan import entry_folder, notebooks


def explain(project: Project, year: int, indicator_id: str) -> list[str]:
    """Value (as each edition writes it), source, origin, verification, input files with their
    digests, and the notebook that computed it."""
    path = project.year_build(year) / "compute" / "indicators.csv"
    if not path.is_file():
        raise DataError(path, f"missing: run impactreport compute --year {year} first")
    table = indicators.read(path).set_index("id")
    if indicator_id not in table.index:
        close = difflib.get_close_matches(indicator_id, list(table.index), n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "see data/reference/indicators.csv"
        raise UnknownIndicatorError(f"no indicator {indicator_id!r} in {year}: {hint}")
    row = table.loc[indicator_id]
    shown = [
        f"{lang}: {phrase(float(row.value), row.unit, row.qualifier, load_edition(project, lang).style)}"
        for lang in languages(project)
    ]
    lines = [
        f"{indicator_id} ({year})",
        f"  value     {plain(row.value)} {row.unit} ({'; '.join(shown)})",
        f"  source    {row.source}",
        f"  origin    {row.origin}",
        f"  verified  {row.verified or ('no (synthetic)' if row.synthetic == 'yes' else 'no')}",
    ]
    for name in str(row.files).split(";"):
        file = project.year_data(year) / name
        digest = digests.file_digest(file) if file.is_file() else "missing"
        lines.append(f"  file      {file.relative_to(project.root)}  {digest}")
    lines.append(f"  notebook  {_notebook(project, year, indicator_id, row.source)}")
    return lines


def _notebook(project: Project, year: int, indicator_id: str, source: str) -> str:
    """The notebook whose cached indicators hold the id; none for a fact passed as declared."""
    for notebook in notebooks(project):
        part = entry_folder(project, year, notebook) / cache.OUTPUTS / "indicators"
        for csv in sorted(part.glob("*.csv")):
            if indicator_id in set(indicators.read(csv)["id"]):
                return str(notebook.relative_to(project.root))
    if not source.startswith((lineage.RECORDS, lineage.DERIVED)):
        return "none (a declared fact, passed to the table as it is)"
    return "unknown (no cache entry: run impactreport compute)"
