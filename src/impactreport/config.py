"""Project configuration: ``_quarto.yml`` plus profile files, merged the way Quarto merges them,
and what it settles for the whole project: the year and the languages.

Quarto semantics (src/core/config.ts, src/project/project-profile.ts): maps merge deeply, arrays are
concatenated and de-duplicated (a scalar meeting an array joins it), profiles are merged in reverse
order so the first-listed wins, and a missing profile file is fine.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from impactreport import yamlfile
from impactreport.errors import ConfigError, RenderError
from impactreport.paths import Project, is_year

# Quarto replaces (not concatenates) these when the old value is a plain string.
_REPLACED_STRING_KEYS = {"contents"}


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML mapping from ``path`` (an empty file is an empty mapping)."""
    try:
        data = yamlfile.parse(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RenderError(f"{path}: invalid YAML: {_one_line(exc)}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RenderError(f"{path}: expected a mapping at the top level")
    return data


def merge(base: Any, override: Any, key: str | None = None) -> Any:
    """Quarto's merge of two config values: ``override`` wins, maps merge, arrays concatenate."""
    if isinstance(base, list) or isinstance(override, list):
        if base is None:
            return copy.deepcopy(override)
        if override is None:
            return copy.deepcopy(base)
        if key in _REPLACED_STRING_KEYS and isinstance(base, str):
            return copy.deepcopy(override)
        return _unique(_as_list(base) + _as_list(override))
    if isinstance(base, dict) and isinstance(override, dict):
        merged = copy.deepcopy(base)
        for k, value in override.items():
            merged[k] = merge(merged.get(k), value, k) if k in merged else copy.deepcopy(value)
        return merged
    return copy.deepcopy(override)


def load_config(root: Path, profiles: list[str]) -> dict[str, Any]:
    """``_quarto.yml`` merged with ``_quarto-<p>.yml`` for each profile; the first profile wins."""
    config = read_yaml(_find(root, "_quarto"))
    for name in reversed(profiles):
        path = _find_optional(root, f"_quarto-{name}")
        if path is not None:
            config = merge(config, read_yaml(path))
    config.pop("profile", None)  # Quarto drops it: activation info, not metadata
    return config


def configured_year(root: Path, profiles: list[str] | None = None) -> int:
    """The year the project is configured for, ``impactreport: year:``: the one default of the
    notebooks run by hand and of a render by Quarto alone."""
    return checked_year(load_config(root, profiles or []).get("impactreport", {}).get("year"))


def checked_year(value: object) -> int:
    if value is None or not is_year(value):
        raise ConfigError(
            f"no valid year ({value!r}): set IMPACTREPORT_YEAR or 'impactreport: year:' in _quarto.yml"
        )
    return int(value)


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


def profile_group(root: Path) -> list[str]:
    """The configured profiles in order: the first ``profile.group``, else ``profile.default``."""
    settings = _profile_settings(root)
    groups = _groups(settings)
    return groups[0] if groups else _split_profiles(settings.get("default"))


def active_profiles(root: Path, requested: list[str]) -> list[str]:
    """``requested`` (else ``profile.default``) plus the first member of each group left unused."""
    settings = _profile_settings(root)
    active = list(requested) or _split_profiles(settings.get("default"))
    for group in _groups(settings):
        if not any(name in active for name in group):
            active.append(group[0])
    return active


def _profile_settings(root: Path) -> dict[str, Any]:
    settings = read_yaml(_find(root, "_quarto")).get("profile")
    return settings if isinstance(settings, dict) else {}


def _groups(settings: dict[str, Any]) -> list[list[str]]:
    """``profile.group``: one list of names, or a list of such lists."""
    group = settings.get("group") or []
    lists = group if all(isinstance(g, list) for g in group) else [group]
    return [[str(name) for name in names] for names in lists if names]


def _split_profiles(value: Any) -> list[str]:
    """``profile.default`` as a list: a YAML list or a string split on commas or spaces."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [p for p in str(value).replace(",", " ").split() if p]


def _find(root: Path, stem: str) -> Path:
    path = _find_optional(root, stem)
    if path is None:
        raise RenderError(f"{root}: no {stem}.yml")
    return path


def _find_optional(root: Path, stem: str) -> Path | None:
    for suffix in (".yml", ".yaml"):
        path = root / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def _as_list(value: Any) -> list[Any]:
    return copy.deepcopy(value) if isinstance(value, list) else [copy.deepcopy(value)]


def _unique(values: list[Any]) -> list[Any]:
    """De-duplicate by value (Quarto compares JSON serialisations), keeping the first."""
    seen: set[str] = set()
    unique = []
    for value in values:
        key = json.dumps(value, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            unique.append(value)
    return unique


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
