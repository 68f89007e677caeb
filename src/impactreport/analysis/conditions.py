"""The board's check of the nine accreditation conditions (art. 8:5 § 1 WVV/CSA and art. 6 of the
royal decree of 28 June 2019), for one year.

Each condition in ``data/reference/conditions.csv`` names its evidence: ``statutes`` (the statutes
articles meet it), ``report`` (this report is the evidence) or a rule over the year's facts,
``<fact id> <op> <fact id or number>``, e.g. ``governance.dividend_rate <= governance.dividend_cap``.
A rule is checked only in a year that declares its facts (the year's figures, or the board's
statement recorded as a fact with its source: the minutes and their date); in a year that
declares none of them the condition is ``unevidenced``: the statutes provide for it, but nothing
shows the year's operation met it, so the report gives no verdict and a final edition refuses.
Facts listed under ``shown`` (the attendance fees beside the directors' pay) are shown with the
verdict: lawful, they never fail the condition. A condition that is not met stops the build,
unless the analyst recorded an explanation in ``data/<year>/explanations.csv``, one per edition
language (the data door refuses an explanation missing a language); each edition then shows its
own.
"""

from __future__ import annotations

import operator
import re
from dataclasses import asdict, dataclass

import pandas as pd

from impactreport.analysis import formatting
from impactreport.errors import ConditionError

OPERATORS = {
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
}
RULE = re.compile(
    r"^(?P<left>[a-z_]+(?:\.[a-z_]+)+)\s*(?P<op><=|<|==|>=|>)\s*(?P<right>[a-z_]+(?:\.[a-z_]+)+|\d+(?:\.\d+)?)$"
)
KINDS = ("statutes", "report")
UNEVIDENCED = "unevidenced"  # a rule whose year figures the year does not declare


@dataclass(frozen=True)
class Result:
    condition: int
    evidence: str  # statutes | report | rule
    left_id: str
    left_value: float | None
    right_id: str
    right_value: float | None
    met: bool | None  # None: no verdict, the year declares no evidence (``UNEVIDENCED``)
    explanations: dict[str, str]  # language -> the analyst's explanation
    shown: str = ""  # "id=value;id=value": facts shown beside the verdict


def parse(evidence: str) -> re.Match | None:
    """The rule's parts, or None for ``statutes``/``report``; raises on anything else."""
    if evidence in KINDS:
        return None
    match = RULE.match(evidence.strip())
    if match is None:
        raise ValueError(
            f"evidence {evidence!r}: expected statutes, report or '<fact id> <op> <fact id or number>'"
        )
    return match


def evaluate(
    conditions: pd.DataFrame, facts: pd.DataFrame, explanations: dict[int, dict[str, str]]
) -> list[Result]:
    values = dict(zip(facts["id"], facts["value"], strict=True))
    results = []
    for row in conditions.sort_values("condition").itertuples():
        number = int(row.condition)
        match = parse(row.evidence)
        explanation = explanations.get(number, {})
        if match is None:
            results.append(Result(number, row.evidence, "", None, "", None, True, explanation))
            continue
        left_id, right = match["left"], match["right"]
        needed = [i for i in (left_id, right) if _is_fact(i)]
        missing = [i for i in needed if i not in values]
        if len(missing) == len(needed):
            # no yearly figure declared: the statutes provide for it, the year shows nothing
            results.append(Result(number, UNEVIDENCED, "", None, "", None, None, explanation))
            continue
        if missing:
            raise ConditionError(
                f"condition {number}: no fact {missing[0]!r} for its evidence ({row.evidence})"
            )
        left = float(values[left_id])
        right_value = float(values[right]) if right in values else float(right)
        met = OPERATORS[match["op"]](left, right_value)
        right_id = right if right in values else ""
        results.append(
            Result(
                number,
                "rule",
                left_id,
                left,
                right_id,
                right_value,
                met,
                explanation,
                _shown(getattr(row, "shown", ""), values),
            )
        )
    return results


def _is_fact(term: str) -> bool:
    return "." in term and not term.replace(".", "").isdigit()


def _shown(listed: object, values: dict) -> str:
    if not isinstance(listed, str) or not listed:
        return ""
    return ";".join(f"{i}={float(values[i]):g}" for i in listed.split(";") if i in values)


def shown_values(text: str) -> dict[str, float]:
    """``"a.b=1;c.d=0"`` (a results table cell) -> ``{"a.b": 1.0, "c.d": 0.0}``."""
    pairs = (item.split("=") for item in text.split(";") if item)
    return {key: float(value) for key, value in pairs}


def unexplained(results: list[Result]) -> list[Result]:
    """The conditions not met that have no recorded explanation."""
    return [
        r for r in results if r.met is False and not any(t.strip() for t in r.explanations.values())
    ]


def not_met(result: Result, year: int) -> str:
    shown = f"{result.left_id} = {formatting.plain(result.left_value)}"
    limit = result.right_id or "the limit"
    return (
        f"accreditation condition {result.condition} is not met in {year} ({shown}, "
        f"{limit} = {formatting.plain(result.right_value)}): correct the facts or record an explanation in "
        f"data/{year}/explanations.csv (condition,lang,explanation: a row per language)"
    )


def check(results: list[Result], year: int) -> None:
    """Stop on a condition that is not met and has no recorded explanation."""
    failing = unexplained(results)
    if failing:
        raise ConditionError(not_met(failing[0], year))


def to_frame(results: list[Result]) -> pd.DataFrame:
    """One row per condition; each language's explanation in its column ``explanation_<lang>``."""
    rows = []
    for result in results:
        row = asdict(result)
        for lang, explanation in row.pop("explanations").items():
            row[f"explanation_{lang}"] = explanation
        rows.append(row)
    return pd.DataFrame(rows)


def unevidenced(conditions: pd.DataFrame, declared: set[str]) -> list[tuple[int, str, list[str]]]:
    """The conditions whose rule needs year figures the year does not declare: number, topic and
    the facts to declare."""
    found = []
    for row in conditions.sort_values("condition").itertuples():
        match = parse(row.evidence)
        if match is None:
            continue
        needed = [i for i in (match["left"], match["right"]) if _is_fact(i)]
        if not any(i in declared for i in needed):
            found.append((int(row.condition), str(row.topic), needed))
    return found


def checked_table(conditions: pd.DataFrame, results: list[Result]) -> pd.DataFrame:
    """The conditions as the year's check found them: each with its legal source, the evidence
    as checked (the statutes when the year declares no figure), the shown facts' values, the
    verdict and each language's explanation."""
    return conditions.drop(columns=["evidence", "shown"]).merge(to_frame(results), on="condition")
