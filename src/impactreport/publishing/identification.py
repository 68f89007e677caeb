"""Who issues the report: what art. 2:56 WVV/CSA asks every document of the company to state.

The values come from ``data/reference/organisation.yml`` (``identification:``) and the year's
descriptor (the board's approval); the labels from the edition's ``words.yml``. A value not known
yet is shown as missing in a draft and keeps the edition from being final.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from impactreport.analysis import formatting
from impactreport.analysis.editions import Edition
from impactreport.inputs.descriptor import Verification

# field -> whether organisation.yml gives it per language
FIELDS = {
    "legal_form": True,
    "registered_office": False,
    "enterprise_number": False,
    "register": True,
}


@dataclass(frozen=True)
class Line:
    label: str
    value: str | None  # None: not known yet

    @property
    def missing(self) -> bool:
        return self.value is None


def _value(organisation: dict, field: str, lang: str) -> str | None:
    value = (organisation.get("identification") or {}).get(field)
    if FIELDS[field]:
        value = (value or {}).get(lang)
    text = str(value).strip() if value is not None else ""
    return text or None


def missing(organisation: dict, languages: list[str]) -> list[str]:
    """The dotted fields of organisation.yml still empty ('identification.enterprise_number')."""
    found = []
    for field, localised in FIELDS.items():
        for lang in languages if localised else [languages[0]]:
            if _value(organisation, field, lang) is None:
                found.append(f"identification.{field}" + (f".{lang}" if localised else ""))
    return found


def inconsistent(organisation: dict, languages: list[str]) -> list[str]:
    """Filled-in fields that contradict what the report says elsewhere: the full legal form must
    carry every word of the short form the running text and the footer use, its abbreviations
    aside ('erkende' of 'erkende CVSO': the cooperative accreditation). A legal form that drops
    an accreditation reads like another company's."""
    found = []
    short = organisation.get("legal_form") or {}
    for lang in languages:
        full, abbreviated = _value(organisation, "legal_form", lang), short.get(lang)
        if not full or not abbreviated:
            continue
        words = set(re.findall(r"[\w’'-]+", full.lower()))
        needed = [w for w in str(abbreviated).split() if not w.isupper()]
        absent = [w for w in needed if w.lower() not in words]
        if absent:
            found.append(
                f"identification.legal_form.{lang}: {full!r} lacks {', '.join(map(repr, absent))} "
                f"of the short legal form {abbreviated!r} the report uses: write the legal form as "
                "the company's statutes and the KBO/BCE state it"
            )
    return found


def values(organisation: dict, lang: str) -> dict[str, str | None]:
    """The identification of art. 2:56 WVV/CSA in an edition's language, field by field (None:
    not known yet), the name first."""
    return {
        "name": str(organisation["name"]),
        **{field: _value(organisation, field, lang) for field in FIELDS},
    }


def lines(
    organisation: dict, edition: Edition, year: int, approval: Verification | None
) -> list[Line]:
    """The identification in the order the cover states it."""
    words = edition.words["identification"]
    approved = (
        words["approved_on"].format(date=formatting.partial_date(approval.on, edition.style))
        if approval is not None
        else None
    )
    return [
        Line(words["name"], str(organisation["name"])),
        *(Line(words[field], _value(organisation, field, edition.lang)) for field in FIELDS),
        Line(words["financial_year"], str(year)),
        Line(words["issued_by"], words["board"]),
        # not approved yet is a state of the draft, not a value to fill in
        Line(words["approved"], approved or words.get("unapproved")),
    ]
