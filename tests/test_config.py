"""Config merge: Quarto's semantics for ``_quarto.yml`` and profile files."""

from pathlib import Path

import pytest

from impactreport.config import active_profiles, merge
from impactreport.errors import RenderError
from impactreport.publishing.render import load_config, profile_group

FIXTURE = Path(__file__).parent / "fixtures" / "render"


def write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "_quarto.yml",
        "project:\n  render: [report.qmd]\n"
        "profile:\n  default: nl\n  group: [nl, fr]\n"
        "title: Base\nkeywords: [a, b]\nformat:\n  html:\n    toc: false\n    css: [base.css]\n",
    )
    write(
        tmp_path,
        "_quarto-nl.yml",
        "title: Dutch\nkeywords: [b, c]\nformat:\n  html:\n    toc: true\n",
    )
    write(
        tmp_path,
        "_quarto-print.yaml",
        "title: Print\nkeywords: [d]\nformat:\n  html:\n    css: [print.css]\n",
    )
    return tmp_path


def test_arrays_concatenate_without_duplicates(project: Path) -> None:
    config = load_config(project, ["nl"])
    assert config["keywords"] == ["a", "b", "c"]


def test_maps_merge_deeply(project: Path) -> None:
    config = load_config(project, ["nl"])
    assert config["format"]["html"] == {"toc": True, "css": ["base.css"]}
    assert config["project"] == {"render": ["report.qmd"]}


def test_first_listed_profile_wins(project: Path) -> None:
    assert load_config(project, ["nl", "print"])["title"] == "Dutch"
    assert load_config(project, ["print", "nl"])["title"] == "Print"


def test_profiles_merge_in_reverse_order(project: Path) -> None:
    config = load_config(project, ["nl", "print"])
    assert config["keywords"] == ["a", "b", "d", "c"]
    assert config["format"]["html"]["css"] == ["base.css", "print.css"]


def test_missing_profile_file_is_fine(project: Path) -> None:
    assert load_config(project, ["fr"])["title"] == "Base"


def test_profile_key_is_not_config(project: Path) -> None:
    assert "profile" not in load_config(project, ["nl"])


def test_scalar_meeting_array_joins_it() -> None:
    assert merge({"css": "a.css"}, {"css": ["b.css"]}) == {"css": ["a.css", "b.css"]}


def test_contents_string_is_replaced() -> None:
    assert merge({"contents": "a.qmd"}, {"contents": ["b.qmd"]}) == {"contents": ["b.qmd"]}


def test_merge_leaves_inputs_untouched() -> None:
    base = {"a": {"b": [1]}}
    merge(base, {"a": {"b": [2]}})
    assert base == {"a": {"b": [1]}}


def test_profile_group_lists_languages_in_order(project: Path) -> None:
    assert profile_group(project) == ["nl", "fr"]


def test_profile_group_falls_back_to_default(tmp_path: Path) -> None:
    write(tmp_path, "_quarto.yml", "profile:\n  default: nl, fr\n")
    assert profile_group(tmp_path) == ["nl", "fr"]


def test_group_adds_its_first_member_when_none_is_active(project: Path) -> None:
    assert active_profiles(project, ["print"]) == ["print", "nl"]
    assert active_profiles(project, ["fr"]) == ["fr"]
    assert active_profiles(project, []) == ["nl"]


def test_fixture_profiles() -> None:
    assert profile_group(FIXTURE) == ["nl", "fr"]
    assert load_config(FIXTURE, ["fr"])["lang"] == "fr-BE"
    assert load_config(FIXTURE, ["nl"])["lang"] == "nl-BE"


def test_invalid_yaml_is_a_render_error(tmp_path: Path) -> None:
    write(tmp_path, "_quarto.yml", "title: [unclosed\n")
    with pytest.raises(RenderError, match="_quarto.yml: invalid YAML"):
        load_config(tmp_path, [])


def test_missing_project_config_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="no _quarto.yml"):
        load_config(tmp_path, [])


def test_the_languages_are_the_profile_group_first_the_default(tmp_path: Path):
    from impactreport.config import check_language, languages
    from impactreport.errors import ConfigError
    from impactreport.paths import Project

    write(tmp_path, "_quarto.yml", "profile:\n  group: [nl, fr]\n")
    project = Project(tmp_path)
    assert languages(project) == ["nl", "fr"]
    assert check_language(project, "fr") == "fr"
    with pytest.raises(ConfigError, match="unknown language 'de': configured languages are nl, fr"):
        check_language(project, "de")
    write(tmp_path, "_quarto.yml", "project: {}\n")
    with pytest.raises(ConfigError, match="no 'profile: group:' listing the languages"):
        languages(project)
