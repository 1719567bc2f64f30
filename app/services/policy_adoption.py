"""Which version of its policy an escalation follows, and adopting a newer one.

An escalation keeps the version it was opened under (its pathway snapshot) however many
newer versions are loaded. Moving it to the newest is the DSL's choice only: they see
what changes (stages, owners, timescales), and adopting stores the newer pathway,
records the change in the escalation's chronology and re-pins its form in the audit
trail with the one lawful reason for it. Stages already started keep the deadlines
stored when they started; only stages not yet started follow the adopted version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app import clock
from app.domain.escalation_actions import EscalationAction, require
from app.domain.records import PolicyVersionAdopted, RecordKind
from app.english_plurals import count
from app.errors import InputError
from app.policy import Pathway, Policy, PolicyLibrary
from app.policy.model import Anchor, Stage, Timescale, Unit
from app.policy.versions import key_words, version_key, version_words
from app.services.common import Store, current_stage_event, get_escalation, pathway_of
from app.services.escalations import snapshot_for
from app.services.records import StoredSituation, add_record
from app.storage import audit
from app.storage.models import Escalation


@dataclass(frozen=True)
class Change:
    """One difference between the version followed and the newer one, for one stage."""

    stage: int
    what: str  # "Stage", "Title", "Owner" or "Timescale"
    before: str  # as the escalation's version says it ("Not in this version" if absent)
    after: str  # as the newer version says it
    started: bool  # the stage has started: it keeps the deadline it was given then

    def sentence(self) -> str:
        kept = " (already started: its deadline stays as it was)" if self.started else ""
        return f"Stage {self.stage} {self.what.lower()}{kept}: {self.before} → {self.after}."


@dataclass(frozen=True)
class Offer:
    """What adopting the newer version would do, for the DSL to decide on."""

    ref: str
    policy: str  # the partnership
    following: str  # the version followed now, in words
    newer: str  # the newer version, in words
    newer_key: str
    changes: list[Change]
    problems: list[str]  # why it cannot be adopted; empty when it can


def following_words(library: PolicyLibrary, policy_id: str, version: str) -> str:
    """The version an escalation follows, in words ("the version of 03/12/2026")."""
    if library.has_version(policy_id, version):
        return version_words(library.get(policy_id, version))
    return key_words(version)


def newer_words(library: PolicyLibrary, policy_id: str, version: str) -> str:
    """The newer version an escalation following ``version`` could adopt, in words; ""
    when there is none (what the action map reads)."""
    newer = library.newer_than(policy_id, version)
    return version_words(newer) if newer is not None else ""


def follows_note(library: PolicyLibrary, policy_id: str, version: str, is_open: bool = True) -> str:
    """What the escalation window says about the version it follows (a closed one stays
    as it was followed: no newer version is offered)."""
    text = f"This escalation follows {following_words(library, policy_id, version)} of its policy."
    newer = newer_words(library, policy_id, version)
    if newer and is_open:
        text += (
            f" A newer version is loaded ({newer}). The escalation keeps the version it "
            "follows unless you choose to adopt the newer one."
        )
    return text


def _rule(rule: Timescale) -> str:
    amount = {
        Unit.WORKING_DAYS: count(rule.amount or 0, "working day"),
        Unit.HOURS: count(rule.amount or 0, "hour"),
        Unit.CALENDAR_DAYS: count(rule.amount or 0, "calendar day"),
        Unit.IMMEDIATE: "immediately",
        Unit.NONE: "no fixed timescale",
    }[rule.unit]
    anchor = {
        Anchor.STAGE_START: "",
        Anchor.RAISED: " from when it was raised",
        Anchor.DECISION: " from the disputed decision",
    }[rule.anchor]
    return f'{amount}{anchor} ("{rule.text}")'


def _timescales(stage: Stage) -> str:
    return "; ".join(_rule(rule) for rule in stage.timescales)


def changes(before: Pathway, after: Pathway, started: int) -> list[Change]:
    """The stages, owners and timescales that differ, stage by stage; ``started``: the
    number of stages that have started (they keep their stored deadlines)."""
    found: list[Change] = []
    for number in range(1, max(len(before.stages), len(after.stages)) + 1):
        old = before.stage(number) if number <= len(before.stages) else None
        new = after.stage(number) if number <= len(after.stages) else None
        begun = number <= started
        if old is None or new is None:
            found.append(
                Change(
                    number,
                    "Stage",
                    old.title if old else "Not in this version",
                    new.title if new else "Not in the newer version",
                    begun,
                )
            )
            continue
        for what, was, now in (
            ("Title", old.title, new.title),
            ("Owner", old.owner, new.owner),
            ("Timescale", _timescales(old), _timescales(new)),
        ):
            if was != now:
                found.append(Change(number, what, was, now, begun))
    return found


def _problems(escalation: Escalation, newer: Policy, words: str) -> list[str]:
    """Why the escalation cannot follow ``newer``: its pathway must be there, of the
    same kind, with at least as many stages as the escalation has reached."""
    current = pathway_of(escalation)
    name = f"{words[0].upper()}{words[1:]} of the policy"
    pathway = next((p for p in newer.pathways if p.id == current.id), None)
    if pathway is None:
        return [f"{name} has no '{current.title}' pathway, so this escalation cannot follow it."]
    if pathway.kind is not current.kind:
        return [
            f"In {words} of the policy, '{pathway.title}' is a different kind of pathway, "
            "so this escalation cannot follow it."
        ]
    reached = current_stage_event(escalation).number
    if len(pathway.stages) < reached:
        return [
            f"{name} has {count(len(pathway.stages), 'stage')} and this escalation has "
            f"reached stage {reached}, so it cannot follow that version."
        ]
    return []


def _offer(escalation: Escalation, library: PolicyLibrary) -> Offer | None:
    newer = library.newer_than(escalation.policy_id, escalation.policy_version)
    if newer is None:
        return None
    words = version_words(newer)
    problems = _problems(escalation, newer, words)
    started = len({e.number for e in escalation.stage_events if e.kind == "started"})
    found = (
        []
        if problems
        else changes(pathway_of(escalation), newer.pathway(escalation.pathway_id), started)
    )
    return Offer(
        ref=escalation.ref,
        policy=newer.partnership,
        following=following_words(library, escalation.policy_id, escalation.policy_version),
        newer=words,
        newer_key=version_key(newer),
        changes=found,
        problems=problems,
    )


def adoption_offer(store: Store, library: PolicyLibrary, ref: str) -> Offer | None:
    """What adopting the newest loaded version would change; None when there is none."""
    with store.session() as session:
        return _offer(get_escalation(session, ref), library)


def adopt_version(
    store: Store,
    library: PolicyLibrary,
    ref: str,
    version: str,
    *,
    actor: str,
    at: datetime | None = None,
) -> None:
    """Make the escalation follow ``version`` (the key of the newer version the DSL was
    shown) from now on."""
    when = at or clock.now()
    with store.session() as session:
        escalation = get_escalation(session, ref)
        offer = _offer(escalation, library)
        words = offer.newer if offer is not None else ""
        require(EscalationAction.ADOPT_POLICY_VERSION, StoredSituation(escalation, words))
        if offer is None or offer.newer_key != version:
            raise InputError(
                f"The newest version of {ref}'s policy is not the one you were shown: look "
                "at what it changes again before adopting it."
            )
        if offer.problems:
            raise InputError(offer.problems[0])
        newer = library.get(escalation.policy_id, version)
        pathway = newer.pathway(escalation.pathway_id)
        content = PolicyVersionAdopted(
            policy=newer.partnership,
            adopted=version,
            adopted_words=offer.newer,
            was=escalation.policy_version,
            was_words=offer.following,
            changes=[change.sentence() for change in offer.changes],
        )
        escalation.snapshot = snapshot_for(
            session, newer.id, version, pathway.id, pathway.model_dump_json(), actor=actor
        )
        escalation.policy_version = version
        add_record(session, escalation, RecordKind.POLICY_VERSION, content, actor, when)
        # The form pin covers the version and the pathway's digest: adopting is the one
        # lawful change to them, and the re-pin says so.
        audit.repin(
            session,
            actor=actor,
            target=audit.form_target(ref),
            reason=audit.RepinReason.POLICY_VERSION_ADOPTED,
            first_action="pin escalation form",
            at=when,
        )
