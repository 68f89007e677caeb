"""All paths, resolved from the project root; nothing depends on the working directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from impactreport.errors import ConfigError, DataError

ROOT_MARKER = "_quarto.yml"
# a project's own folders beside its data: the narrative, how it is rendered, the notebooks
SOURCE_FOLDERS = ("sections", "templates", "filters", "scripts", "notebooks")


def is_year(value: object) -> bool:
    """A year as the project names one: four digits, in a folder name, a setting or an option."""
    text = str(value)
    return len(text) == 4 and text.isascii() and text.isdigit()


def four_digit_year(year: int, named: str = "year") -> int:
    """``year`` itself, or one line saying it is no four-digit year (``named`` says where)."""
    if not is_year(year):
        raise ConfigError(f"{named} {year} is not a four-digit year")
    return year


def find_root(start: Path | None = None) -> Path:
    """The project root: ``$IMPACTREPORT_ROOT`` or the nearest folder up holding ``_quarto.yml``."""
    env = os.environ.get("IMPACTREPORT_ROOT")
    if env:
        root = Path(env).resolve()
        if not (root / ROOT_MARKER).is_file():
            raise ConfigError(f"IMPACTREPORT_ROOT={env} holds no {ROOT_MARKER}")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ROOT_MARKER).is_file():
            return folder
    raise ConfigError(f"no {ROOT_MARKER} in {here} or above: run inside the project folder")


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def discover(cls, start: Path | None = None) -> Project:
        return cls(find_root(start))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def reference(self) -> Path:
        return self.data / "reference"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def sections(self) -> Path:
        return self.root / "sections"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def output(self) -> Path:
        return self.root / "_output"

    def sources(self) -> list[Path]:
        """The project's sources that exist: the Quarto configuration and profiles, the
        documents, and the source folders (the data aside)."""
        files = sorted([*self.root.glob("_quarto*.yml"), *self.root.glob("*.qmd")])
        folders = [self.root / name for name in SOURCE_FOLDERS]
        return [p for p in (*files, *folders) if p.exists()]

    def year_data(self, year: int) -> Path:
        return self.data / str(year)

    def year_build(self, year: int) -> Path:
        return self.build / str(year)

    def year_folder(self, year: int) -> Path:
        """The data folder of ``year``, or one clear line listing the years that exist."""
        folder = self.year_data(year)
        if not folder.is_dir():
            self.years()  # a folder named like the year but for a stray space says so
            known = ", ".join(str(y) for y in self.years()) or "none"
            raise ConfigError(
                f"no data for {year}: data/{year}/ does not exist (years with data: {known})"
            )
        return folder

    def years(self) -> list[int]:
        """Years with a data folder, oldest first; a year folder with a stray space is refused."""
        folders = [p for p in self.data.iterdir() if p.is_dir()] if self.data.is_dir() else []
        for folder in folders:
            name = folder.name.strip()
            if name != folder.name and is_year(name):
                raise DataError(
                    folder,
                    f"the folder name {folder.name!r} has a stray space: rename it data/{name}/",
                )
        return sorted(int(p.name) for p in folders if is_year(p.name))
