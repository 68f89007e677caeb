"""The board's check of the nine accreditation conditions of article 8:5 WVV/CSA, for one year.

Each condition in ``data/reference/conditions.csv`` names its evidence: ``statutes`` (the statutes
articles meet it), ``report`` (this report is the evidence) or a rule over the year's facts,
``<fact id> <op> <fact id or number>``, e.g. ``governance.dividend_rate <= governance.dividend_cap``.
A condition that is not met stops the build, unless the analyst recorded an explanation in
``data/<year>/explanations.csv``; the report then shows it.
"""

from __future__ import annotations

import operator
import re
from dataclasses import asdict, dataclass

import pandas as pd

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


@dataclass(frozen=True)
class Result:
    condition: int
    evidence: str  # statutes | report | rule
    left_id: str
    left_value: float | None
    right_id: str
    right_value: float | None
    met: bool
    explanation: str


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
    conditions: pd.DataFrame, facts: pd.DataFrame, explanations: dict[int, str]
) -> list[Result]:
    values = dict(zip(facts["id"], facts["value"], strict=True))
    results = []
    for row in conditions.sort_values("condition").itertuples():
        number = int(row.condition)
        match = parse(row.evidence)
        if match is None:
            results.append(
                Result(number, row.evidence, "", None, "", None, True, explanations.get(number, ""))
            )
            continue
        left_id, right = match["left"], match["right"]
        missing = [
            i
            for i in (left_id, right)
            if "." in i and not i.replace(".", "").isdigit() and i not in values
        ]
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
                explanations.get(number, ""),
            )
        )
    return results


def check(results: list[Result], year: int) -> None:
    """Stop on a condition that is not met and has no recorded explanation."""
    for result in results:
        if not result.met and not result.explanation.strip():
            shown = f"{result.left_id} = {result.left_value:g}"
            limit = result.right_id or "the limit"
            raise ConditionError(
                f"condition {result.condition} of article 8:5 WVV is not met in {year} ({shown}, "
                f"{limit} = {result.right_value:g}): correct the facts or record an explanation in "
                f"data/{year}/explanations.csv"
            )


def to_frame(results: list[Result]) -> pd.DataFrame:
    return pd.DataFrame([asdict(r) for r in results])
