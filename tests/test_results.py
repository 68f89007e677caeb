"""The computed results as a data package: declared, checked when compute ends, and all that
publishing reads of a year."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from impactreport.analysis import results
from impactreport.analysis.results import Results
from impactreport.errors import DataError
from impactreport.paths import Project
from impactreport.pipeline import build

# drawn from the synthetic payroll alone; the open-ended contracts' chart draws the figures the
# 2024 report gives, which the payroll only confirms
PAYROLL_FIGURES = {"fig-wages-tension", "fig-workforce-contracts"}


def test_every_table_publishing_reads_is_declared_with_its_schema(computed_2024: Project):
    computed = Results(computed_2024.year_build(2024) / "compute")
    declared = json.loads((computed.folder / results.NAME).read_text(encoding="utf-8"))
    tables = {r["name"] for r in declared["resources"] if "schema" in r}
    assert tables == {"indicators", "conditions", "history", "changes", "publications", "figures"}
    results.check(computed.folder)  # as compute checked it


def test_the_conditions_carry_a_boolean_verdict_and_the_kind_of_evidence(computed_2024: Project):
    conditions = Results(computed_2024.year_build(2024) / "compute").table("conditions")
    assert conditions["met"].dtype == "boolean"
    assert len(conditions) == 9
    # 2024 declares no governance figure: the conditions about the year's operation have no
    # verdict (empty), those about the statutes themselves and this report are met
    verdicts = dict(zip(conditions["condition"], conditions["met"], strict=True))
    assert [n for n, met in verdicts.items() if met is pd.NA] == [3, 5, 6, 7, 8]
    assert all(verdicts[n] for n in (1, 2, 4, 9))
    assert set(conditions["evidence"]) <= {"statutes", "facts", "report", "unevidenced"}


def test_each_figure_has_its_alt_text_and_says_whether_it_rests_on_synthetic_input(
    computed_2024: Project,
):
    figures = Results(computed_2024.year_build(2024) / "compute").table("figures")
    assert set(figures["lang"]) == {"nl", "fr"}
    assert (figures["alt"].str.len() > 40).all()
    synthetic = set(figures.loc[figures["synthetic"], "id"])
    assert synthetic == PAYROLL_FIGURES  # the 2024 payroll files are synthetic
    assert "fig-loans" in set(figures["id"]) - synthetic


@pytest.mark.slow
def test_publishing_reads_nothing_under_data(own_built_2024: Project, tmp_path: Path):
    """Render again with data/ moved away after compute: the same publication."""

    def published() -> dict[str, bytes]:
        editions = [own_built_2024.output / "2024" / lang for lang in ("nl", "fr")]
        return {f"{p.parent.name}/{p.name}": p.read_bytes() for e in editions for p in e.iterdir()}

    before = published()
    shutil.move(own_built_2024.data, tmp_path / "data-elsewhere")
    build.render_editions(own_built_2024, 2024, ["nl", "fr"], force=True)
    after = published()
    assert sorted(after) == sorted(before) and len(before) == 6
    assert [name for name in before if before[name] != after[name]] == []


def _package(folder: Path, conditions: str) -> Path:
    (folder / "tables").mkdir(parents=True)
    (folder / results.REFERENCE).mkdir()
    (folder / "indicators.csv").write_text(
        "id,year,value,unit,qualifier,source,files,origin,verified,synthetic\n"
        "a.b,2031,1.0,count,,system: x,facts.csv,transcription: y,,\n",
        encoding="utf-8",
    )
    header = "condition,topic,statutes_articles,amended_by,law,evidence,left_id,left_value,"
    header += "right_id,right_value,met,shown\n"
    (folder / "tables" / "conditions.csv").write_text(header + conditions, encoding="utf-8")
    (folder / "figures.csv").write_text(
        ",".join(f["name"] for f in results.TABLES["figures"][2]) + "\n", encoding="utf-8"
    )
    declared = results.descriptor(folder, 2031)
    (folder / results.NAME).write_text(json.dumps(declared), encoding="utf-8")
    return folder


def test_a_verdict_that_is_no_boolean_is_refused_naming_row_and_column(tmp_path):
    folder = _package(tmp_path, "1,t,3,,kb,statutes,,,,,True,\n2,t,3,,kb,statutes,,,,,maybe,\n")
    with pytest.raises(DataError, match=r"row 3, column met: 'maybe' is not a boolean"):
        results.check(folder)


def test_a_declared_file_that_was_not_written_is_refused(tmp_path):
    folder = _package(tmp_path, "1,t,3,,kb,statutes,,,,,False,\n")
    results.check(folder)
    assert Results(folder).table("conditions")["met"].tolist() == [False]
    (folder / "figures.csv").unlink()
    with pytest.raises(DataError, match="declared in datapackage.json as 'figures'"):
        results.check(folder)


def test_the_figures_go_out_beside_the_editions_as_open_data(computed_2024: Project):
    published = computed_2024.output / "2024" / results.OPEN_DATA
    results.check(published)
    package = Results(published)
    indicators = package.table("indicators")
    computed = Results(computed_2024.year_build(2024) / "compute").indicators
    assert indicators["id"].tolist() == computed["id"].tolist()
    single = indicators.set_index("id").loc["workforce.single_contract"]
    assert single["synthetic"] == "yes" and single["files"]  # with its lineage
    fte = indicators.set_index("id").loc["workforce.fte"]  # transcribed, the payroll agreeing
    assert fte["synthetic"] != "yes" and "reconciled-synthetic" in fte["origin"]
    assert "path" not in package.table("figures").columns  # the build's own places stay home


@pytest.mark.parametrize(("lang", "document"), [("nl", "report.html"), ("fr", "rapport.html")])
def test_each_colophon_links_the_open_data_beside_it(computed_2024: Project, lang, document):
    edition = computed_2024.output / "2024" / lang
    html = (edition / document).read_text(encoding="utf-8")
    colophon = html.split('id="colophon"', 1)[1]
    target = colophon.split('href="', 1)[1].split('"', 1)[0]
    assert target.endswith(results.NAME)
    # the open data is swapped in whole behind a link: compare the paths as written
    assert (
        Path(os.path.normpath(edition / target))
        == edition.parent / results.OPEN_DATA / results.NAME
    )
    assert (edition / target).is_file()
