"""SmartCoop's workforce and wage indicators of a year, computed from its payroll records.

The project's own analysis, not the package's: which teams and contracts count is SmartCoop's
(its members on open-ended contracts, its support teams). Notebooks 01 and 06 import it."""

from __future__ import annotations

from datetime import date

import pandas as pd

from impactreport.analysis import payroll as pr
from impactreport.analysis.indicators import Indicator
from impactreport.inputs.door import Admitted


def headcount(
    contracts: pd.DataFrame, year: int, source: str = "records: contracts"
) -> list[Indicator]:
    """What the contracts alone give: persons, contracts, days, hours and full-time equivalents
    (the figures compared year on year, which notebook 06 computes without the pay records)."""
    hours = pr.declared_hours(contracts)

    def row(indicator_id: str, value: float, unit: str) -> Indicator:
        return Indicator(indicator_id, year, float(value), unit, "", source)

    return [
        row("workforce.persons", pr.persons_employed(contracts), "count"),
        row("workforce.contracts", pr.contract_count(contracts), "count"),
        row("workforce.days", pr.declared_days(contracts), "days"),
        row("workforce.hours", hours, "hours"),
        row("workforce.fte", pr.full_time_equivalents(hours), "fte"),
    ]


def indicators(records: Admitted, year: int) -> list[Indicator]:
    """From the tables SmartCoop's data package declares: persons, contracts and pay."""
    contracts, pay = records.table("contracts"), records.table("pay")
    persons = records.table("persons")
    open_ended = pr.open_ended_on(contracts, persons, date(year, 12, 31), team="member")
    spread = pr.contract_spread(contracts)
    lowest, highest = pr.wage_extremes(pay)
    support_lowest, support_highest = pr.wage_extremes(pay, team="support")

    def row(indicator_id: str, value: float, unit: str, files: str) -> Indicator:
        return Indicator(indicator_id, year, float(value), unit, "", records.source(files))

    return [
        *headcount(contracts, year, records.source("contracts")),
        row("wages.tension_overall", pr.wage_tension(pay), "ratio", "pay"),
        row("wages.tension_support", pr.wage_tension(pay, team="support"), "ratio", "pay"),
        # what figures 2 and 3 state in their alt texts
        row("workforce.single_contract", spread["single"], "count", "contracts"),
        row("workforce.contracts_median", spread["median"], "count", "contracts"),
        row("workforce.above_median", spread["above_median"], "count", "contracts"),
        row("workforce.contracts_max", spread["max"], "count", "contracts"),
        row("wages.lowest_overall", lowest, "EUR", "pay"),
        row("wages.highest_overall", highest, "EUR", "pay"),
        row("wages.lowest_support", support_lowest, "EUR", "pay"),
        row("wages.highest_support", support_highest, "EUR", "pay"),
        row("open_ended.members", open_ended["persons"], "count", "contracts+persons"),
        row("open_ended.women", open_ended["women"], "count", "contracts+persons"),
        row("open_ended.men", open_ended["men"], "count", "contracts+persons"),
        row("open_ended.full_time", open_ended["full_time"], "count", "contracts+persons"),
        row("open_ended.part_time", open_ended["part_time"], "count", "contracts+persons"),
    ]
