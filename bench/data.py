"""Benchmark data: a data file with N fictional escalations, written in one transaction.

Going through the services would take a transaction (and an fsync) per escalation; the
benchmark measures reading and showing, so the rows are inserted directly, shaped
exactly as the services shape them (snapshot, stored stage deadlines), and then pinned
in the audit trail as the services pin them, so the file passes ``check``."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

from app.deadlines import iso, stage_deadline
from app.domain.records import CATEGORIES
from app.policy import Nation, default_library
from app.services import team
from app.services.escalations import snapshot_for
from app.storage.baseline import pin_unpinned
from app.storage.models import Child, Escalation, StageEvent

PASSPHRASE = "benchmark passphrase"
FIRST = [
    "Zoë",
    "Łucja",
    "Siobhán",
    "Αλέξανδρος",
    "Oliver",
    "Amira",
    "Kacper",
    "Freya",
    "Noah",
    "Aisha",
]
LAST = [
    "Nguyễn",
    "Wiśniewska",
    "Ó Briain",
    "Παπαδόπουλος",
    "Bennett",
    "Haddad",
    "Zieliński",
    "Jones",
]
AGENCIES = [
    "Children's Social Care",
    "Health visiting",
    "Police CAIU",
    "Early Help",
    "CAMHS",
    "Housing",
]


def make_file(path: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    library = default_library()
    pathways = [(p, pw) for p in library.all() for pw in p.pathways]
    # A team's file, as every file the app makes now is (issue 23): the window unlocks it
    # by its member's slot, and the start-up baseline opens it the same way.
    db = team.create(path, "Bench DSL", PASSPHRASE).db
    today = datetime.now().replace(second=0, microsecond=0)
    try:
        with db.session() as session:
            children = [
                Child(
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                    date_of_birth=date(2008, 1, 1) + timedelta(days=rng.randrange(5000)),
                    identifier=f"UPN-{n:06d}",
                    created_at=today,
                )
                for n in range(max(count // 3, 1))
            ]
            session.add_all(children)
            snapshots = {
                (p.id, pw.id): snapshot_for(
                    session, p.id, p.document.version, pw.id, pw.model_dump_json(), actor="Bench"
                )
                for p, pw in pathways
            }
            for n in range(count):
                policy, pathway = pathways[n % len(pathways)]
                raised = today - timedelta(days=rng.randrange(1, 200), hours=rng.randrange(8))
                status = rng.choices(["open", "resolved", "withdrawn"], [6, 3, 1])[0]
                escalation = Escalation(
                    ref=f"ESC-{raised.year}-{n + 1:05d}",
                    child=children[n % len(children)],
                    policy_id=policy.id,
                    policy_version=policy.document.version,
                    pathway_id=pathway.id,
                    snapshot=snapshots[(policy.id, pathway.id)],
                    nation=policy.default_nation.value,
                    raised_at=raised,
                    raised_by="Mr B Teacher",
                    other_agency=rng.choice(AGENCIES),
                    other_practitioner="A Practitioner",
                    category=rng.choice(list(CATEGORIES)),
                    disputed="The decision does not keep the child safe.",
                    change_wanted="An assessment.",
                    impact="Risk continues.",
                    status=status,
                    closed_at=raised + timedelta(days=10) if status != "open" else None,
                    created_at=raised,
                    created_by="Bench",
                )
                session.add(escalation)
                stage = pathway.stages[rng.randrange(len(pathway.stages))]
                start = raised + timedelta(days=rng.randrange(0, 5))
                deadline = stage_deadline(
                    stage, start, raised, nation=Nation(policy.default_nation)
                )
                session.add(
                    StageEvent(
                        escalation=escalation,
                        number=stage.number,
                        kind="started",
                        at=start,
                        due=iso(deadline.due),
                        rule="benchmark",
                        recorded_by="Bench",
                    )
                )
            session.flush()
            pin_unpinned(session.connection(), actor="Bench")
    finally:
        db.close()
    path.with_name(path.name + ".lock").unlink(missing_ok=True)
    return path
