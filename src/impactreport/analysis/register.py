"""Figures of a cooperative's own registers: its share register and the attendance lists of its
general assemblies (tables its data package declares; ``init`` offers their schemas).

The share register has a row per shareholder (``shareholder_id``, ``joined``, ``left`` when they
left); an attendance list a row per shareholder represented at an assembly (``assembly``, the
``votes`` attached to their shares as the statutes count them, and ``cast_by``: who cast those
votes, the shareholder or the one holding their proxy).
"""

from __future__ import annotations

from datetime import date

import pandas as pd


def members_on(register: pd.DataFrame, day: date) -> int:
    """Shareholders on ``day``: joined on or before it, and not left before or on it."""
    on = pd.Timestamp(day)
    left = register["left"]
    return int(((register["joined"] <= on) & (left.isna() | (left > on))).sum())


def joined_in(register: pd.DataFrame, year: int) -> int:
    return int((register["joined"].dt.year == year).sum())


def left_in(register: pd.DataFrame, year: int) -> int:
    return int((register["left"].dt.year == year).sum())


def vote_shares(attendance: pd.DataFrame) -> pd.DataFrame:
    """Per assembly: the votes of the represented shares, the most one shareholder cast (own
    and by proxy), and that as a percentage (condition 7: at most one tenth)."""
    cast = attendance.groupby(["assembly", "cast_by"])["votes"].sum()
    frame = pd.DataFrame(
        {
            "represented": attendance.groupby("assembly")["votes"].sum(),
            "largest": cast.groupby(level="assembly").max(),
        }
    )
    frame["percent"] = frame["largest"] / frame["represented"] * 100
    return frame.reset_index()


def largest_vote_share(attendance: pd.DataFrame) -> float:
    """The largest share of the represented votes one shareholder cast at any assembly, in %."""
    return float(vote_shares(attendance)["percent"].max())
