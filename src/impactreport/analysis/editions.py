"""An edition is one language of the report: its profile, its words and its number style."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from impactreport import config
from impactreport.analysis.formatting import Style, number
from impactreport.analysis.text import flatten
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
            about_spelled=self.words.get("about_spelled", {}),
        )

    def text(self, template: str, **values: object) -> str:
        """Fill a template of ``words.yml``; numbers are written the edition's way."""
        shown = {
            key: number(value, self.style) if isinstance(value, int | float) else value
            for key, value in values.items()
        }
        return flatten(template.format(**shown))


def load(project: Project, lang: str) -> Edition:
    config.check_language(project, lang)
    return Edition(lang=lang, words=load_yaml(words_path(project, lang)))


def words_path(project: Project, lang: str) -> Path:
    return project.sections / lang / "words.yml"
