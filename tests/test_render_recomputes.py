"""``render`` after a data edit recomputes what the edit feeds: never the old figure."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from impactreport.cli import app
from impactreport.paths import Project


@pytest.mark.slow
def test_render_after_a_facts_edit_publishes_the_new_figure(own_built_2024: Project, monkeypatch):
    facts = own_built_2024.year_folder(2024) / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    assert "activity.offices,8," in text
    facts.write_text(text.replace("activity.offices,8,", "activity.offices,10,"), encoding="utf-8")
    monkeypatch.chdir(own_built_2024.root)
    result = CliRunner().invoke(app, ["render", "--year", "2024", "--lang", "nl"])
    assert result.exit_code == 0, result.output
    html = (own_built_2024.output / "2024" / "nl" / "report.html").read_text(encoding="utf-8")
    offices = re.findall(r'data-id="activity\.offices"[^>]*>(\d+)</span> kantoren', html)
    assert offices == ["10"], offices
