"""YAML files of the project, loaded safely (no Python objects), with a message that says where."""

from __future__ import annotations

from pathlib import Path

import yaml

from impactreport.errors import ConfigError

# libyaml's parser when PyYAML was built with it: the same documents, read ten times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(data, **options) -> str:
    """``yaml.safe_dump``, with libyaml's emitter when there is one (a tenth of the time; lines
    may break elsewhere, the values are the same)."""
    return yaml.dump(data, Dumper=_DUMPER, **options)


def parse(text: str):
    """``yaml.safe_load``, with the C parser when there is one."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def load_yaml(path: Path) -> dict:
    """A YAML mapping; a notebook's read of it is recorded by the audit hook's ``open``."""
    try:
        data = parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: missing") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})".replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys to values")
    return data
