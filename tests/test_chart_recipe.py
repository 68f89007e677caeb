"""docs/adding-a-chart.md, followed to the letter: its worked example adds an indicator and its
chart to both editions, and each half-done step is refused in one line naming its file.

The code blocks of the page are what the test writes: a page that drifts from the code fails.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ROOT
from impactreport.commands import yearcheck
from impactreport.errors import ImpactReportError
from impactreport.paths import Project
from impactreport.pipeline import build

RECIPE = ROOT / "docs" / "adding-a-chart.md"
CHAPTERS = {"nl": "sections/nl/_03-activiteit.qmd", "fr": "sections/fr/_03-activite.qmd"}


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", RECIPE.read_text(encoding="utf-8"), flags=re.S)


def add_catalogue_row(root) -> None:
    (row,) = blocks("csv")
    with (root / "data" / "reference" / "indicators.csv").open("a", encoding="utf-8") as out:
        out.write(row)


NAIVE = """import matplotlib.pyplot as plt
import pandas as pd

facts = pd.read_csv("../data/2024/facts.csv").set_index("id")["value"]
plt.bar(["offices", "advisors"], [facts["activity.offices"], facts["activity.advisors"]])
plt.savefig("offices.png")
"""


def add_notebook(root, cells: list[str] | None = None) -> None:
    parameters, *cells = cells or blocks("python")
    notebook = nbformat.v4.new_notebook()
    # what JupyterLab writes into a new Python notebook
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    notebook.cells += [nbformat.v4.new_code_cell(cell) for cell in cells]
    nbformat.write(notebook, root / "notebooks" / "07-offices.ipynb")


def add_words(root, lang: str) -> None:
    words = dict(zip(("nl", "fr"), blocks("yaml"), strict=True))[lang]
    path = root / "sections" / lang / "words.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("\ncharts:\n", f"\ncharts:\n{words}", 1),
        encoding="utf-8",
    )


def add_to_chapter(root, lang: str) -> None:
    line = re.search(r"^\{\{< generated fig-offices >\}\}$", blocks("markdown")[0], flags=re.M)
    path = root / CHAPTERS[lang]
    path.write_text(f"{path.read_text(encoding='utf-8')}\n{line[0]}\n", encoding="utf-8")


def checked(project: Project) -> str:
    """What ``impactreport check`` finds, one problem a line."""
    return "\n".join(p.message for p in yearcheck.check_year(project, 2024).problems)


def refusal(project: Project) -> str:
    with pytest.raises(ImpactReportError) as refused:
        build.build(project, 2024, record=False)
    return str(refused.value)


@pytest.mark.slow
def test_the_recipe_adds_a_chart_to_both_editions_and_refuses_each_half_done_step(
    own_built_2024: Project,
) -> None:
    root = own_built_2024.root
    add_notebook(root, ["year = None", NAIVE])  # what the page warns against
    assert refusal(own_built_2024).startswith(
        "notebooks/07-offices.ipynb wrote no indicator, figure or table: write them with"
    )
    add_notebook(root)
    message = refusal(own_built_2024)
    assert "data/reference/indicators.csv has no row for offices.advisors_per_office" in message
    add_catalogue_row(root)
    add_words(root, "nl")
    assert "sections/fr/words.yml: charts: has no offices: add it" in checked(own_built_2024)
    message = refusal(own_built_2024)
    assert "no entry 'offices' in sections/fr/words.yml: add it under charts:" in message
    add_words(root, "fr")
    add_to_chapter(root, "nl")
    assert "fig-offices is shown in the nl edition but not in the fr edition" in checked(
        own_built_2024
    )
    message = refusal(own_built_2024)
    assert message == (
        "fig-offices is drawn for the fr edition but no chapter shows it: add the line "
        "`{{< generated fig-offices >}}` to a chapter of sections/fr/ (docs/adding-a-chart.md)"
    )
    add_to_chapter(root, "fr")
    build.build(own_built_2024, 2024, record=False)
    for lang, document in (("nl", "report"), ("fr", "rapport")):
        html = (own_built_2024.output / "2024" / lang / f"{document}.html").read_text("utf-8")
        assert 'id="fig-offices"' in html, lang
    indicators = (own_built_2024.year_build(2024) / "compute" / "indicators.csv").read_text("utf-8")
    assert re.search(r"^offices\.advisors_per_office,2024,10\.875,", indicators, flags=re.M)
