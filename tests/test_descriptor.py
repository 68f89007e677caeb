"""The data package descriptor: where each input comes from, and bad descriptors refused."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from impactreport.errors import DataError
from impactreport.inputs import descriptor

ROOT = Path(__file__).resolve().parents[1]


def _folder(tmp_path: Path, resources: list[dict], **extra) -> Path:
    folder = tmp_path / "2031"
    folder.mkdir()
    (folder / "facts.csv").write_text("id\n", encoding="utf-8")
    (folder / "pay.csv").write_text("id\n", encoding="utf-8")
    raw = {"resources": resources, **extra}
    (folder / descriptor.NAME).write_text(json.dumps(raw), encoding="utf-8")
    return folder


FACTS = {
    "name": "facts",
    "path": "facts.csv",
    "origin": {"kind": "transcription", "document": "Annual accounts"},
}
PAY = {
    "name": "pay",
    "path": "pay.csv",
    "origin": {"kind": "export", "system": "Payroll", "date": "2032-01-15"},
    "verified": {"by": "Finance", "on": "2032-02-01"},
}


def test_a_good_descriptor_says_origin_and_verification(tmp_path):
    found = descriptor.load(
        _folder(tmp_path, [FACTS, PAY], approval={"by": "board", "on": "2032-04-20"})
    )
    facts, pay = found.resources
    assert facts.origin() == "transcription: Annual accounts" and facts.verified is None
    assert (
        pay.origin() == "export: Payroll, 2032-01-15" and str(pay.verified) == "Finance, 2032-02-01"
    )
    assert found.approval.on == "2032-04-20"


@pytest.mark.parametrize(
    ("resources", "field", "problem"),
    [
        (
            [FACTS, {**PAY, "path": "payroll.csv"}],
            "resources[1].path",
            "'payroll.csv' is not in 2031/",
        ),
        ([FACTS], "resources", "pay.csv is in 2031/ but not declared"),
        (
            [FACTS, {**PAY, "origin": {"kind": "guess"}}],
            "resources[1].origin.kind",
            "'guess' is not one of",
        ),
        (
            [FACTS, {**PAY, "verified": {"by": "Finance", "on": "2032-13-01"}}],
            "resources[1].verified.on",
            "'2032-13-01' is not a date",
        ),
        (
            [FACTS, {**PAY, "verified": {"by": "Finance", "on": "1/2/2032"}}],
            "resources[1].verified.on",
            "does not match",
        ),
        (
            [FACTS, {**PAY, "origin": {"kind": "export", "system": "Payroll"}}],
            "resources[1].origin",
            "'date' is a required property",
        ),
    ],
)
def test_a_bad_descriptor_is_one_line_naming_file_and_field(tmp_path, resources, field, problem):
    with pytest.raises(DataError) as caught:
        descriptor.load(_folder(tmp_path, resources))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / "2031" / descriptor.NAME))
    assert f"field {field}:" in message and problem in message


def test_check_names_a_bad_descriptor_and_leaves_the_publication(tmp_path):
    from typer.testing import CliRunner

    from conftest import copy_sources
    from impactreport.cli import app

    copy_sources(tmp_path)
    shutil.copytree(ROOT / "data" / "2024", tmp_path / "data" / "2024")
    path = tmp_path / "data" / "2024" / descriptor.NAME
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["resources"][3]["origin"]["kind"] = "hearsay"
    path.write_text(json.dumps(raw), encoding="utf-8")
    published = tmp_path / "_output" / "2024" / "nl" / "report.html"
    published.parent.mkdir(parents=True)
    published.write_text("last good", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["check", "--year", "2024"], env={"IMPACTREPORT_ROOT": str(tmp_path)}
    )
    assert result.exit_code != 0
    assert "datapackage.json" in result.output and "resources[3].origin.kind" in result.output
    assert published.read_text(encoding="utf-8") == "last good"


def test_check_reports_synthetic_and_unverified_inputs(tmp_path):
    from typer.testing import CliRunner

    from conftest import copy_sources
    from impactreport.cli import app

    copy_sources(tmp_path)
    shutil.copytree(ROOT / "data" / "2024", tmp_path / "data" / "2024")
    result = CliRunner().invoke(
        app, ["check", "--year", "2024"], env={"IMPACTREPORT_ROOT": str(tmp_path)}
    )
    assert result.exit_code == 0, result.output
    for name in ("persons.parquet", "contracts.parquet", "pay.parquet"):
        assert f"synthetic data/2024/{name}" in result.output
    assert "unverified facts" in result.output and "payments.reminders" in result.output


def test_checking_a_descriptor_compiles_no_iri_grammar() -> None:
    """Every notebook kernel checks the reference descriptor: jsonschema's optional IRI grammar
    (rfc3987_syntax, compiled on import when installed) is not needed for this schema."""
    code = (
        "import sys; from pathlib import Path; from impactreport.inputs import descriptor; "
        f"descriptor.load(Path({str(ROOT / 'data' / '2024')!r})); "
        "print('jsonschema' in sys.modules, 'rfc3987_syntax' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "False"]
