"""Numbers and dates as an edition's readers write them, with Babel (and num2words for words).

The words themselves (qualifiers, unit names) come from the edition's ``words.yml``: nothing
language-specific lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal, format_decimal

# Approximate amounts of a million or more read better as "198 miljoen" than as "198.000.000".
COMPACT_FROM = 1_000_000
MONEY = ("EUR",)  # an amount with cents shows both decimals


def plain(value: float) -> str:
    """A number for a message: 198000000, 1946.5, 5.98 (never 1.98e+08)."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Style:
    locale: str  # Babel locale, e.g. nl_BE
    qualifiers: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    # amounts below this take the unit's ``.singular`` word (French: "0 euro"); 0: never
    singular_below: float = 0
    # "about" and a spelled round number as one word: "een tiental", "une dizaine de"
    about_spelled: dict[str, str] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.locale.split("_")[0]


def number(value: float, style: Style) -> str:
    """20892 -> 20.892 (nl_BE), 20 892 (fr_BE); 1946.5 -> 1.946,5; 5.98 -> 5,98."""
    if float(value).is_integer():
        return format_decimal(int(value), locale=style.locale)
    return format_decimal(value, format="#,##0.###", locale=style.locale)


def _with_qualifier(text: str, qualifier: str, style: Style) -> str:
    if not qualifier:
        return text
    return f"{style.qualifiers[qualifier]} {text}"


def _with_unit(
    text: str, unit: str, style: Style, *, compact: bool = False, value: float | None = None
) -> str:
    # some languages word large amounts differently ("198 millions d'euros")
    word = style.units.get(f"{unit}.compact") if compact else None
    if value is not None and abs(value) < style.singular_below:
        word = style.units.get(f"{unit}.singular")
    word = word or style.units.get(unit)
    return f"{text}\u00a0{word}" if word else text


def phrase(value: float, unit: str, qualifier: str, style: Style) -> str:
    """The value as the narrative states it: qualifier, number, unit word ("bijna 198 miljoen euro")."""
    compact = bool(qualifier) and value >= COMPACT_FROM
    if compact:
        digits = 1 if (value / 1e6) % 1 else 0
        text = format_compact_decimal(
            value, format_type="long", fraction_digits=digits, locale=style.locale
        )
    elif unit in MONEY and not float(value).is_integer():
        text = format_decimal(value, format="#,##0.00", locale=style.locale)  # cents: 1.250,50
    else:
        text = number(value, style)
    return _with_qualifier(
        _with_unit(text, unit, style, compact=compact, value=value), qualifier, style
    )


def words(value: float, qualifier: str, style: Style) -> str:
    """A small whole number spelled out ("tien", "dix"), with its qualifier."""
    from num2words import num2words  # its import loads every language: only when spelling

    # the regional variant where num2words has one: fr_BE says "septante", fr "soixante-dix"
    try:
        spelled = num2words(int(value), lang=style.locale)
    except NotImplementedError:
        spelled = num2words(int(value), lang=style.language)
    if qualifier == "about" and spelled in style.about_spelled:
        return style.about_spelled[spelled]
    return _with_qualifier(spelled, qualifier, style)


def partial_date(text: str, style: Style) -> str:
    """'2022-06' -> 'juni 2022'; '2022' -> '2022'; '2023-06-20' -> '20 juni 2023'."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=style.locale)
    return format_date(date(*parts), format="long", locale=style.locale)


def signed_percent(change: float, style: Style) -> str:
    """A year-on-year change: +4,2 % (nl_BE)."""
    text = format_decimal(abs(change) * 100, format="0.0", locale=style.locale)
    sign = "+" if change >= 0 else "\u2212"
    return f"{sign}{text}\u00a0%"
