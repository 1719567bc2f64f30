"""``python -m app deadlines``: a pathway's stage deadlines from typed dates, with no data
file. Every date a person types is read and range-checked here once (``parse_when``)."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, datetime
from typing import Any

from app.deadlines import OtherDue, fmt_moment, iso, other_deadline, project_pathway
from app.deadlines.moments import day_of, due_words
from app.domain.typed_dates import EVENT_DATES, range_problem
from app.errors import InputError
from app.policy import Nation, default_library
from app.policy.stage_names import numbered


def parse_when(text: str, what: str = "date") -> date | datetime:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``; impossible dates and dates outside the
    years deadlines can be worked out for get a plain message naming what was typed."""
    try:
        when: date | datetime = (
            datetime.strptime(text, "%Y-%m-%dT%H:%M")
            if "T" in text
            else datetime.strptime(text, "%Y-%m-%d").date()
        )
    except ValueError:
        # 18/12/2026 is a date written the English way: say how to write it here
        # rather than guess between day and month for every input.
        english = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        example = (
            f"write it as {english[3]}-{int(english[2]):02d}-{int(english[1]):02d}"
            if english
            else "for example 2026-12-18 or 2026-12-18T14:30"
        )
        raise InputError(
            f"{what} '{text}' is not a real date in the form YYYY-MM-DD or "
            f"YYYY-MM-DDTHH:MM ({example})."
        ) from None
    problem = range_problem(day_of(when), EVENT_DATES, f"{what} {text}")
    if problem:
        raise InputError(problem)
    return when


def parse_day(text: str, what: str) -> date:
    when = parse_when(text, what)
    if isinstance(when, datetime):
        raise InputError(f"{what} '{text}' must be a date without a time (YYYY-MM-DD).")
    return when


def _parse_stage_start(text: str) -> tuple[int, date | datetime]:
    number, sep, when = text.partition("=")
    if not sep or not number.strip().isdigit():
        raise InputError(f"--stage-start '{text}' must look like N=YYYY-MM-DD (e.g. 2=2026-12-01).")
    return int(number), parse_when(when.strip(), f"--stage-start {number.strip()}")


def _before(when: date | datetime, raised: date | datetime) -> bool:
    """Earlier than the raised moment; a date alone is compared by its day."""
    if isinstance(when, datetime) and isinstance(raised, datetime):
        return when < raised
    return day_of(when) < day_of(raised)


def _stage_starts(
    typed: list[str], raised: date | datetime, stages: int, where: str
) -> dict[int, date | datetime]:
    """Each --stage-start once, for a stage that exists, not before the raised date."""
    starts: dict[int, date | datetime] = {}
    for text in typed:
        number, when = _parse_stage_start(text)
        if number in starts:
            raise InputError(
                f"--stage-start {number} is given twice; give each stage's start once."
            )
        if not 1 <= number <= stages:
            raise InputError(
                f"Stage {number} does not exist: the {where} pathway has stages 1 to {stages}."
            )
        if _before(when, raised):
            raise InputError(
                f"--stage-start {text.partition('=')[2].strip()} for stage {number} is before "
                "the disagreement was raised (--raised); a stage cannot start before that."
            )
        starts[number] = when
    return starts


def _cmd_deadlines(args: argparse.Namespace) -> int:
    policy = default_library().get(args.policy)
    pathway = policy.pathway(args.pathway)
    raised = parse_when(args.raised, "--raised")
    starts = _stage_starts(
        args.stage_start, raised, len(pathway.stages), f"{policy.id} {pathway.id}"
    )
    decision = parse_when(args.decision, "--decision") if args.decision else None
    if decision is not None and _before(raised, decision):
        raise InputError(
            f"--decision {args.decision} is after the disagreement was raised (--raised); "
            "the disputed decision comes first."
        )
    protect_by = parse_day(args.protect_by, "--protect-by") if args.protect_by else None
    if protect_by is not None and protect_by < day_of(raised):
        raise InputError(
            f"--protect-by {args.protect_by} is before the disagreement was raised "
            "(--raised); the child-safety date must be on or after it."
        )
    nation = Nation(args.nation) if args.nation else policy.default_nation
    stages = project_pathway(
        pathway, raised, starts, protect_by=protect_by, nation=nation, decision=decision
    )
    happened = parse_day(args.other_from, "--other-from") if args.other_from else None
    others = [
        other_deadline(o, happened, nation) if happened else OtherDue(o.title, None, "")
        for o in pathway.other_deadlines
    ]
    if args.other_from and not pathway.other_deadlines:
        raise InputError(
            f"--other-from: the {policy.id} {pathway.id} pathway has no other deadlines."
        )
    if args.json:
        out = {
            "policy": policy.id,
            "pathway": pathway.id,
            "nation": nation.value,
            "stages": [
                {
                    "number": s.number,
                    "title": s.stage.title,
                    "owner": s.stage.owner,
                    "start": iso(s.projected_start),
                    "due": iso(s.due),
                    "rule": s.rule,
                }
                for s in stages
            ],
        }
        if happened is not None:  # asked for: the documented shape is kept otherwise
            out["other_deadlines"] = [
                {"title": o.title, "due": iso(o.due) if o.due else None, "rule": o.rule}
                for o in others
            ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"{policy.partnership}: {pathway.title} ({nation.value} bank holidays)")
    for s in stages:
        if s.waits_for is not None:
            start = f"when stage {s.waits_for} ends (no date yet)"
        else:
            start = fmt_moment(s.start) + ("" if s.start_known else " (projected)")
        due = due_words(s.due, s.due_waits_for)
        print(f"  {numbered(s.number, s.stage.title)}")
        print(f"     owner: {s.stage.owner}")
        print(f"     start: {start}   due: {due}")
        print(f"     rule:  {s.rule}")
    for other, o in zip(pathway.other_deadlines, others, strict=True):
        print(f"  Also: {o.title}")
        if o.due is None:
            print(f"     runs from {other.from_event}: give --other-from DATE to work it out")
        else:
            print(f"     due: {fmt_moment(o.due)}")
            print(f"     rule:  {o.rule}")
    return 0


def add_deadlines_command(commands: Any) -> None:
    deadlines = commands.add_parser("deadlines", help="project a pathway's stage deadlines")
    deadlines.add_argument("policy")
    deadlines.add_argument("pathway")
    deadlines.add_argument("--raised", required=True, metavar="WHEN")
    deadlines.add_argument(
        "--decision",
        metavar="WHEN",
        help="the disputed decision (the conference or decision disagreed with); "
        "default: the raised date",
    )
    deadlines.add_argument("--stage-start", action="append", default=[], metavar="N=WHEN")
    deadlines.add_argument("--protect-by", metavar="DATE")
    deadlines.add_argument(
        "--other-from",
        metavar="DATE",
        help="the day the event of the pathway's other deadlines happened (Suffolk's "
        "conference dissent: receiving the minutes)",
    )
    deadlines.add_argument("--nation", choices=[n.value for n in Nation])
    deadlines.add_argument("--json", action="store_true")
    deadlines.set_defaults(handler=_cmd_deadlines)
