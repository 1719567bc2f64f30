"""Checking and writing a policy drafted in the app's policy builder
(``app.policy.draft``): the problems with it in plain English, keyed by field path so
each is shown beside its field; the policy as the file holds it; the TOML file, laid
out as the shipped files are.

Whether a policy is valid is decided by the schema (``app.policy.model``), the one
place its rules live; this module adds only what a form needs on top: words a DSL
understands, and the rule that every timescale quotes the document. No Qt
(docs/architecture.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from pydantic import ValidationError

from app.policy.draft import (
    POLICY_ID,
    QUOTE,
    UNIT_WORDS,
    PathwayDraft,
    PolicyDraft,
    Problem,
    StageDraft,
    TimescaleDraft,
    blank_draft,
    draft_from,
    needs_amount,
    unit_words,
)
from app.policy.loader import _field_path, _plain
from app.policy.model import Anchor, Condition, Policy, Unit

__all__ = [
    "UNIT_WORDS",
    "PolicyDraft",
    "Problem",
    "blank_draft",
    "draft_from",
    "preview_policy",
    "problems",
    "to_data",
    "to_toml",
    "validated",
]


# To the file's data ---------------------------------------------------------------------


def _number(text: str) -> int | str:
    """A whole number when the text is one; else the text (the schema then refuses it)."""
    return int(text) if text.strip().isdigit() else text


def _optional(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The pairs with a value: a field left empty is left out of the file."""
    return {k: v for k, v in pairs if not (v is None or v is False or v in ("", [], {}))}


def _timescale_data(rule: TimescaleDraft, stand_ins: bool) -> dict[str, Any]:
    amount: int | str = _number(rule.amount) if rule.amount.strip() else ""
    start: int | str = _number(rule.from_amount) if rule.from_amount.strip() else ""
    unit, urgent = rule.unit, rule.urgent
    if stand_ins:  # the preview: what can be counted is counted, the rest is left out
        if not isinstance(amount, int) or not needs_amount(unit):
            unit = Unit.NONE.value if needs_amount(unit) else unit
            amount = ""
        if not isinstance(start, int) or not isinstance(amount, int) or start > amount:
            start = ""
        urgent = urgent and unit == Unit.NONE
    data: dict[str, Any] = {"unit": unit}
    data |= _optional([("amount", amount), ("from_amount", start)])
    data |= _optional([("anchor", "" if rule.anchor == Anchor.STAGE_START else rule.anchor)])
    data |= _optional([("cap", rule.cap), ("urgent", urgent)])
    data["text"] = rule.text or ("\u2026" if stand_ins else "")
    return data | _optional([("contradicted_by", rule.contradicted_by)])


def _day(text: str) -> date | str:
    """A date when the text is one, typed the English way (04/12/2026, 4 December 2026)
    or as the file writes it (2026-12-04): the file then holds a TOML date. Else the
    text, which the schema's check then names."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    from app.domain.typed_dates import read_date  # the app's one reader of typed dates

    reading = read_date(text, required=False)
    return reading.value if reading.value is not None else text


_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def _issued(text: str) -> str:
    """The document's date as the file holds it (YYYY, YYYY-MM or YYYY-MM-DD), from what
    a person types: a year, a month and year (09/2025, September 2025) or a day
    (01/09/2025). Anything else is kept as typed, for the schema's check to name."""
    from app.english_dates import MONTHS

    typed = text.strip()
    if not typed or re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", typed):
        return typed
    month_year = _MONTH_YEAR.match(typed)
    if month_year and 1 <= int(month_year[1]) <= 12:
        return f"{month_year[2]}-{int(month_year[1]):02d}"
    words = typed.replace(",", " ").split()
    if len(words) == 2 and words[1].isdigit() and len(words[1]) == 4:
        names = [m.casefold() for m in MONTHS]
        name = words[0].casefold()
        for number, month in enumerate(names, start=1):
            if month == name or (len(name) >= 3 and month.startswith(name)):
                return f"{words[1]}-{number:02d}"
    day = _day(typed)
    return day.isoformat() if isinstance(day, date) else typed


def _pathway_ids(draft: PolicyDraft) -> list[str]:
    """Each pathway's id: its own, else its kind (then kind-2, kind-3… for another of
    the same kind)."""
    ids: list[str] = []
    for pathway in draft.pathways:
        chosen, n = pathway.id or pathway.kind, 1
        while chosen in ids or (not pathway.id and chosen in (p.id for p in draft.pathways)):
            n += 1
            chosen = f"{pathway.kind}-{n}"
        ids.append(chosen)
    return ids


def _stage_data(stage: StageDraft, number: int, stand_ins: bool) -> dict[str, Any]:
    def text(value: str) -> str:
        return value or ("\u2026" if stand_ins else "")

    timescales = [_timescale_data(t, stand_ins) for t in stage.timescales]
    if stand_ins and not timescales:
        timescales = [{"unit": Unit.NONE.value, "text": "\u2026"}]
    data: dict[str, Any] = {
        "number": number if stand_ins else stage.number,
        "title": text(stage.title),
        "owner": text(stage.owner),
        "action": text(stage.action),
    }
    data |= _optional([("records", stage.records), ("outcomes", stage.outcomes)])
    # Not in the preview, which shows deadlines: a group still being chosen (fewer than
    # two outcomes) would otherwise make the whole preview unreadable.
    if stage.outcomes_together and not stand_ins:
        data["outcomes_together"] = [list(g.outcomes) for g in stage.outcomes_together]
    data["timescales"] = timescales  # empty: the schema asks for one
    notifications = [
        {"to": text(n.to), "text": text(n.text)}
        | _optional([("when", "" if n.when == Condition.ALWAYS else n.when)])
        | _optional([("document", n.document)])
        for n in stage.notifications
    ]
    return data | _optional([("notifications", notifications)])


def _filled(stand_ins: bool) -> Callable[[str], str]:
    """For a required text: as typed, or "…" in the preview while it is blank."""
    return lambda value: value or ("\u2026" if stand_ins else "")


def _document_data(draft: PolicyDraft, stand_ins: bool) -> dict[str, Any]:
    doc, text = draft.document, _filled(stand_ins)
    document = {"title": text(doc.title)} | _optional([("issued", _issued(doc.issued))])
    document |= {"version": text(doc.version)} | _optional(
        [
            ("based_on", doc.based_on),
            ("source", doc.source),
            ("url", doc.url),
            ("read_on", _day(doc.read_on)),
            ("completeness", doc.completeness),
        ]
    )
    if doc.revision > 1:  # revision 1 is the default, and the shipped files leave it out
        document["revision"] = doc.revision
    if stand_ins:  # what is not yet a date or an address waits until it is one
        for name, pattern in (("issued", r"^\d{4}(-\d{2}(-\d{2})?)?$"), ("url", r"^https?://\S+$")):
            if name in document and not re.match(pattern, document[name]):
                del document[name]
        if isinstance(document.get("read_on"), str):
            del document["read_on"]
    return document


def _pathway_data(pathway: PathwayDraft, pathway_id: str, stand_ins: bool) -> dict[str, Any]:
    roles, text = pathway.roles, _filled(stand_ins)
    data: dict[str, Any] = _optional([("kind", pathway.kind if pathway_id != pathway.kind else "")])
    data |= {"id": pathway_id, "title": text(pathway.title), "summary": text(pathway.summary)}
    kept_roles = _optional(
        [
            ("raised_with", roles.raised_with),
            ("alerts", roles.alerts),
            ("request_to", roles.request_to),
            ("consulted", roles.consulted),
            ("attendees", roles.attendees),
            ("unresolved_to", roles.unresolved_to),
        ]
    )
    data |= _optional([("roles", kept_roles)])
    data["stages"] = [_stage_data(s, n, stand_ins) for n, s in enumerate(pathway.stages, start=1)]
    others = [
        {
            "title": text(o.title),
            "from_event": text(o.from_event),
            "timescale": _timescale_data(o.timescale, stand_ins),
        }
        for o in pathway.other_deadlines
    ]
    return data | _optional([("other_deadlines", others)])


def to_data(draft: PolicyDraft, *, stand_ins: bool = False) -> dict[str, Any]:
    """The policy as the file holds it, in the shipped files' order. ``stand_ins``: a
    blank required field reads "…" and what cannot be counted is left out (for the live
    preview of a policy still being typed)."""
    text = _filled(stand_ins)
    pathways = [
        _pathway_data(pathway, pathway_id, stand_ins)
        for pathway, pathway_id in zip(draft.pathways, _pathway_ids(draft), strict=True)
    ]
    contacts = [{"role": text(c.role), "purpose": text(c.purpose)} for c in draft.contact_roles]
    data = {
        "id": draft.id if not stand_ins or POLICY_ID.match(draft.id) else "draft-policy",
        "partnership": text(draft.partnership),
        "short_name": text(draft.short_name),
        "default_nation": draft.default_nation,
    }
    data |= _optional(
        [
            ("immediate_risk", draft.immediate_risk),
            ("categories", draft.categories),
            ("contact_roles", contacts),
        ]
    )
    return data | {"document": _document_data(draft, stand_ins), "pathways": pathways}


def validated(draft: PolicyDraft) -> Policy:
    """The policy the draft makes; raises pydantic's ``ValidationError`` when it has a
    problem (callers ask ``problems`` first)."""
    return Policy.model_validate(to_data(draft))


def preview_policy(draft: PolicyDraft) -> Policy | None:
    """The policy as far as it is typed, blanks stood in for, to preview its deadlines
    while it is still being written; None when even that cannot be read."""
    try:
        return Policy.model_validate(to_data(draft, stand_ins=True))
    except ValidationError:
        return None


# Problems -------------------------------------------------------------------------------

# What to ask for when a required field is empty, by the field's path with its indices
# taken out ("pathways[].stages[].owner").
_ASK = {
    "id": "Give the policy a short name for its file: lower-case letters, digits and -, "
    "e.g. \u201ctestshire\u201d.",
    "partnership": "Give the partnership's name as the document gives it.",
    "short_name": "Give the short name the document uses, e.g. \u201cTSCP\u201d.",
    "document.title": "Give the document's title.",
    "document.version": "Give the document's version as it says it, or \u201cNot stated\u201d.",
    "pathways[].title": "Give this pathway the document's own title.",
    "pathways[].summary": "Say when a DSL should use this pathway.",
    "pathways[].stages": "Add at least one stage.",
    "pathways[].stages[].title": "Give this stage a short title.",
    "pathways[].stages[].owner": "Say who is responsible at this stage, in the document's words.",
    "pathways[].stages[].action": "Say what to do at this stage, in the document's words.",
    "pathways[].stages[].timescales": "Add a timescale: the document's words on when "
    "(or that it gives none).",
    "pathways[].stages[].notifications[].to": "Say who must be told.",
    "pathways[].stages[].notifications[].text": "Say what they must be told or sent.",
    "pathways[].other_deadlines[].title": "Give this deadline a short title.",
    "pathways[].other_deadlines[].from_event": "Say what the clock runs from, e.g. "
    "\u201creceiving the conference minutes\u201d.",
    "contact_roles[].role": "Name the role, as the document does.",
    "contact_roles[].purpose": "Say what the role is for.",
    "pathways": "Add at least one pathway.",
}
_FORMAT = {
    "id": "Use lower-case letters, digits and - only, starting with a letter, 2 to 41 "
    "characters (e.g. \u201ctestshire\u201d).",
    "document.issued": "Type the document's date as the document gives it: a day "
    "(01/09/2025), a month (09/2025 or September 2025) or a year (2025), or leave it "
    "empty if the document is undated.",
    "document.url": "Give the web address in full, starting https://, with no spaces.",
    "document.read_on": "Type the date you read the text, e.g. 04/12/2026.",
}


def _generic(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


def _timescale_problems(rule: TimescaleDraft, at: str) -> Iterator[Problem]:
    unit = unit_words(rule.unit)
    if not rule.text.strip():
        yield Problem(f"{at}.text", QUOTE)
    for name, typed in (("amount", rule.amount), ("from_amount", rule.from_amount)):
        if typed.strip() and not typed.strip().isdigit():
            yield Problem(
                f"{at}.{name}",
                f"\u201c{typed}\u201d is not a whole number: type it in digits, e.g. 5.",
            )
    if needs_amount(rule.unit) and not rule.amount.strip():
        yield Problem(f"{at}.amount", f"Give the number of {unit.lower()} the document sets.")
    if not needs_amount(rule.unit) and rule.amount.strip():
        yield Problem(
            f"{at}.amount",
            f"\u201c{unit}\u201d has no number: clear it, or choose working days, hours "
            "or calendar days.",
        )
    if rule.from_amount.strip() and not needs_amount(rule.unit):
        yield Problem(f"{at}.from_amount", f"\u201c{unit}\u201d has no range: clear it.")
    elif (
        rule.from_amount.strip().isdigit()
        and rule.amount.strip().isdigit()
        and int(rule.from_amount) > int(rule.amount)
    ):
        yield Problem(f"{at}.from_amount", "The start of the range must not be more than its end.")
    if rule.urgent and rule.unit != Unit.NONE:
        yield Problem(
            f"{at}.urgent",
            "Only a timescale with no fixed time can be marked urgent: the app never turns "
            "\u201curgently\u201d into a date.",
        )


def _together_problems(
    group: list[str], outcomes: list[str], at: str, index: int
) -> Iterator[Problem]:
    """A group reached together names two or more of the stage's outcomes, exactly."""
    path = f"{at}.outcomes_together[{index}].outcomes"
    unknown = [o for o in group if o not in outcomes]
    if unknown:
        yield Problem(
            path,
            f"\u201c{unknown[0]}\u201d is not one of this stage's outcomes: type it exactly "
            "as it is under \u201cOutcomes or determinations\u201d.",
        )
    elif len(group) < 2:
        yield Problem(path, "Name two or more of this stage's outcomes, one a line.")


def _own_problems(draft: PolicyDraft) -> Iterator[Problem]:
    """What the form checks before the schema: plain words on the fields it owns."""
    if draft.id and not POLICY_ID.match(draft.id):
        yield Problem("id", _FORMAT["id"])
    for p, pathway in enumerate(draft.pathways):
        for s, stage in enumerate(pathway.stages):
            at = f"pathways[{p}].stages[{s}]"
            if stage.number != s + 1:
                yield Problem(
                    f"{at}.number",
                    f"This stage is numbered {stage.number}, but stages run 1, 2, 3… in "
                    f"order: it is stage {s + 1}.",
                )
            for t, rule in enumerate(stage.timescales):
                yield from _timescale_problems(rule, f"{at}.timescales[{t}]")
            for g, group in enumerate(stage.outcomes_together):
                yield from _together_problems(group.outcomes, stage.outcomes, at, g)
        for o, other in enumerate(pathway.other_deadlines):
            yield from _timescale_problems(
                other.timescale, f"pathways[{p}].other_deadlines[{o}].timescale"
            )


def _schema_message(error: Any, path: str) -> str:
    generic = _generic(path)
    if error["type"] in ("missing", "string_too_short", "too_short") and generic in _ASK:
        return _ASK[generic]
    if error["type"] == "string_pattern_mismatch" and generic in _FORMAT:
        return _FORMAT[generic]
    if generic == "document.read_on":
        return _FORMAT[generic]
    words = _plain(error)
    return words[:1].upper() + words[1:] + ("" if words.endswith(".") else ".")


def problems(draft: PolicyDraft) -> list[Problem]:
    """Every problem with the draft, in the form's order, at most one per field: the
    form's own checks, then the schema's (each said in plain English)."""
    found = list(_own_problems(draft))
    if not draft.id:
        found.insert(0, Problem("id", _ASK["id"]))
    try:
        Policy.model_validate(to_data(draft))
    except ValidationError as exc:
        data = to_data(draft)
        for error in exc.errors():
            path = _field_path(error["loc"], data)
            if re.search(r"\.(categories|records|outcomes|consulted|attendees)\[\d+\]$", path):
                path = path.rsplit("[", 1)[0]  # a list typed one a line: its box
            if any(p.path == path or p.path.startswith(f"{path}.") for p in found):
                continue  # already said in the form's own words
            found.append(Problem(path, _schema_message(error, path)))
    return _in_form_order(found)


def _in_form_order(found: list[Problem]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for problem in found:
        seen.setdefault(problem.path, problem)

    def key(problem: Problem) -> list[Any]:
        return [int(part) if part.isdigit() else 0 for part in re.findall(r"\d+", problem.path)]

    return sorted(seen.values(), key=lambda p: (p.path.startswith("pathways"), key(p)))


# The file -------------------------------------------------------------------------------


def to_toml(draft: PolicyDraft) -> str:
    """The policy file, laid out as the shipped ones are (tables written out, one a
    section, never inline): a DSL or partnership can read and diff it."""
    import tomli_w

    data = to_data(draft)
    out = [
        "# Written by Escalation Tracker's policy builder. Check it with\n"
        "# python -m app policies check FILE before sharing it.\n\n"
    ]

    def section(header: str, table: dict[str, Any]) -> None:
        flat = {k: v for k, v in table.items() if not isinstance(v, dict) and not _is_tables(v)}
        out.append((f"{header}\n" if header else "") + tomli_w.dumps(flat) + "\n")

    section("", data)
    section("[document]", data["document"])
    for contact in data.get("contact_roles", []):
        section("[[contact_roles]]", contact)
    for pathway in data["pathways"]:
        section("[[pathways]]", pathway)
        if "roles" in pathway:
            section("[pathways.roles]", pathway["roles"])
        for stage in pathway["stages"]:
            section("[[pathways.stages]]", stage)
            for rule in stage.get("timescales", []):
                section("[[pathways.stages.timescales]]", rule)
            for notification in stage.get("notifications", []):
                section("[[pathways.stages.notifications]]", notification)
        for other in pathway.get("other_deadlines", []):
            section("[[pathways.other_deadlines]]", other)
            section("[pathways.other_deadlines.timescale]", other["timescale"])
    return "".join(out).rstrip("\n") + "\n"


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
