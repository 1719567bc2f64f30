"""The tables. Court-safe by construction: record versions, approvals, stage events and
audit entries are append-only (database triggers refuse UPDATE and DELETE on them; the
list is app/storage/triggers.py), so an amendment can only ever add a new version beside
the old one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class FileInfo(Base):
    """Key/value facts about the file itself (which app version wrote it, audit head)."""

    __tablename__ = "file_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Child(Base):
    __tablename__ = "child"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date | None]  # NULL: not known, as the DSL said (migration 0007)
    identifier: Mapped[str] = mapped_column(Text, default="")  # e.g. UPN or setting's id
    cp_plan: Mapped[bool] = mapped_column(default=False)
    looked_after: Mapped[bool] = mapped_column(default=False)
    child_in_need: Mapped[bool] = mapped_column(default=False)
    # A longer hold than DOB + 25 years (e.g. records relevant to an inquiry).
    retention_hold_until: Mapped[date | None] = mapped_column(default=None)
    created_at: Mapped[datetime]

    escalations: Mapped[list[Escalation]] = relationship(back_populates="child")


class Contact(Base):
    """Practitioners and named officers (Buckinghamshire appendix)."""

    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    agency: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    # e.g. "Named Senior for inter-agency/organisation conflict resolution"; "" otherwise
    named_officer_role: Mapped[str] = mapped_column(Text, default="")
    internal: Mapped[bool] = mapped_column(default=False)  # one of our own staff


class PathwaySnapshot(Base):
    """A pathway exactly as a policy version defined it (JSON), shared by every
    escalation opened under it: a later edit of the policy file never rewrites an open
    escalation's stages or deadlines, and the list need not read kilobytes per row."""

    __tablename__ = "pathway_snapshot"
    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of content
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(Text)
    pathway_id: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(Text)


class Escalation(Base):
    __tablename__ = "escalation"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(Text)
    # The pathway as it stood when the escalation opened: see PathwaySnapshot.
    pathway_id: Mapped[str] = mapped_column(String(32))
    # Nullable in SQL only because SQLite adds a referencing column to an existing table
    # only as nullable (migration 0003); every escalation has one.
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("pathway_snapshot.id"), nullable=True)
    nation: Mapped[str] = mapped_column(String(32))
    raised_at: Mapped[datetime]
    raised_by: Mapped[str] = mapped_column(Text)  # our practitioner
    other_agency: Mapped[str] = mapped_column(Text)
    other_practitioner: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(64))
    disputed: Mapped[str] = mapped_column(Text)
    change_wanted: Mapped[str] = mapped_column(Text)
    impact: Mapped[str] = mapped_column(Text)
    immediate_risk: Mapped[bool] = mapped_column(default=False)
    protect_by: Mapped[date | None] = mapped_column(default=None)
    # The disputed decision (a conference, a referral outcome): timescales anchored to
    # it run from this day; None: from the date raised (migration 0009).
    decided_on: Mapped[date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(16), default="open")
    # When imported from another setting's transfer file: the reference it had there.
    transferred_from: Mapped[str | None] = mapped_column(Text, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(Text)
    # The latest start's deadline, kept by triggers on stage_event (migration 0006) so
    # unlocking need not look it up per escalation: NULL for no start, '' for no fixed
    # timescale. The app never writes it, and the ORM's copy may be stale: read the
    # stage events.
    current_due: Mapped[str | None] = mapped_column(String(16), default=None)

    child: Mapped[Child] = relationship(back_populates="escalations")
    snapshot: Mapped[PathwaySnapshot] = relationship()
    stage_events: Mapped[list[StageEvent]] = relationship(
        back_populates="escalation", order_by="StageEvent.id"
    )
    records: Mapped[list[Record]] = relationship(back_populates="escalation", order_by="Record.id")

    # What unlocking counts of every escalation, without its forms' text. The
    # list's order is the index ix_escalation_order, on expressions, made by migration
    # 0006 alone (as the triggers are): SQLAlchemy cannot compare it with the file's.
    __table_args__ = (
        Index("ix_escalation_counts", "status", "nation", "current_due", "closed_at"),
    )


class StageEvent(Base):
    """A stage started, completed or skipped. Append-only: the current stage and its
    deadline are read from the latest events, never edited in place."""

    __tablename__ = "stage_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id"))
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # started | completed | skipped
    at: Mapped[datetime]
    # For "started": the deadline as computed then (ISO date or date-time, or NULL for
    # no fixed timescale) and the rule that produced it, stored so it never shifts.
    due: Mapped[str | None] = mapped_column(String(16), default=None)
    rule: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")  # result, or why a stage was skipped
    recorded_by: Mapped[str] = mapped_column(Text)

    escalation: Mapped[Escalation] = relationship(back_populates="stage_events")
    # An escalation's events; its latest start and that start's deadline without the
    # notes' text (unlocking reads them for every escalation).
    __table_args__ = (Index("ix_stage_event_current", "escalation_id", "kind", "id", "due"),)


class Record(Base):
    """A contemporaneous record (discussion, action, outcome, conference dissent, stop and
    review, monitoring form, withdrawal). Its content lives in versions."""

    __tablename__ = "record"
    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id"))
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]

    escalation: Mapped[Escalation] = relationship(back_populates="records")
    versions: Mapped[list[RecordVersion]] = relationship(
        back_populates="record", order_by="RecordVersion.version"
    )
    __table_args__ = (Index("ix_record_escalation", "escalation_id"),)


class RecordVersion(Base):
    """One version of a record. Never updated: an amendment adds version N+1 with who,
    when and why, and every earlier version stays."""

    __tablename__ = "record_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id"))
    version: Mapped[int]
    content: Mapped[str] = mapped_column(Text)  # canonical JSON of the record's fields
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was amended

    record: Mapped[Record] = relationship(back_populates="versions")
    approvals: Mapped[list[Approval]] = relationship(back_populates="version")
    __table_args__ = (UniqueConstraint("record_id", "version"),)


class Approval(Base):
    """'Approve and date the record' (Suffolk): an approval of one specific version."""

    __tablename__ = "approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("record_version.id"))
    approved_at: Mapped[datetime]
    approved_by: Mapped[str] = mapped_column(Text)

    version: Mapped[RecordVersion] = relationship(back_populates="approvals")


class AuditEntry(Base):
    """Hash-chained audit trail: ``hash`` = SHA-256 of the previous entry's hash plus this
    entry's canonical content, so altering, inserting or removing a row breaks the chain."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text)  # e.g. "record_version:12"
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the target's content
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class RetentionDecision(Base):
    """A retention review of one child's records: retain (with a reason and, usually, a
    new review date) or destroy. Kept after destruction, with no child data in it."""

    __tablename__ = "retention_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Not a foreign key: the decision outlives the child's row when records are destroyed.
    child_id: Mapped[int]
    decided_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))  # retain | destroy
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(Text)  # e.g. "IRMS toolkit: DOB + 25 years"
    next_review: Mapped[date | None] = mapped_column(default=None)
    # For destruction: how many escalations and rows went, and their audit targets, so the
    # audit check knows those rows were removed lawfully rather than tampered with.
    destroyed_targets: Mapped[str] = mapped_column(Text, default="")


class CalendarExport(Base):
    """What the last calendar file said of each deadline event (migration 0008), so the
    next export keeps its UID and raises its SEQUENCE when its time or status changes
    (``app.domain.calendar_events``). Bookkeeping derived from the stage events, not
    record content: not pinned; changing a row changes only the next file's sequence
    numbers. Holds references and stage numbers, nothing about a child."""

    __tablename__ = "calendar_export"
    uid: Mapped[str] = mapped_column(String(80), primary_key=True)
    summary: Mapped[str] = mapped_column(Text)  # "ESC-2026-0010: stage 2 of 5 due"
    due: Mapped[str] = mapped_column(String(16))  # ISO date, or date and time
    sequence: Mapped[int]
    cancelled: Mapped[bool] = mapped_column(default=False)
