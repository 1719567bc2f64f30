"""A pathway's summary as the forms show it: the policy's own words, with how many
stages the pathway has, said once. Some summaries already say it ("Four stages, each
within 5 working days…"); the count is added only to those that do not."""

from __future__ import annotations

import re

from app.english_plurals import count
from app.policy.model import Pathway

_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# "Four stages", "7 stages", "one stage": a summary that gives the number itself.
_GIVES_STAGE_COUNT = re.compile(rf"\b(?:{_NUMBER_WORDS}|\d+) stages?\b", re.IGNORECASE)


def says_stage_count(text: str) -> bool:
    return _GIVES_STAGE_COUNT.search(text) is not None


def summary_with_stages(pathway: Pathway) -> str:
    """ "Use when… This pathway has 3 stages.", or the summary alone if it gives the count."""
    summary = pathway.summary.strip()
    if says_stage_count(summary):
        return summary
    return f"{summary} This pathway has {count(len(pathway.stages), 'stage')}."
