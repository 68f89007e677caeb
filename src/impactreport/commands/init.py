"""``init``: a new report project for any accredited cooperative, with everything still to fill in.

The project gets the files every report needs (the Quarto configuration, the filters, the hook
and the templates: ``kit/``), and a start of its own (``skeleton/``): the organisation's reference
data with its values to fill, the nine conditions with their legal source and the statutes
articles to map, the generic indicators (the workforce as declared totals, the board's figures),
a narrative per language with the sections the law asks for, marked for review, a data folder
whose facts have ids and no values, and the notebooks of the conditions and the year-on-year
comparison. ``impactreport check`` then lists everything to fill in. The project is written
beside its place and renamed into it: a failed ``init`` leaves nothing.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

import yaml

from impactreport.commands import newyear
from impactreport.errors import ConfigError
from impactreport.inputs import schemas
from impactreport.paths import four_digit_year

PACKAGE = resources.files("impactreport")
# the languages the package has words and a narrative skeleton for: its skeleton's folders
LANGUAGES = tuple(sorted(p.name for p in (PACKAGE / "skeleton" / "languages").iterdir()))
KIT = ("filters", "scripts", "templates")
LEGAL_FORM = {
    "nl": (
        "CV erkend als sociale onderneming",
        "coöperatieve vennootschap erkend als sociale onderneming",
    ),
    "fr": (
        "SC agréée comme entreprise sociale",
        "société coopérative agréée comme entreprise sociale",
    ),
}


@dataclass(frozen=True)
class NewProject:
    root: Path
    organisation: str
    languages: tuple[str, ...]
    year: int


def parse_languages(value: str) -> tuple[str, ...]:
    """``nl,fr`` -> ('nl', 'fr'); an unknown or repeated language is refused."""
    names = tuple(part.strip() for part in value.split(",") if part.strip())
    if not names:
        raise ConfigError("--languages: name at least one language, e.g. nl or nl,fr")
    for name in names:
        if name not in LANGUAGES:
            raise ConfigError(
                f"--languages: unknown language {name!r}: impactreport has words and a narrative "
                f"for {', '.join(LANGUAGES)}"
            )
    if len(set(names)) != len(names):
        raise ConfigError(f"--languages: {value!r} names a language twice")
    return names


def init(target: Path, organisation: str, languages: tuple[str, ...], year: int) -> NewProject:
    organisation = organisation.strip()
    if not organisation:
        raise ConfigError("--organisation: give the organisation's name, as in its statutes")
    four_digit_year(year, named="--year:")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ConfigError(
            f"{target} is not empty: init writes a new project into a new or empty folder"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.init-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        _write(staging, organisation, languages, year)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return NewProject(target, organisation, languages, year)


def _write(root: Path, organisation: str, languages: tuple[str, ...], year: int) -> None:
    for name in KIT:
        _copy(PACKAGE / "kit" / name, root / name)
    (root / "scripts" / "quarto-hook.py").chmod(0o755)
    skeleton = PACKAGE / "skeleton"
    config = Template(skeleton.joinpath("_quarto.yml").read_text(encoding="utf-8"))
    (root / "_quarto.yml").write_text(
        config.substitute(languages=", ".join(languages), year=year), encoding="utf-8"
    )
    for lang in languages:
        _copy(skeleton / "languages" / lang, root)
    _copy(skeleton / "notebooks", root / "notebooks")
    _copy(skeleton / "data" / "reference", root / "data" / "reference")
    shutil.copyfile(str(skeleton / "gitignore"), root / ".gitignore")
    reference = root / "data" / "reference"
    (reference / "organisation.yml").write_text(
        _organisation(organisation, languages), encoding="utf-8"
    )
    _json(reference / "datapackage.json", _reference_descriptor(organisation))
    folder = root / "data" / str(year)
    folder.mkdir(parents=True)
    (folder / "facts.csv").write_text(
        newyear.csv_text(schemas.FACTS.columns, _fact_rows(reference)), encoding="utf-8"
    )
    _json(
        folder / "datapackage.json", newyear.descriptor(year, (newyear.own_input(schemas.FACTS),))
    )


def _copy(source, target: Path) -> None:
    """A package folder (or file) copied, whatever form the installed package takes."""
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        return
    for child in source.iterdir():
        if child.name != "__pycache__":
            _copy(child, target / child.name)


def _json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _organisation(name: str, languages: tuple[str, ...]) -> str:
    data = {
        "name": name,
        "legal_form": {lang: LEGAL_FORM[lang][0] for lang in languages},
        "identification": {
            "legal_form": {lang: LEGAL_FORM[lang][1] for lang in languages},
            "registered_office": None,
            "enterprise_number": None,
            "register": {lang: None for lang in languages},
        },
        "logo": None,
    }
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return (
        "# The organisation that publishes the report. The identification is what art. 2:56\n"
        "# WVV/CSA asks every document of the company to state (from the Crossroads Bank for\n"
        "# Enterprises, KBO/BCE): a draft shows an empty value as missing, a final edition is\n"
        "# refused until it is filled in. register: the register of legal persons and its court.\n"
        "# logo: an image file in data/reference/, placed on the cover when set.\n" + body
    )


def _reference_descriptor(organisation: str) -> dict:
    statutes = f"the statutes of {organisation}"
    return {
        "name": "reference",
        "title": f"Reference data shared by every year of {organisation}'s special report",
        "resources": [
            {
                "name": "conditions",
                "path": "conditions.csv",
                "format": "csv",
                "origin": {
                    "kind": "transcription",
                    "document": "Art. 8:5 § 1 WVV/CSA and art. 6 KB/AR 28 June 2019 (the nine "
                    f"conditions); {statutes} (the articles that meet them)",
                },
            },
            {
                "name": "indicators",
                "path": "indicators.csv",
                "format": "csv",
                "origin": {"kind": "definition"},
            },
            {
                "name": "organisation",
                "path": "organisation.yml",
                "format": "yaml",
                "origin": {
                    "kind": "transcription",
                    "document": f"{statutes}; its entry in the Crossroads Bank for Enterprises",
                },
            },
        ],
        # the share register and the assemblies' attendance lists, declared for every year: a
        # year that holds them (register.csv, attendance.csv) is checked against these
        "yearTables": json.loads(PACKAGE.joinpath("skeleton", "registers.json").read_text("utf-8")),
    }


def _fact_rows(reference: Path) -> list[list[str]]:
    """Every fact of the catalogue (and the board's optional figures) by id and unit, no value."""
    with (reference / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        catalogue = list(csv.DictReader(handle))
    return [
        [{"id": row["id"], "unit": row["unit"]}.get(column, "") for column in schemas.FACTS.columns]
        for row in catalogue
        if row["origin"] in ("fact", "optional-fact")
    ]
