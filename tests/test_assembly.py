"""The notebooks' parts merged into one build: each output has one notebook, the facts no
notebook computes pass as declared with their lineage, and the package writes its own tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURE_YEAR
from impactreport.analysis import indicators
from impactreport.errors import DataError
from impactreport.inputs import door
from impactreport.paths import Project
from impactreport.pipeline import assembly


def part(staging: Path, notebook: str, *files: str) -> Path:
    folder = staging / "parts" / notebook
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"{notebook}: {name}\n", encoding="utf-8")
    return folder


def facts_only(project: Project) -> None:
    """A catalogue of declared facts only: no indicator waits for a notebook."""
    path = project.reference / "indicators.csv"
    catalogue = pd.read_csv(path, dtype=str, keep_default_na=False)
    kept = catalogue[catalogue["origin"].isin(indicators.FACT_ORIGINS)]
    kept.to_csv(path, index=False, lineterminator="\n")


def test_two_notebooks_never_write_the_same_file(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    parts = [
        part(staging, "01-workforce", "figures/nl/fig-staff.svg"),
        part(staging, "02-loans", "figures/nl/fig-staff.svg"),
    ]
    with pytest.raises(DataError, match="also written by 01-workforce: each output has one"):
        assembly.merge(Project(tmp_path), FIXTURE_YEAR, staging, parts)


def test_the_declared_facts_pass_beside_the_notebooks_outputs(mini_project: Project) -> None:
    facts_only(mini_project)
    door.admit(mini_project, FIXTURE_YEAR)
    staging = mini_project.root / "staging"
    parts = [part(staging, "01-workforce", "figures/nl/fig-staff.svg", "notebooks/01.ipynb")]
    assembly.merge(mini_project, FIXTURE_YEAR, staging, parts)
    assert (staging / "figures" / "nl" / "fig-staff.svg").read_text(encoding="utf-8") == (
        "01-workforce: figures/nl/fig-staff.svg\n"
    )
    table = indicators.read(staging / "indicators.csv").set_index("id")
    assert table.at["activity.offices", "value"] == 8
    # its lineage, as the fact row declares it
    assert table.at["activity.offices", "source"].startswith("document: Bijzonder verslag 2024")


def test_the_package_writes_the_conditions_and_publications_itself(mini_project: Project) -> None:
    door.admit(mini_project, FIXTURE_YEAR)
    staging = mini_project.root / "staging"
    staging.mkdir()
    checked = door.read(mini_project, FIXTURE_YEAR).publications.head(0)
    assembly.write_tables(mini_project, FIXTURE_YEAR, staging, checked)
    written = pd.read_csv(staging / "tables" / "publications.csv", dtype=str)
    declared = pd.read_csv(mini_project.year_data(FIXTURE_YEAR) / "publications.csv", dtype=str)
    assert len(written) == len(declared) > 0
    assert list(written.iloc[:, 0]) == list(declared.iloc[:, 0])
    with pytest.raises(DataError, match="written by a notebook: the package writes this table"):
        assembly.write_tables(mini_project, FIXTURE_YEAR, staging, checked)
