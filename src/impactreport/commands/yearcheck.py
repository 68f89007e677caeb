"""``check``: everything still wrong or unreviewed in a year, in one run.

Three lists: the problems of the inputs (every missing or invalid input and fact, grouped by
file), the claims of the narrative that the earlier years contradict (a record that is not one),
and the passages to review (sentences naming a year or a date, marked passages, claims the
history cannot verify).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from impactreport import config
from impactreport.analysis import editions, formatting
from impactreport.commands.newyear import DESCRIPTOR
from impactreport.errors import DataError, ImpactReportError
from impactreport.inputs import descriptor, door
from impactreport.inputs.load import Reference, load_facts, load_reference
from impactreport.inputs.problems import Problem, collect
from impactreport.paths import Project
from impactreport.publishing import draft, review
from impactreport.publishing.placed import edition_gaps
from impactreport.publishing.render.subset import check_editions


@dataclass
class YearCheck:
    year: int
    problems: list[Problem] = field(default_factory=list)
    to_review: list[review.Passage] = field(default_factory=list)
    # what a final edition needs and the reference data leaves empty (a draft shows it missing)
    to_fill: list[str] = field(default_factory=list)
    # the inputs as the data door validated them, or the first problem it met
    admitted: door.Admitted | None = None
    refused: ImpactReportError | None = None

    def inputs(self) -> door.Admitted:
        """What the build will read, validated; the door's first problem raised."""
        if self.refused is not None:
            raise self.refused
        return self.admitted

    def by_file(self) -> dict[Path, list[str]]:
        grouped: dict[Path, list[str]] = defaultdict(list)
        for problem in self.problems:
            grouped[problem.file].append(problem.message)
        return dict(grouped)


def check_year(project: Project, year: int) -> YearCheck:
    result = admit(project, year)
    reference = load_reference(project)
    if not result.problems:  # the conditions follow from valid facts
        result.problems.extend(condition_problems(project, year, reference))
    result.to_fill = draft.reference_gaps(project, reference)
    result.problems.extend(source_problems(project.year_folder(year)))
    langs = config.languages(project)  # the sources both renderers read, as they check them
    result.problems.extend(
        Problem(project.root / v.file, str(v)) for v in check_editions(project.root, langs)
    )
    words = {lang: editions.load(project, lang).words for lang in langs}
    result.problems.extend(
        Problem(project.root / f, m) for f, m in edition_gaps(project.root, words)
    )
    values = fact_history(project, year)
    since = review.narrative_year(project, year)
    for lang in config.languages(project):
        claims = review.claim_words(project, lang)
        for passage in review.claim_passages(project, lang):
            verdict = verify_claim(passage, claims, values, year)
            if verdict is None:
                continue  # the history confirms it
            if verdict.startswith("contradicted"):
                message = f"{passage.where(project.root)}: {verdict}: rewrite the sentence"
                result.problems.append(Problem(passage.file, message))
            else:
                result.to_review.append(
                    review.Passage(passage.file, passage.line, passage.text, verdict)
                )
        result.to_review.extend(review.year_bound_passages(project, lang, since))
        result.to_review.extend(review.pending(project, [lang]))
    return result


def admit(project: Project, year: int) -> YearCheck:
    """The year's inputs validated by the data door, as the build will; only when it refuses
    them are they read again, file by file, to list every problem (``collect``: whatever the
    door refuses, ``collect`` names, but the earlier years' indicators, which only the door
    reads)."""
    try:
        return YearCheck(year, admitted=door.validate(project, year))
    except ImpactReportError as error:
        return YearCheck(year, collect(project, year), refused=error)


def source_problems(folder: Path) -> list[Problem]:
    """Inputs whose origin is not declared yet, each one; else the descriptor's first problem."""
    path = folder / DESCRIPTOR
    if not path.is_file():
        return []
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return [Problem(path, f"{path}: line {error.lineno}: not valid JSON ({error.msg})")]
    kinds = ", ".join(descriptor.KINDS)
    undeclared = [
        Problem(
            path,
            f"{path}: resource {r.get('name')!r}: declare where it comes from (origin: kind {kinds})",
        )
        for r in package.get("resources", [])
        if not str((r.get("origin") or {}).get("kind", "")).strip()
    ]
    if undeclared:
        return undeclared
    try:
        descriptor.load(folder)
    except DataError as error:
        return [Problem(path, str(error))]
    return []


def fact_history(project: Project, year: int) -> dict[int, dict[str, float]]:
    """The facts of the year and of every earlier year whose facts are valid."""
    reference = load_reference(project)
    history = {}
    for earlier in (y for y in project.years() if y <= year):
        try:
            facts, _ = load_facts(project, earlier, reference, complete=False)
        except ImpactReportError:
            continue
        history[earlier] = dict(zip(facts["id"], facts["value"].astype(float), strict=True))
    return history


def verify_claim(
    passage: review.Passage, claims: dict[str, str], history: dict[int, dict], year: int
) -> str | None:
    """None when the history confirms the claim; else why it needs review, or 'contradicted: …'."""
    lowered = passage.text.lower()
    kinds = {kind for word, kind in claims.items() if word in lowered}
    ids = [m["id"].removeprefix("words.") for m in review.VAR.finditer(passage.text)]
    figures = [i for i in ids if i in history.get(year, {})]
    if not figures:
        return f"{passage.reason}: no figure of {year} in the sentence to verify it against"
    for figure in figures:
        now = history[year][figure]
        earlier = {y: v[figure] for y, v in history.items() if y < year and figure in v}
        if not earlier:
            return f"{passage.reason}: no earlier year has {figure} to verify it against"
        last, highest = max(earlier), max(earlier, key=earlier.get)
        checks = {
            "record": (
                now > earlier[highest],
                f"not above {highest} ({formatting.plain(earlier[highest])})",
            ),
            "rise": (now > earlier[last], f"not above {last} ({formatting.plain(earlier[last])})"),
            "fall": (now < earlier[last], f"not below {last} ({formatting.plain(earlier[last])})"),
        }
        for kind in sorted(kinds):
            holds, why = checks[kind]
            if not holds:
                return f"contradicted: {passage.reason} but {figure} = {formatting.plain(now)} in {year} is {why}"
    return None


def condition_problems(project: Project, year: int, reference: Reference) -> list[Problem]:
    """Each accreditation condition the year's facts do not meet and no explanation covers."""
    from impactreport.analysis import conditions
    from impactreport.inputs.load import load_explanations

    facts, path = load_facts(project, year, reference)
    try:
        results = conditions.evaluate(reference.conditions, facts, load_explanations(project, year))
    except ImpactReportError as error:  # a rule whose facts the year lacks
        return [Problem(path, str(error))]
    return [Problem(path, conditions.not_met(r, year)) for r in conditions.unexplained(results)]
