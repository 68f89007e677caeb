"""What every notebook needs, from its three parameters: the project, the year, the build folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from impactreport.analysis import editions, indicators
from impactreport.inputs.load import Reference, load_reference
from impactreport.paths import Project


@dataclass(frozen=True)
class Context:
    project: Project
    year: int
    build: Path
    reference: Reference

    @property
    def editions(self) -> list[editions.Edition]:
        return [editions.load(self.project, lang) for lang in editions.languages(self.project)]

    def figures(self, lang: str) -> Path:
        return self.build / "figures" / lang

    def write_indicators(self, theme: str, rows: list[indicators.Indicator]) -> Path:
        """Store this notebook's indicators; every catalogued id of the theme must be there."""
        expected = set(
            self.reference.catalogue.loc[self.reference.catalogue["theme"] == theme, "id"]
        )
        produced = {row.id for row in rows}
        if produced != expected:
            missing, extra = sorted(expected - produced), sorted(produced - expected)
            raise ValueError(f"theme {theme}: missing {missing}, unexpected {extra}")
        path = self.build / "indicators" / f"{theme}.csv"
        indicators.write_part(rows, path)
        return path

    def fact_ids(self, theme: str, origin: str = "fact") -> list[str]:
        catalogue = self.reference.catalogue
        chosen = catalogue[(catalogue["theme"] == theme) & (catalogue["origin"] == origin)]
        return list(chosen["id"])


def setup(year: int, project_root: str | None = None, build_dir: str | None = None) -> Context:
    """Resolve the notebook's parameters; defaults run the year as-is from JupyterLab."""
    project = Project(Path(project_root).resolve()) if project_root else Project.discover()
    project.year_folder(year)
    # run by hand (JupyterLab, nbval), a notebook writes to a scratch folder, never to a build
    build = Path(build_dir).resolve() if build_dir else project.build / "scratch" / str(year)
    build.mkdir(parents=True, exist_ok=True)
    return Context(project=project, year=year, build=build, reference=load_reference(project))
