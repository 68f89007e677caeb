"""An edition is one language of the report: its profile, its words and its number style."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from impactreport.analysis.formatting import Style, number
from impactreport.analysis.text import flatten
from impactreport.config import profile_group
from impactreport.errors import ConfigError
from impactreport.paths import Project
from impactreport.yamlfile import load_yaml


@dataclass(frozen=True)
class Edition:
    lang: str
    words: dict

    @property
    def style(self) -> Style:
        return Style(
            locale=self.words["locale"],
            qualifiers=self.words.get("qualifiers", {}),
            units=self.words.get("units", {}),
            singular_below=float(self.words.get("singular_below", 0)),
        )

    def text(self, template: str, **values: object) -> str:
        """Fill a template of ``words.yml``; numbers are written the edition's way."""
        shown = {
            key: number(value, self.style) if isinstance(value, int | float) else value
            for key, value in values.items()
        }
        return flatten(template.format(**shown))


def languages(project: Project) -> list[str]:
    """The configured languages: the profile group of ``_quarto.yml``, first is the default."""
    group = profile_group(project.root)
    if not group:
        raise ConfigError(
            f"{project.root / '_quarto.yml'}: no 'profile: group:' listing the languages"
        )
    return group


def check_language(project: Project, lang: str) -> str:
    known = languages(project)
    if lang not in known:
        raise ConfigError(f"unknown language {lang!r}: configured languages are {', '.join(known)}")
    return lang


def load(project: Project, lang: str) -> Edition:
    check_language(project, lang)
    return Edition(lang=lang, words=load_yaml(words_path(project, lang)))


def words_path(project: Project, lang: str) -> Path:
    return project.sections / lang / "words.yml"
