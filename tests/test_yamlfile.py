"""YAML files of the project: a mapping, or one line that says which file and why."""

from __future__ import annotations

import pytest

from impactreport.errors import ConfigError
from impactreport.yamlfile import load_yaml


def test_a_mapping_is_read_as_is(tmp_path):
    path = tmp_path / "organisation.yml"
    path.write_text("name: Zonnedak\nlegal_form:\n  nl: CV\n", encoding="utf-8")
    assert load_yaml(path) == {"name": "Zonnedak", "legal_form": {"nl": "CV"}}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: [unclosed\n", "not valid YAML"),
        ("- a list\n- not a mapping\n", "expected a mapping of keys to values"),
        ("!!python/object:os.system {}\n", "not valid YAML"),  # no Python objects
    ],
)
def test_a_bad_file_is_one_line_naming_it(tmp_path, text, problem):
    path = tmp_path / "words.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_yaml(path)
    assert str(raised.value).startswith(f"{path}: ") and problem in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(ConfigError, match=r"words.yml: missing$"):
        load_yaml(tmp_path / "words.yml")
