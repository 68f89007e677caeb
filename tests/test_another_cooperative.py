"""Another cooperative than SmartCoop: ``impactreport init``, then the files its analyst fills in
(tests/fixtures/zonnedak: a fictitious small cooperative, Dutch only, its workforce declared as
totals, chapters of its own, one condition not met and explained), to a draft and then a final
edition, with the installed package alone and both renderers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import ROOT, need_quarto
from impactreport.cli import app
from parity import pdf_text, pdf_ua_problems, read_docx
from support.zonnedak import YEAR, computed_copy, fill_in, init, run

DRAFT = "Ontwerpversie"


def declare_verified(root: Path) -> None:
    """The board's last steps: every figure checked against its source, the inputs' origins
    verified, and the report approved."""
    facts = root / "data" / YEAR / "facts.csv"
    rows = list(csv.DictReader(facts.open(encoding="utf-8")))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, [*rows[0], "verified_by", "verified_on"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        {**r, "verified_by": "Fictieve Revisor", "verified_on": "2025-03-10"} for r in rows
    )
    facts.write_text(buffer.getvalue(), encoding="utf-8")
    checked = {"by": "Fictieve Revisor", "on": "2025-03-10"}
    for folder in (root / "data" / YEAR, root / "data" / "reference"):
        path = folder / "datapackage.json"
        package = json.loads(path.read_text(encoding="utf-8"))
        for resource in package["resources"]:
            resource["verified"] = checked
        path.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    # the board approves the report as it now stands: figures, text, inputs
    done = run(["approve", "--year", YEAR, "--by", "Raad van bestuur", "--on", "2025-03-24"], root)
    assert done.returncode == 0, done.stderr


def html_text(root: Path) -> str:
    page = (root / "_output" / YEAR / "nl" / "verslag.html").read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def outputs(root: Path) -> dict[str, Path]:
    folder = root / "_output" / YEAR / "nl"
    return {p.suffix: p for p in folder.iterdir()}


# --- init and check ------------------------------------------------------------------------------


def test_init_makes_a_project_whose_check_lists_everything_to_fill_in(tmp_path) -> None:
    root = init(tmp_path)
    done = run(["check", "--year", YEAR], root)
    assert done.returncode == 2
    said = " ".join((done.stdout + done.stderr).split())
    # the organisation's identification and the statutes articles of the conditions
    for field in ("registered_office", "enterprise_number", "register.nl"):
        assert f"organisation.yml, field identification.{field}: missing" in said
    for condition in (1, 2, 4):  # those the statutes meet
        assert f"condition {condition}, column statutes_articles: missing" in said
    # every fact of the year, without a value, and where the facts come from
    for fact in ("workforce.persons", "workforce.fte", "governance.max_vote_share"):
        assert (
            f"empty: expected a number with a decimal point and no thousands separator (fact {fact})"
            in said
        )
    assert "resource 'facts': declare where it comes from" in said
    # the narrative's sections the law asks for, each still to write
    for section in ("_02-toezicht.qmd", "_03-activiteiten.qmd", "_04-middelen.qmd"):
        assert f"review sections/nl/{section}" in said
    # one language: no French file, and the notebooks of the generic indicators
    assert not list(root.rglob("*fr*"))
    assert sorted(p.name for p in (root / "notebooks").iterdir()) == ["02-trends.ipynb"]


def test_the_new_project_holds_the_same_kit_as_this_one(tmp_path) -> None:
    """Filters, hook and templates come from the package: SmartCoop's copies are the same files,
    so a fix made in one place is made in both."""
    root = init(tmp_path)
    for name in ("filters", "scripts", "templates"):
        for path in (root / name).rglob("*"):
            if path.is_file():
                ours = ROOT / path.relative_to(root)
                assert ours.read_bytes() == path.read_bytes(), f"{ours} differs from the kit"
        ours = {p.relative_to(ROOT) for p in (ROOT / name).rglob("*") if p.is_file()}
        kit = {p.relative_to(root) for p in (root / name).rglob("*") if p.is_file()}
        assert ours == kit


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--languages", "nl,de"],
            "unknown language 'de': impactreport has words and a narrative for fr, nl",
        ),
        (["--languages", "nl,nl"], "names a language twice"),
        (["--year", "24"], "--year: 24 is not a four-digit year"),
        (["--organisation", " "], "give the organisation's name"),
    ],
    ids=["unknown language", "language twice", "bad year", "no name"],
)
def test_bad_init_requests_get_one_line_and_write_nothing(tmp_path, args, expected) -> None:
    defaults = {"--organisation": "Zonnedak (fictief)", "--languages": "nl", "--year": YEAR}
    given = dict(zip(args[::2], args[1::2], strict=True))
    options = [part for key, value in {**defaults, **given}.items() for part in (key, value)]
    done = CliRunner().invoke(app, ["init", str(tmp_path / "new"), *options])
    assert done.exit_code != 0
    assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_a_folder_that_is_not_empty(tmp_path) -> None:
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    done = CliRunner().invoke(
        app, ["init", str(folder), "--organisation", "Zonnedak (fictief)", "--year", YEAR]
    )
    assert done.exit_code != 0 and "is not empty" in done.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]


# --- draft, then final ---------------------------------------------------------------------------


@pytest.fixture
def filled_in(tmp_path_factory, tmp_path: Path) -> Path:
    """Filled in and computed once per run; each test builds a copy of its own."""
    return computed_copy(tmp_path_factory, tmp_path / "zonnedak")


def assert_edition(root: Path, *, draft: bool) -> None:
    text = html_text(root)
    assert (DRAFT in text) is draft
    assert "Zonnedak (fictief)" in text and "0999.999.999 (fictief)" in text
    # its own chapters, figures from its facts, and no chapter of SmartCoop's
    assert "Zonnepanelen op scholen" in text and "38 installaties in dienst" in text
    assert "(+22,6 % tegenover 2023)" in text  # 38 installations against 31
    # the year-on-year phrase follows its figure after a no-break space, under either renderer
    page = (root / "_output" / YEAR / "nl" / "verslag.html").read_text(encoding="utf-8")
    assert "in dienst\u00a0(+22,6\u00a0% tegenover 2023)" in re.sub(r"<[^>]+>", "", page)
    assert "leningen" not in text.lower() and "Smart" not in text
    # the workforce from declared totals, and the report says so
    assert "11 personen" in text and "8,6 voltijdse equivalenten" in text
    assert (
        "De personeelscijfers zijn opgegeven als totalen (Sociale balans 2024 (jaarrekening))"
        in text
    )
    # condition 7 is not met this year, and the board's explanation is there
    assert "niet voldaan" in text and "één aandeelhouder met volmachten 12,5 %" in text
    # the year's governance figures give the verdicts, not the statutes
    assert "geen dividend uitgekeerd" in text and "niet aangetoond" not in text
    # counted from its own share register, a table only its data package declares
    assert "het aandelenregister 1.238 coöperanten" in text
    assert "traden er 57 toe en 21 uit" in text
    assert "Kerncijfers van 2023 tot 2024" in text  # the trend chart's caption
    files = outputs(root)
    assert set(files) == {".html", ".pdf", ".docx"}
    assert pdf_ua_problems(files[".pdf"]) == []
    pdf = " ".join(pdf_text(files[".pdf"]).split())
    assert ("Ontwerpversie" in pdf) is draft and "Zonnepanelen op scholen" in pdf
    word = read_docx(files[".docx"])
    assert "Zonnepanelen op scholen" in word.headings


@pytest.mark.slow
def test_filled_in_it_builds_a_draft_then_a_final_edition(filled_in: Path) -> None:
    done = run(["build", "--year", YEAR], filled_in)
    assert done.returncode == 0, done.stderr
    assert_edition(filled_in, draft=True)
    refused = run(["build", "--year", YEAR, "--final"], filled_in)
    assert refused.returncode != 0
    assert "fact workforce.persons: not verified" in refused.stderr
    assert "field approval: the board's approval date is missing" in refused.stderr
    declare_verified(filled_in)
    done = run(["build", "--year", YEAR, "--final"], filled_in)
    assert done.returncode == 0, done.stderr
    assert_edition(filled_in, draft=False)


@pytest.mark.slow
def test_with_real_quarto_a_draft_then_a_final_edition(filled_in: Path) -> None:
    quarto = need_quarto()
    root = filled_in
    env = {
        "PATH": os.pathsep.join([str(Path(quarto).parent), os.environ.get("PATH", "")]),
        "QUARTO_PYTHON": sys.executable,  # where impactreport is installed
    }
    done = run(["build", "--year", YEAR, "--renderer", "quarto"], root, **env)
    assert done.returncode == 0, done.stderr
    assert_edition(root, draft=True)
    declare_verified(root)
    done = run(["build", "--year", YEAR, "--renderer", "quarto", "--final"], root, **env)
    assert done.returncode == 0, done.stderr
    assert_edition(root, draft=False)


@pytest.mark.slow
def test_a_missing_organisation_name_stops_the_build_and_changes_nothing(tmp_path) -> None:
    root = init(tmp_path)
    fill_in(root)
    organisation = root / "data" / "reference" / "organisation.yml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8").replace("name: Zonnedak (fictief)\n", ""),
        encoding="utf-8",
    )
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    done = run(["build", "--year", YEAR], root)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: {organisation}: field name: missing: the organisation's name, as in its statutes"
    )
    assert not (root / "_output").exists() and not (root / "_build" / YEAR / "compute").exists()
    after = sorted(p.relative_to(root) for p in root.rglob("*") if "_build" not in p.parts)
    assert after == [p for p in before if "_build" not in p.parts]


# --- what the package knows ----------------------------------------------------------------------

# SmartCoop's own words: names, services, teams, chapters; none belongs in the package
SMARTCOOP_TERMS = (
    "smartcoop",
    "smart in progress",
    "smartlab",
    "kronik",
    "pulso",
    "gembloux",
    "saint-gilles",
    "productie-eenheid",
    "production unit",
    "unité de production",
    "renteloze",
    "interest-free",
    "support team",
    "ondersteunende teams",
    "learning.smart",
    "rapoûlaedje",
)


def smartcoop_names() -> set[str]:
    """SmartCoop's indicators that are not the package's generic ones, and its chapters."""
    generic = {
        row["id"]
        for row in csv.DictReader(
            (ROOT / "src/impactreport/skeleton/data/reference/indicators.csv").open(
                encoding="utf-8"
            )
        )
    }
    ours = {
        row["id"]
        for row in csv.DictReader((ROOT / "data/reference/indicators.csv").open(encoding="utf-8"))
    }
    chapters = {
        re.sub(r"\s*\{[^}]*\}$", "", line[2:]).strip()
        for p in (ROOT / "sections").glob("*/_*.qmd")
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.startswith("# ")
    }
    # a title in the law's words ("positieve maatschappelijke impact") is the law's, not SmartCoop's
    law = " ".join(
        text.lower()
        for lang in ("nl", "fr")
        for text in yaml.safe_load(
            (ROOT / "sections" / lang / "words.yml").read_text(encoding="utf-8")
        )["conditions_law"]["conditions"].values()
    )
    return (ours - generic) | {c for c in chapters if c.lower() not in law}


def test_the_package_names_no_indicator_chapter_or_term_of_smartcoop() -> None:
    names = smartcoop_names()
    assert {"loans.amount_year", "Professionele begeleiding"} <= names  # the test finds them
    package = ROOT / "src" / "impactreport"
    found = []
    # through the kit's links too: the templates and filters every new project gets
    files = [
        Path(top, name) for top, _, names in os.walk(package, followlinks=True) for name in names
    ]
    for path in sorted(files):
        if not path.is_file() or path.suffix in (".pyc", ".ttf") or path.name.startswith("LICENSE"):
            continue
        text = path.read_text(encoding="utf-8").lower()
        found += [
            f"{path.relative_to(ROOT)}: {name}"
            for name in [*names, *SMARTCOOP_TERMS]
            if re.search(rf"(?<![\w.-]){re.escape(name.lower())}(?![\w-])", text)
        ]
    assert found == []
