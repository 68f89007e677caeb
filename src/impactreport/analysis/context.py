"""What every notebook needs, from its three parameters: the project, the year, the build folder."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from impactreport import config
from impactreport.analysis import editions, indicators
from impactreport.config import configured_year
from impactreport.inputs import door
from impactreport.inputs.load import AdmittedReference
from impactreport.paths import Project


@dataclass
class Context:
    project: Project
    year: int
    build: Path
    reference: AdmittedReference

    @property
    def editions(self) -> list[editions.Edition]:
        return [editions.load(self.project, lang) for lang in config.languages(self.project)]

    @cached_property
    def inputs(self) -> door.Admitted:
        """The year's validated inputs, as the data door handed them over."""
        return door.read(self.project, self.year)

    def figures(self, lang: str) -> Path:
        return self.build / "figures" / lang

    def write_indicators(self, theme: str, rows: list[indicators.Indicator]) -> Path:
        """Store this notebook's indicators; every catalogued id of the theme must be there, but
        optional facts the year does not declare."""
        catalogue = self.reference.catalogue
        of_theme = catalogue[catalogue["theme"] == theme]
        allowed = set(of_theme["id"])
        required = set(of_theme.loc[of_theme["origin"] != "optional-fact", "id"])
        produced = {row.id for row in rows}
        if not required <= produced <= allowed:
            missing, extra = sorted(required - produced), sorted(produced - allowed)
            catalogue_file = "data/reference/indicators.csv"
            if extra:  # the recipe's first step: docs/adding-a-chart.md
                raise ValueError(
                    f"{catalogue_file} has no row for {', '.join(extra)}: add "
                    f"`{extra[0]},{theme},<unit>,derived,,<description>` (docs/adding-a-chart.md)"
                )
            raise ValueError(
                f"theme {theme}: {catalogue_file} lists {', '.join(missing)}, which this notebook"
                " does not write: compute them or remove their rows"
            )
        path = self.build / "indicators" / f"{theme}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        # their lineage is added when the build is assembled: an approval or a verification
        # recorded in datapackage.json reruns no notebook
        indicators.to_frame(rows).to_csv(path, index=False, lineterminator="\n")
        return path

    def fact_ids(self, theme: str, origin: str = "fact") -> list[str]:
        catalogue = self.reference.catalogue
        chosen = catalogue[(catalogue["theme"] == theme) & (catalogue["origin"] == origin)]
        return list(chosen["id"])

    def declared_ids(self, theme: str, facts) -> list[str]:
        """The theme's optional facts that this year declares."""
        return [i for i in self.fact_ids(theme, "optional-fact") if i in set(facts["id"])]


def setup(
    year: int | None = None, project_root: str | None = None, build_dir: str | None = None
) -> Context:
    """Resolve the notebook's parameters; defaults run the configured year as-is from JupyterLab."""
    project = Project(Path(project_root).resolve()) if project_root else Project.discover()
    if year is None:  # run by hand: the year the project is configured for, as Quarto renders it
        year = configured_year(project.root)
    project.year_folder(year)
    # run by hand (JupyterLab, nbval), a notebook writes to a scratch folder, never to a build
    build = Path(build_dir).resolve() if build_dir else project.build / "scratch" / str(year)
    if not build_dir:
        door.admit(project, year)  # a build has admitted the data already; by hand, do it here
    build.mkdir(parents=True, exist_ok=True)
    return Context(project=project, year=year, build=build, reference=AdmittedReference(project))
