"""Statistics against hand counts, the partnership export, retention review and
destruction, record transfer between two files, subject access redaction."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import clock
from app.domain.records import ConferenceDissent, Discussion, Outcome, Party, StopAndReview
from app.domain.statistics_figures import to_csv
from app.errors import InputError
from app.policy import PolicyLibrary, default_library
from app.services import escalations as esc
from app.services import records as rec
from app.services.people import add_child, add_contact, list_children
from app.services.retention import destroy, retain, review_list
from app.services.statistics import statistics
from app.services.subject_access import subject_access_pdf
from app.services.transfer import export_child, import_transfer
from app.storage.datafile import check_data_file, create_data_file, open_data_file
from tests.plain_store import PlainStore

ACTOR = "Ms A Lead (DSL)"
NOW = datetime(2027, 2, 1, 12, 0)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def _open(
    store: PlainStore,
    library: PolicyLibrary,
    child: int,
    policy: str,
    pathway: str,
    raised: datetime,
    **kw: object,
) -> str:
    form = esc.NewEscalation(
        child_id=child,
        policy_id=policy,
        pathway_id=pathway,
        raised_at=raised,
        raised_by="Mr B Teacher",
        other_agency=str(kw.get("agency", "Children's Social Care")),
        other_practitioner=str(kw.get("practitioner", "Ms Grace Adeyemi")),
        category=str(kw.get("category", "threshold")),
        disputed="Decision X is unsafe.",
        change_wanted="An assessment.",
        impact="Risk continues.",
    )
    return esc.open_escalation(store, library, form, actor=ACTOR).ref


@pytest.fixture
def small(tmp_path: Path, library: PolicyLibrary) -> tuple[PlainStore, dict[str, str], int]:
    """Four escalations whose figures are counted by hand in the tests below."""
    store = PlainStore(tmp_path / "small.db")
    zoe = add_child(store, name="Zoë Nguyễn", date_of_birth=date(2014, 5, 12), actor=ACTOR).id
    kai = add_child(store, name="Kai Brown", date_of_birth=date(2001, 1, 10), actor=ACTOR).id
    refs = {
        # Gloucestershire, raised Mon 2 Nov 2026, stage 1 completed Wed 4 Nov (met: due 9 Nov),
        # stage 2 due 11 Nov completed Fri 13 Nov (missed), resolved Fri 13 Nov: 9 working days.
        "glos": _open(
            store,
            library,
            zoe,
            "gloucestershire",
            "resolution",
            datetime(2026, 11, 2, 9),
            category="threshold",
        ),
        # York conference dissent raised Tue 1 Dec 2026; stage 1 due Thu 3 Dec, still open.
        "york": _open(
            store,
            library,
            zoe,
            "york",
            "conference-dissent",
            datetime(2026, 12, 1, 9),
            category="conference-decision",
            agency="Health",
        ),
        # Suffolk stop and review, raised Mon 11 Jan 2027, meeting held; withdrawn.
        "sar": _open(
            store,
            library,
            kai,
            "suffolk",
            "stop-and-review",
            datetime(2027, 1, 11, 9),
            category="plan-progress",
        ),
        # Suffolk resolution raised Tue 12 Jan 2027, resolved Fri 15 Jan: 3 working days.
        "suf": _open(
            store,
            library,
            kai,
            "suffolk",
            "resolution",
            datetime(2027, 1, 12, 9),
            category="threshold",
        ),
    }
    esc.move_to_next_stage(
        store, refs["glos"], result="no", actor=ACTOR, at=datetime(2026, 11, 4, 9)
    )
    party = [Party(name="Ms Grace Adeyemi", role="Team Manager", agency="CSC")]
    outcome = Outcome(agreed="Assessment agreed.", parties=party, agreed_on=date(2026, 11, 13))
    esc.agree_outcome(store, refs["glos"], outcome, actor=ACTOR, at=datetime(2026, 11, 13, 16))
    rec.record_conference_dissent(
        store,
        refs["york"],
        ConferenceDissent(
            conference_date=date(2026, 12, 1),
            chair="Chair",
            decision_disputed="No plan",
            dissenting="Ms A Lead",
            reasons="Bruising",
            further_risk=True,
            raised_with="IRO Manager",
            determination="Uphold the decision reached by the conference chair",
        ),
        actor=ACTOR,
    )
    rec.request_stop_and_review(
        store,
        refs["sar"],
        StopAndReview(
            variant="cp-plan",
            requested_of="Chair",
            requested_on=date(2027, 1, 11),
            manager_consulted="Head",
            not_progressing="Stalled",
            interventions="Programme",
            why_not_effective="Not attended",
            attendees=["CYP Service Manager"],
            meeting_date=date(2027, 1, 20),
        ),
        actor=ACTOR,
    )
    esc.withdraw(
        store, refs["sar"], "Meeting resolved it", actor=ACTOR, at=datetime(2027, 1, 21, 9)
    )
    rec.record_discussion(
        store,
        refs["suf"],
        Discussion(
            held_at=datetime(2027, 1, 13, 10),
            method="phone",
            participants=["Ms Grace Adeyemi", "Mr B Teacher"],
            summary="Talked it through with Ms Grace Adeyemi.",
        ),
        actor=ACTOR,
    )
    esc.agree_outcome(
        store,
        refs["suf"],
        Outcome(agreed="Referral accepted.", parties=party, agreed_on=date(2027, 1, 15)),
        actor=ACTOR,
        at=datetime(2027, 1, 15, 15),
    )
    return store, refs, kai


def test_statistics_match_hand_counts(small: tuple[PlainStore, dict[str, str], int]) -> None:
    store, _, _ = small
    stats = statistics(store)
    assert stats.total == 4
    assert stats.by_status == {"open": 1, "resolved": 2, "withdrawn": 1}
    assert stats.opened_per_month == {"2026-11": 1, "2026-12": 1, "2027-01": 2}
    assert stats.opened_per_term == {"Autumn term 2026": 2, "Spring term 2027": 2}
    assert stats.highest_stage == {1: 3, 2: 1}
    assert stats.by_pathway == {"resolution": 2, "conference-dissent": 1, "stop-and-review": 1}
    assert stats.by_agency == {"Children's Social Care": 3, "Health": 1}
    assert stats.by_category["Threshold / level of need"] == 2
    assert stats.resolution_median_wd == 6.0  # (9 + 3) / 2
    assert stats.resolution_longest_wd == 9
    stage1, stage2 = stats.deadlines_by_stage[1], stats.deadlines_by_stage[2]
    # Suffolk stage 1 (1 working day, due Wed 13 Jan) completed Fri 15 Jan: missed.
    assert (stage1.met, stage1.missed, stage1.open_overdue, stage1.no_timescale) == (1, 1, 1, 1)
    assert (stage2.met, stage2.missed) == (0, 1)
    assert stats.conference_dissents == 1
    assert stats.determinations == {"Uphold the decision reached by the conference chair": 1}
    assert (stats.stop_and_reviews_requested, stats.stop_and_reviews_held) == (1, 1)


def test_monitoring_export_has_no_identifiers(
    small: tuple[PlainStore, dict[str, str], int],
) -> None:
    store, refs, _ = small
    text = to_csv(statistics(store), setting="St Aidan's")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "item", "value"]
    for banned in (
        "Zoë",
        "Nguyễn",
        "Kai Brown",
        "2014",
        "12/05",
        "2001",
        "ESC-",
        "Grace",
        *refs.values(),
    ):
        assert banned not in text, banned
    from app.documents.statistics_doc import statistics_pdf

    pdf = statistics_pdf(
        statistics(store), setting="St Aidan's", generated_at=NOW, for_partnership=True
    )
    pdf_text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Escalation monitoring return" in pdf_text
    for banned in ("Zoë", "Kai Brown", "ESC-"):
        assert banned not in pdf_text


def test_retention_review_list_and_retain(small: tuple[PlainStore, dict[str, str], int]) -> None:
    store, _, kai = small
    due = review_list(store, due_only=True, today=date(2026, 2, 1))
    assert [i.name for i in due] == ["Kai Brown"]  # born 10/01/2001: review 10/01/2026
    assert due[0].review_date == date(2026, 1, 10)
    with pytest.raises(InputError, match="must be after today"):
        retain(store, kai, reason="Inquiry", next_review=date(2026, 1, 1), actor=ACTOR)
    retain(
        store, kai, reason="Relevant to a public inquiry", next_review=date(2032, 1, 1), actor=ACTOR
    )
    assert review_list(store, due_only=True, today=date(2027, 2, 1)) == []
    item = next(i for i in review_list(store) if i.child_id == kai)
    assert item.review_date == date(2032, 1, 1) and item.last_decision.startswith("Retain")


def test_destruction_leaves_no_byte_of_the_child(
    small: tuple[PlainStore, dict[str, str], int],
) -> None:
    store, refs, kai = small
    raw = store.path.read_bytes()
    assert b"Kai Brown" in raw  # unencrypted test store: the scan can see everything
    assert destroy(store, kai, reason="Review date passed; no reason to keep", actor=ACTOR) == 2
    data = store.path.read_bytes()
    for needle in (
        "Kai Brown",
        "Stalled",
        "Meeting resolved it",
        "Talked it through",
        "2001-01-10",
    ):
        assert needle.encode() not in data, needle
    assert b"Nguy" in data  # other children's records stay
    assert [c.name for c in list_children(store)] == ["Zoë Nguyễn"]
    assert {r.ref for r in esc.list_escalations(store)} == {refs["glos"], refs["york"]}
    from app.storage import audit

    with store.session() as session:
        assert audit.verify(session) == []  # lawful removal, recorded
    # A reference is never reused after destruction.
    new = add_child(store, name="New Child", date_of_birth=date(2015, 1, 1), actor=ACTOR).id
    assert (
        _open(store, default_library(), new, "york", "resolution", datetime(2027, 1, 20, 9))
        == "ESC-2027-0003"
    )


def test_destruction_in_the_encrypted_file(tmp_path: Path) -> None:
    fixture = sorted((Path(__file__).parent.parent / "fixtures").glob("schema-*.etdb"))[-1]
    path = tmp_path / "data.etdb"
    shutil.copyfile(fixture, path)
    from tests.fixtures.make_fixture import PASSPHRASE

    db = open_data_file(path, PASSPHRASE)
    try:
        before = path.stat().st_size
        child = next(c for c in list_children(db) if c.name == "Kacper Zieliński")
        destroy(db, child.id, reason="Review", actor=ACTOR)
        assert all(c.name != "Kacper Zieliński" for c in list_children(db))
        assert check_data_file(db) == []
        assert path.stat().st_size <= before  # vacuumed
        with db.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() == 0
    finally:
        db.close()


def test_transfer_round_trips_between_files_with_different_passphrases(
    small: tuple[PlainStore, dict[str, str], int], tmp_path: Path
) -> None:
    store, refs, kai = small
    transfer = tmp_path / "kai-transfer.etdb"
    result = export_child(store, kai, transfer, "transfer – passphrase ✓", actor=ACTOR)
    assert result.refs == [refs["sar"], refs["suf"]] and result.sha256
    assert b"Kai Brown" not in transfer.read_bytes()
    receiving = create_data_file(tmp_path / "receiving.etdb", "a different passphrase")
    try:
        add_child(receiving, name="Someone Else", date_of_birth=date(2016, 1, 1), actor="DSL B")
        assert result.seal is not None
        with pytest.raises(Exception, match="passphrase"):
            import_transfer(receiving, transfer, "wrong", seal=result.seal, actor="DSL B")
        got = import_transfer(
            receiving, transfer, "transfer – passphrase ✓", seal=result.seal.typed, actor="DSL B"
        )
        assert got.child_name == "Kai Brown" and len(got.refs) == 2
        rows = {r.ref: r for r in esc.list_escalations(receiving)}
        detail = esc.escalation_detail(receiving, got.refs[1])
        assert detail.row.status == "resolved"
        original = esc.escalation_detail(store, refs["suf"])
        assert [v.content for r in detail.records for v in r.versions] == [
            v.content for r in original.records for v in r.versions
        ]
        assert [s.due for s in detail.stages] == [s.due for s in original.stages]
        assert len(rows) == 2
        assert check_data_file(receiving) == []
    finally:
        receiving.close()


def test_subject_access_redacts_third_parties(
    small: tuple[PlainStore, dict[str, str], int],
) -> None:
    store, _, kai = small
    add_contact(store, name="Mr B Teacher", agency="Our school", internal=True, actor=ACTOR)
    plain = subject_access_pdf(
        store, kai, setting="St Aidan's", dsl="Ms A Lead", actor=ACTOR, redact_third_parties=False
    )
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(plain.pdf)).pages)
    assert "Grace Adeyemi" in text
    redacted = subject_access_pdf(
        store, kai, setting="St Aidan's", dsl="Ms A Lead", actor=ACTOR, redact_third_parties=True
    )
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(redacted.pdf)).pages
    )
    assert "Grace" not in text and "Adeyemi" not in text
    assert "[third party]" in text
    assert "Mr B Teacher" in text  # our own staff stay
    assert "Kai Brown" in text  # the subject's own name stays
