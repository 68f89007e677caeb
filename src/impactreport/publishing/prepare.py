"""Turn a year's computed results into what the Quarto sources read, for one edition.

Reads only what the results' data package names (``analysis.results``), never the year's inputs.

Writes into a project folder (a staged copy for the built-in renderer, or the project itself for
Quarto's pre-render): ``_variables.yml`` with every indicator formatted for the edition, and
``_generated/`` with the figure and table blocks and the metadata the templates show.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from impactreport import yamlfile
from impactreport.analysis import conditions, formatting, text
from impactreport.analysis.editions import Edition
from impactreport.analysis.lineage import RECONCILED
from impactreport.analysis.results import NAME as RESULTS_NAME
from impactreport.analysis.results import OPEN_DATA, Results
from impactreport.errors import RenderError
from impactreport.inputs.descriptor import Verification
from impactreport.inputs.load import Reference
from impactreport.publishing import identification, origins, review
from impactreport.publishing.named import marked_ids
from impactreport.publishing.placed import unplaced_figures
from impactreport.publishing.render.subset import INDICATOR_CLASS

GENERATED = "_generated"
LOGO = "logo"  # the organisation's logo, copied into _generated/ when organisation.yml names one
SPELLED_UNITS = ("count", "days", "years")
SPELLED_BELOW = 100
MARKS = (
    "synthetic"  # {{< var synthetic.<id> >}}: the mark of a synthetic figure, placed by the text
)


def variables(
    table: pd.DataFrame,
    edition: Edition,
    reference: Reference,
    year: int,
    changes: pd.DataFrame,
    marked: set[str] | frozenset[str] = frozenset(),
) -> dict:
    """The ``_variables.yml`` tree: ``{{< var workforce.persons >}}`` -> ``20.892``;
    ``{{< var change.workforce.persons >}}`` -> `` (+4,2 % tegenover 2023)``, or nothing;
    ``{{< var synthetic.workforce.fte >}}`` -> `` (synthetische gegevens)`` when the figure rests
    on synthetic input, or nothing. ``marked``: the figures whose mark the narrative places
    itself (after the phrase the number belongs to); any other synthetic figure carries its mark
    right after the number."""
    style = edition.style
    tree: dict = {"year": str(year), "words": {}, "change": {}, MARKS: {}}
    mark = edition.words["origins"]["synthetic_mark"].strip()
    catalogue = reference.catalogue
    for indicator in catalogue.loc[catalogue["trend"] == "yes", "id"]:
        _put(tree["change"], indicator, "")  # no previous year: the sentence reads on without it
    for row in changes.itertuples():
        change = formatting.signed_percent(row.change, style)
        _put(
            tree["change"],
            row.id,
            edition.words["change"].format(change=change, previous_year=row.previous_year),
        )
    for row in table.itertuples():
        synthetic = getattr(row, "synthetic", "") == "yes"
        # a no-break space: Quarto trims ordinary spaces at the ends of a var value
        _put(tree[MARKS], row.id, f"\u00a0{text.markdown(mark)}" if synthetic else "")
        beside = row.id not in marked
        shown = formatting.phrase(row.value, row.unit, row.qualifier, style)
        _put(tree, row.id, traced(shown, row, edition, beside))
        if (
            row.unit in SPELLED_UNITS
            and float(row.value).is_integer()
            and row.value < SPELLED_BELOW
        ):
            spelled = formatting.words(row.value, row.qualifier, style)
            _put(tree["words"], row.id, traced(spelled, row, edition, beside))
    organisation = reference.organisation
    # var values are markdown (Quarto's semantics): text from data is escaped to stay text
    tree["organisation"] = {
        "name": text.markdown(organisation["name"]),
        "legal_form": text.markdown(organisation["legal_form"][edition.lang]),
    }
    tree["contacts"] = {k: text.markdown(v) for k, v in organisation.get("contacts", {}).items()}
    return tree


def traced(shown: str, row, edition: Edition, marked_beside: bool = True) -> str:
    """An indicator's value as a bracketed span that carries its id and where it comes from.

    The HTML shows the origin on hover and on keyboard focus (``report.css``); pandoc's typst and
    Word writers, and Quarto's, write the text of a span alone."""
    words = edition.words["origins"]
    verified = getattr(row, "verified", "") or (
        words["synthetic"] if getattr(row, "synthetic", "") == "yes" else words["unverified"]
    )
    origin = words["trace"].format(
        id=row.id,
        source=origins.source_text(row.id, row.source, int(row.year), edition),
        origin=origins.origin_text(getattr(row, "origin", ""), edition),
        verified=verified,
    )
    # a number resting on synthetic input alone is marked where it stands, not only in the
    # banner: right after it, unless the narrative marks the phrase it belongs to
    synthetic = getattr(row, "synthetic", "") == "yes"
    mark = words["synthetic_mark"] if synthetic and marked_beside else ""
    return (
        f'[{shown}]{{.{INDICATOR_CLASS} data-id="{row.id}" '
        f'data-origin="{text.attribute(origin)}" tabindex="0"}}'
        + (f" {text.markdown(mark.strip())}" if mark else "")
    )


def _put(tree: dict, dotted: str, value: str) -> None:
    *parents, leaf = dotted.split(".")
    for key in parents:
        tree = tree.setdefault(key, {})
    tree[leaf] = value


def figure_block(meta: dict, image: str, synthetic: str = "") -> str:
    """The figure; ``synthetic`` (the edition's 'illustratief, synthetische gegevens') is added to
    caption and alt text of a figure drawn from synthetic input."""
    caption, alt = meta["caption"], meta["alt"]
    if synthetic:
        caption, alt = f"{caption} ({synthetic})", f"{alt} ({synthetic})"
    return (
        f'![{text.markdown(caption)}]({image}){{#{meta["id"]} fig-alt="{text.attribute(alt)}"}}\n'
    )


def conditions_block(
    checked: pd.DataFrame,
    edition: Edition,
    reference: Reference,
    year: int,
    in_preparation: bool = False,
) -> str:
    """The nine conditions: what the law asks (cited), which statutes articles meet it, and the
    year's check. The full legal text of each is the annex (``law_block``). ``in_preparation``:
    the narrative still has passages to write or review, so a condition this report is the
    evidence of is not met yet."""
    words = edition.words["conditions_table"]
    header = "| " + " | ".join(h.format(year=year) for h in words["headers"]) + " |"
    # pandoc (and Quarto) size the columns of a long pipe table by the dashes of this line
    lines = [header, "|:" + "-" * 44 + "|:" + "-" * 19 + "|:" + "-" * 34 + "|"]
    for row in checked.sort_values("condition", key=lambda c: c.astype(int)).itertuples():
        number = int(row.condition)
        statement = (
            f"{number}. {text.markdown(words['conditions'][number])} "
            f"({text.markdown(citation(row.law, words['law']))})"
        )
        statutes = _articles(
            row.statutes_articles, {**words, "list_and": edition.words["list_and"]}
        )
        amended = _amendments(row.amended_by, words, edition.style)
        if amended:
            statutes = f"{statutes}; {amended}"
        verdict = _verdict(row, edition, reference, in_preparation)
        lines.append(f"| {statement} | {statutes} | {verdict} |")
    caption = text.markdown(
        words["caption"].format(organisation=organisation_name(reference, edition.lang))
    )
    block = "\n".join(lines) + f"\n\n: {caption} {{#tbl-conditions}}\n"
    if (checked["evidence"] == conditions.UNEVIDENCED).any():
        mark = words["unevidenced"]
        note = f"{mark[:1].upper()}{mark[1:]}: {words['evidence'][conditions.UNEVIDENCED]}."
        block += f"\n*{text.markdown(note)}*\n"
    return block


def citation(law: str, words: dict) -> str:
    """'wvv:1;kb' -> 'art. 8:5, § 1, 1°, WVV; art. 6 KB van 28 juni 2019'."""
    parts = []
    for source in law.split(";"):
        name, _, point = source.partition(":")
        parts.append(words[name].format(n=point))
    return "; ".join(parts)


def law_block(checked: pd.DataFrame, edition: Edition) -> str:
    """The annex: every condition in the words of the law, each with its article."""
    words = edition.words["conditions_law"]
    cite = edition.words["conditions_table"]["law"]
    items = [
        f"{int(row.condition)}. {text.markdown(words['conditions'][int(row.condition)])} "
        f"({text.markdown(citation(row.law, cite))})"
        for row in checked.sort_values("condition", key=lambda c: c.astype(int)).itertuples()
    ]
    title = text.markdown(words["title"])
    return (
        f"# {title} {{.unnumbered}}\n\n{_around(words['text'], 'ref', '@tbl-conditions')}\n\n"
        + "\n".join(items)
        + "\n"
    )


def _around(template: str, name: str, inline: str) -> str:
    """``template`` as markdown with ``inline`` (markdown already) where ``{name}`` stands, the
    spaces around it kept."""
    before, after = template.format(**{name: "\0"}).split("\0")
    left = text.markdown(before) + (" " if before.endswith(" ") else "")
    right = (" " if after.startswith(" ") else "") + text.markdown(after)
    return left + inline + right


def _variant(templates: dict | str, value: float) -> str:
    """The wording that reads naturally for the value: 'zero', 'one', else 'other'."""
    if isinstance(templates, str):
        return templates
    key = {0.0: "zero", 1.0: "one"}.get(float(value), "other")
    return templates.get(key, templates["other"])


def _verdict(row, edition: Edition, reference: Reference, in_preparation: bool = False) -> str:
    """'voldaan: geen dividend uitgekeerd (maximum 6 %)', or the analyst's explanation when not met."""
    words = edition.words["conditions_table"]
    units = dict(zip(reference.catalogue["id"], reference.catalogue["unit"], strict=True))
    if row.evidence == "report" and in_preparation:
        # a report whose board text is still to write is no evidence yet (a final edition refuses)
        return f"**{text.markdown(words['in_preparation'])}**: {text.markdown(words['evidence']['report_pending'])}"
    if row.evidence == conditions.UNEVIDENCED:
        # the statutes are no proof of the year's operation: no verdict (the note under the
        # table says once what the mark means)
        cell = f"**{text.markdown(words['unevidenced'])}**"
        if row.explanation:
            cell += " " + text.markdown(words["explanation"].format(text=row.explanation))
        return cell
    if row.evidence in ("statutes", "report"):
        evidence = words["evidence"][row.evidence]
    else:
        left_unit = units.get(row.left_id, "count")
        shown = {
            side: formatting.phrase(
                float(getattr(row, f"{side}_value")),
                units.get(getattr(row, f"{side}_id"), left_unit),
                "",
                edition.style,
            )
            for side in ("left", "right")
        }
        template = _variant(words["evidence"][int(row.condition)], float(row.left_value))
        beside = [
            words["shown"][fact].format(
                value=formatting.phrase(value, units[fact], "", edition.style)
            )
            for fact, value in conditions.shown_values(getattr(row, "shown", "")).items()
            if value
        ]
        evidence = "; ".join([template.format(**shown), *beside])
    verdict = words["met"] if row.met else words["not_met"]
    cell = f"**{text.markdown(verdict)}**: {text.markdown(evidence)}"
    if row.explanation:
        cell += " " + text.markdown(words["explanation"].format(text=row.explanation))
    return cell


def _articles(value: object, words: dict) -> str:
    if not isinstance(value, str) or not value:
        return text.markdown(words["this_report"])
    numbers = value.split(";")
    noun = words["article"] if len(numbers) == 1 else words["articles"]
    return text.markdown(f"{noun} {_join(numbers, words['list_and'])}")


def _join(items: list[str], conjunction: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _amendments(value: object, words: dict, style: formatting.Style) -> str:
    if not isinstance(value, str) or not value:
        return ""
    first, *later = [formatting.partial_date(d, style) for d in value.split(";")]
    parts = [words["amended"].format(dates=first)] + [
        words["confirmed"].format(date=d) for d in later
    ]
    return text.markdown("; ".join(parts))


def publications_block(publications: pd.DataFrame, conjunction: str) -> str:
    lines = []
    for row in publications.itertuples():
        authors = _join([a.strip() for a in row.authors.split(";")], conjunction)
        # as the 2024 report prints them: a typographic apostrophe, whatever the input typed
        title = row.title.replace("'", "\u2019")
        lines.append(f"- *{text.markdown(title)}*, {text.markdown(authors)}")
    return "\n".join(lines) + "\n"


def organisation_name(reference: Reference, lang: str) -> str:
    """'<name> <short legal form>': the organisation as the edition names it."""
    return f"{reference.organisation['name']} {reference.organisation['legal_form'][lang]}"


def identification_lines(
    edition: Edition, reference: Reference, year: int, approved: str
) -> list[identification.Line]:
    approval = Verification("", approved) if approved else None
    return identification.lines(reference.organisation, edition, year, approval)


def _shown_value(line: identification.Line, edition: Edition) -> str:
    if line.missing:
        return f"*{text.markdown(edition.words['identification']['missing'])}*"
    return text.markdown(line.value)


def metadata(
    edition: Edition,
    reference: Reference,
    year: int,
    draft: str = "",
    provenance: dict[str, str] | None = None,
) -> dict:
    """Front-matter values for the templates; metadata strings are markdown too, so escaped.

    A draft's label goes to ``draft`` (the PDF's running header) and ``description`` (HTML and PDF
    metadata); ``identification`` lists what the cover states (art. 2:56 WVV), a value not known
    yet in emphasis as missing; ``author`` goes to the PDF and Word properties."""
    provenance = provenance or {}
    values = {
        "organisation": text.markdown(organisation_name(reference, edition.lang)),
        "subtitle": text.markdown(edition.text(edition.words["subtitle"], year=str(year))),
        "year": str(year),
        "author": text.markdown(str(reference.organisation["name"])),
        "identification": [
            {"label": text.markdown(line.label), "value": _shown_value(line, edition)}
            for line in identification_lines(edition, reference, year, provenance.get("approved"))
        ],
    }
    if reference.organisation.get("logo"):
        # not `logo`, which Quarto reads as a brand logo of its own
        suffix = Path(str(reference.organisation["logo"])).suffix
        values["organisation-logo"] = f"{GENERATED}/{LOGO}{suffix}"
    if draft:
        values["draft"] = values["description"] = text.markdown(draft)
        # 'Ontwerpversie' before the title in the browser tab
        values["draft-title"] = text.markdown(draft.split(":")[0].strip())
    return values


def synthetic_label(meta: dict, table: pd.DataFrame, edition: Edition) -> str:
    """The edition's label when any indicator the figure is drawn from rests on synthetic input.

    Decided by lineage, not per figure: a figure drawn from an indicator whose input file the
    year's descriptor declares synthetic is labelled, whatever else it shows."""
    synthetic = set(table.loc[table["synthetic"] == "yes", "id"])
    drawn = set(meta.get("drawn_from", []))
    return edition.words["charts"]["synthetic"] if drawn & synthetic else ""


def trends_block(
    edition: Edition, meta_path: Path | None, first: int, year: int, table: pd.DataFrame
) -> str:
    """A section with the trend chart when earlier years have data; nothing otherwise."""
    if meta_path is None:
        return ""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    words = edition.words["trends"]
    before, after = words["text"].format(first=first, last=year, ref="\0").split("\0")
    # the words around the reference keep their spaces; text.markdown trims its ends
    left = text.markdown(before) + (" " if before.endswith(" ") else "")
    right = (" " if after.startswith(" ") else "") + text.markdown(after)
    sentence = f"{left}@fig-trends{right}"
    image = f"{GENERATED}/figures/fig-trends.svg"
    figure = figure_block(meta, image, synthetic_label(meta, table, edition))
    return f"## {text.markdown(words['title'])}\n\n{sentence}\n\n{figure}"


def workforce_basis(table: pd.DataFrame, catalogue: pd.DataFrame, words: dict) -> str:
    """Where the workforce figures come from, in the edition's words (``colophon: workforce:``):
    the payroll records, or the totals the organisation declared, with their sources."""
    templates = words.get("workforce")
    workforce = set(catalogue.loc[catalogue["theme"] == "workforce", "id"])
    rows = table[table["id"].isin(workforce)]
    if not templates or rows.empty:
        return ""
    sources = rows["source"].astype(str)
    if sources.str.startswith("records:").any():
        return templates["records"]
    named = dict.fromkeys(source.split(": ", 1)[-1] for source in sources)
    return templates["declared"].format(sources="; ".join(named))


def lineage_sentence(table: pd.DataFrame, edition: Edition) -> str:
    """Where the edition's figures come from, derived from their lineage: each origin of the
    input files they rest on (as the descriptors declare it), and whether a computation from
    records confirmed declared ones. Nothing is said that the lineage does not show."""
    words = edition.words["colophon"]["lineage"]
    # (kind, named) -> how some of its values were reconciled ('reconciled-synthetic': with
    # synthetic records), or ''
    origins_found: dict[tuple[str, str], str] = {}
    for origin in table["origin"].astype(str):
        parts = [p for p in origin.split("; ") if p]
        reconciled = next((p.partition(": ")[0] for p in parts if p.startswith(RECONCILED)), "")
        for part in parts:
            if part.startswith(RECONCILED):
                continue
            kind, _, named = part.partition(": ")
            key = (kind.split()[0], named)  # 'definition (this project)'
            origins_found[key] = origins_found.get(key, "") or reconciled
    shown = []
    for (kind, named), reconciled in origins_found.items():
        phrase = words.get(kind, words["undeclared"]).format(named=named)
        note = words.get(reconciled, words["reconciled"]) if reconciled else ""
        shown.append(f"{phrase}, {note}" if note else phrase)
    return words["text"].format(parts=words["separator"].join(shown))


def identity_sentence(organisation: dict, edition: Edition) -> str:
    """Who issues the report (art. 2:56 WVV/CSA) as a sentence in the edition's words
    (``colophon: identity:``): what is known, then what is still to fill in."""
    words = edition.words["colophon"]["identity"]
    known, missing = [], []
    for field, value in identification.values(organisation, edition.lang).items():
        if value is None:
            missing.append(words["fields"][field])
        else:
            known.append(words.get(field, "{value}").format(value=value))
    sentence = words["known"].format(parts=", ".join(known))
    if missing:
        fields = _join(missing, edition.words["list_and"])
        template = words["missing_one"] if len(missing) == 1 else words["missing"]
        filled = template.format(fields=fields)
        sentence += " " + filled[0].upper() + filled[1:]
    return sentence


def colophon_block(
    edition: Edition,
    reference: Reference,
    year: int,
    provenance: dict[str, str],
    table: pd.DataFrame | None = None,
) -> str:
    """The closing note: who approved the report and when, where its figures come from in plain
    words, the identification, and the technical provenance for auditors. The PDF sets it in
    small type from its heading id on (``#colophon``), the HTML by its section's id."""
    words = edition.words["colophon"]
    approved = provenance.get("approved")
    board = (
        words["approved"].format(date=formatting.partial_date(approved, edition.style))
        if approved
        else words["unapproved"]
    )
    if approved and provenance.get("place") and provenance.get("by"):
        board += " " + words["signed"].format(
            place=provenance["place"],
            date=formatting.partial_date(approved, edition.style),
            by=provenance["by"],
        )
    sources = lineage_sentence(table, edition) if table is not None else ""
    if table is not None:
        basis = workforce_basis(table, reference.catalogue, words)
        sources += f" {basis}" if basis else ""
    sources = f"{sources} {words['reproducible']}".strip()
    # the open data beside the editions (_output/<year>/data/), linked from each edition's folder
    link = f"[{text.markdown(words['open_data_link'])}](../{OPEN_DATA}/{RESULTS_NAME})"
    open_data = _around(words["open_data"], "link", link)
    identity = text.markdown(identity_sentence(reference.organisation, edition))
    return (
        "\n\n".join(
            [
                f"# {text.markdown(words['title'])} {{#colophon .unnumbered}}",
                text.markdown(board),
                text.markdown(sources),
                open_data,
                identity,
                text.markdown(
                    words["technical"].format(**provenance)
                    + (
                        " " + words["approval"].format(**provenance)
                        if provenance.get("approval")
                        else ""
                    )
                ),
            ]
        )
        + "\n"
    )


def write(
    folder: Path,
    results: Results,
    edition: Edition,
    year: int,
    provenance: dict[str, str],
    draft: str = "",
) -> None:
    """Write ``_variables.yml`` and ``_generated/`` for ``edition`` into ``folder``; ``draft`` is
    the label of a draft edition (empty: final)."""
    reference = results.reference
    titles = results.status["inputs"].get("titles", {})
    table = titled(results.indicators, titles, edition.lang)
    changes = results.table("changes")
    marked = marked_ids(folder / "sections" / edition.lang)
    tree = variables(table, edition, reference, year, changes, marked)
    (folder / "_variables.yml").write_text(
        yamlfile.dump(tree, allow_unicode=True, sort_keys=True, default_style='"'),
        encoding="utf-8",
    )
    generated = folder / GENERATED
    shutil.rmtree(generated, ignore_errors=True)
    figures = generated / "figures"
    figures.mkdir(parents=True)
    drawn = results.figures(edition.lang)
    trends = None  # also a section, with the sentence around it
    for row in drawn.itertuples():
        meta_path = results.folder / row.meta
        trends = meta_path if row.id == "fig-trends" else trends
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        # the phone drawing beside the page drawing: filters/narrow.lua shows it in the HTML;
        # a figure drawn for the page only shows the page drawing on phones
        for name in filter(None, (row.path, row.png, row.narrow)):
            shutil.copyfile(results.folder / name, figures / Path(name).name)
        image = f"{GENERATED}/figures/{Path(row.path).name}"
        block = figure_block(meta, image, synthetic_label(meta, table, edition))
        (generated / f"{meta['id']}.md").write_text(block, encoding="utf-8")
    checked = results.table("conditions")
    # the edition shows the explanation written in its language
    checked["explanation"] = checked.get(f"explanation_{edition.lang}", "")
    in_preparation = bool(review.pending_in(folder / "sections" / edition.lang))
    (generated / "tbl-conditions.md").write_text(
        _typeset(conditions_block(checked, edition, reference, year, in_preparation), edition),
        encoding="utf-8",
    )
    (generated / "conditions-law.md").write_text(
        _typeset(law_block(checked, edition), edition), encoding="utf-8"
    )
    shown_figures = [
        json.loads((results.folder / meta).read_text(encoding="utf-8")) for meta in drawn["meta"]
    ]
    used = origins.used_ids(folder / "sections" / edition.lang, shown_figures, checked, table)
    (generated / "lineage.md").write_text(
        _typeset(origins.block(table, used, edition), edition), encoding="utf-8"
    )
    publications = results.table("publications")
    (generated / "publications.md").write_text(
        _typeset(publications_block(publications, edition.words["list_and"]), edition),
        encoding="utf-8",
    )
    first = int(results.table("history")["year"].min())
    block = trends_block(edition, trends, first, year, table)
    (generated / "trends.md").write_text(_typeset(block, edition), encoding="utf-8")
    (generated / "colophon.md").write_text(
        _typeset(
            colophon_block(edition, reference, year, provenance, table.loc[table["id"].isin(used)]),
            edition,
        ),
        encoding="utf-8",
    )
    (generated / "metadata.yml").write_text(
        yamlfile.dump(
            metadata(edition, reference, year, draft, provenance),
            allow_unicode=True,
            sort_keys=True,
        ),
        encoding="utf-8",
    )
    logo = reference.organisation.get("logo")
    if logo:
        source = reference.folder / str(logo)
        shutil.copyfile(source, generated / f"{LOGO}{source.suffix}")
    # the draft's label is not repeated in the body: the PDF's running header, the HTML page's
    # top and title and Word's header state it already (twice on one page read as a mistake)
    (generated / "status.md").write_text("", encoding="utf-8")
    # after every block: a chart a generated block shows (the trends) counts as placed
    unplaced = unplaced_figures(folder, edition.lang, generated)
    if unplaced:  # a chart nobody would see
        raise RenderError("\n".join(unplaced))


def titled(table: pd.DataFrame, titles: dict[str, dict[str, str]], lang: str) -> pd.DataFrame:
    """The table with each source document named by its title in the edition's language where
    the year's descriptor declares one (``origin: titles:``), as declared: never translated here."""
    found = {named: by_lang[lang] for named, by_lang in titles.items() if lang in by_lang}
    if not found:
        return table

    def retitled(origin: str) -> str:
        parts = []
        for part in origin.split("; "):
            kind, sep, named = part.partition(": ")
            for document, title in found.items():
                if named == document or named.startswith(f"{document}, "):  # dated: ', <date>'
                    named = title + named[len(document) :]
            parts.append(f"{kind}{sep}{named}")
        return "; ".join(parts)

    return table.assign(origin=table["origin"].astype(str).map(retitled))


def _typeset(block: str, edition: Edition) -> str:
    """The edition's punctuation spacing (French: a narrow no-break space before : ; ! ?) in a
    generated block. Publication titles pass too: only the space before the mark changes, their
    words stay as published."""
    return text.spaced_punctuation(block, edition.words.get("punctuation_space", ""))
