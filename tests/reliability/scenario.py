"""The full scenario for the no-plaintext and no-network tests, run in a sandboxed child
process (``sandbox.run_in_sandbox(..., "tests.reliability.scenario")``).

What a DSL's day touches: first run (set up the encrypted file and the setting), the
demo records, forms (children with right-to-left names, escalations, discussions,
amendments, approvals, actions, dissent, stop and review, monitoring form, stage moves,
outcome, withdrawal), retention (retain, destroy), every PDF in memory (every document
kind for every escalation, chronologies, subject access with and without redaction,
statistics), statistics CSV in memory, a transfer file out and back in, a backup, a
change of passphrase, lock and unlock (with a wrong passphrase first), ``check``; with
the desktop side's local settings, the bug hook (fed a bug whose message and locals hold
child data) and the crash log all writing where the app writes them.

It prints one JSON line of counts. The passphrases come from the environment.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

PASSPHRASE_ENV = "SCENARIO_PASSPHRASE"
NEW_PASSPHRASE_ENV = "SCENARIO_NEW_PASSPHRASE"
TRANSFER_PASSPHRASE_ENV = "SCENARIO_TRANSFER_PASSPHRASE"
ACTOR = "Ms Hannah Okafor (DSL)"
APPROVER = "Mr Ben Hughes (Deputy DSL)"  # a record is approved by another member

# Typed into the forms by this scenario (beyond the demo's own records).
FORM_CHILDREN = [
    ("נועה כהן", date(2013, 3, 9)),
    ("يوسف العلي", date(2012, 10, 21)),
    ("Mia 🌈 Thompson", date(2016, 6, 30)),
]
FORM_NOTES = [
    "Hebrew-speaking mother says the health visitor has not visited since the referral.",
    "شوهد الطفل وعليه كدمات على ذراعه الأيسر؛ تمت إحالته إلى الخدمات الاجتماعية.",
    "Discussed with the IRO; she agrees the plan is drifting 🙁 and will convene a review.",
    "Amended: the social worker visited on Tuesday, not Monday; the rest stands.",
    "Bug text: the record for the child could not be drawn.",
]


def main() -> None:
    from app import crashlog
    from app.paths import log_dir, user_data_root

    # Refuse to run anywhere but the sandbox: it would otherwise touch real user data.
    sandbox = Path(os.environ["XDG_DATA_HOME"]).resolve().parent
    assert user_data_root().resolve().is_relative_to(sandbox), user_data_root()

    crash_log = crashlog.start()
    assert crash_log.is_active and crash_log.path.parent == log_dir()

    from PySide6.QtWidgets import QApplication

    from ui.errors import ExceptionHook
    from ui.local_settings import LocalSettings

    qt = QApplication([])
    settings = LocalSettings()
    hook = ExceptionHook(log_dir() / "errors.log", lambda: None)
    hook.install()
    try:
        _run(hook, settings)
    finally:
        hook.uninstall()  # a failure in the scenario itself prints its traceback
    qt.processEvents()
    crash_log.stop()


def _run(hook: object, settings: object) -> None:
    from app.paths import default_data_file
    from ui.local_settings import LocalSettings

    assert isinstance(settings, LocalSettings)
    sandbox = Path(os.environ["XDG_DATA_HOME"]).resolve().parent

    from app.demo import CHILDREN, create_demo
    from app.policy import default_library
    from app.services.security import set_up_data_file
    from app.services.settings import SettingDetails

    passphrase = os.environ[PASSPHRASE_ENV]
    library = default_library()
    data_file = default_data_file()
    db = set_up_data_file(
        data_file,
        passphrase,
        passphrase,
        SettingDetails(
            setting_name="St Aidan's Primary School (demonstration)",
            dsl_name="Ms Hannah Okafor",
            deputies=("Mr Ben Hughes",),
            default_policy="gloucestershire",
        ),
        library,
    )
    settings.data_file = data_file
    settings.idle_minutes = 7
    refs = create_demo(db, library)
    counts: dict[str, int] = {"demo escalations": len(refs)}

    child_ids = _forms(db, library, counts)
    _retention(db, counts)
    _documents(db, library, child_ids, counts)
    _transfer(db, sandbox, child_ids, counts)

    from app.services.security import back_up, change_passphrase

    (sandbox / "backups").mkdir()
    back_up(db, sandbox / "backups" / "escalations-backup", actor=ACTOR)
    _bug(hook, CHILDREN[0][0], CHILDREN[0][1])

    new_passphrase = os.environ[NEW_PASSPHRASE_ENV]
    change_passphrase(db, passphrase, new_passphrase, new_passphrase, actor=ACTOR)

    from app.storage.datafile import check_data_file, open_data_file
    from app.storage.errors import WrongPassphraseError

    db.close()  # lock
    try:
        open_data_file(data_file, passphrase)  # the old one no longer opens it
    except WrongPassphraseError:
        counts["wrong passphrase refused"] = 1
    db = open_data_file(data_file, new_passphrase)  # unlock
    problems = check_data_file(db)
    db.close()
    assert problems == [], problems
    print(json.dumps(counts))


def _forms(db: object, library: object, counts: dict[str, int]) -> list[int]:
    from app.domain.records import (
        Action,
        ConferenceDissent,
        Discussion,
        MonitoringForm,
        Outcome,
        Party,
    )
    from app.policy import PolicyLibrary
    from app.services import escalations as esc
    from app.services import records as rec
    from app.services.people import add_child, add_contact, list_children
    from app.storage.database import Database

    assert isinstance(db, Database) and isinstance(library, PolicyLibrary)
    now = datetime.now().replace(second=0, microsecond=0)
    raised = now - timedelta(days=20)
    new_ids = [
        add_child(db, name=name, date_of_birth=dob, cp_plan=True, actor=ACTOR).id
        for name, dob in FORM_CHILDREN
    ]
    add_contact(db, name="Ms Leah Goldberg", agency="Health visiting", actor=ACTOR)

    def form(child_id: int, policy: str, pathway: str, note: str) -> esc.NewEscalation:
        return esc.NewEscalation(
            child_id=child_id,
            policy_id=policy,
            pathway_id=pathway,
            raised_at=raised,
            raised_by="Mr Ben Hughes (Deputy DSL)",
            other_agency="Health visiting",
            other_practitioner="Ms Leah Goldberg",
            category="need-for-action",
            disputed=note,
            change_wanted=FORM_NOTES[1],
            impact=FORM_NOTES[2],
            protect_by=now.date() + timedelta(days=10),
        )

    first = esc.open_escalation(
        db, library, form(new_ids[0], "york", "resolution", FORM_NOTES[0]), actor=ACTOR
    ).ref
    talk = Discussion(
        held_at=raised + timedelta(days=1),
        method="face-to-face",
        participants=["Ms Leah Goldberg", "نور حداد"],
        summary=FORM_NOTES[2],
        agreed_actions=FORM_NOTES[0],
    )
    record_id = rec.record_discussion(db, first, talk, actor=ACTOR)
    rec.amend_record(
        db,
        record_id,
        talk.model_copy(update={"summary": FORM_NOTES[3]}),
        reason="Corrected the day",
        actor=ACTOR,
    )
    rec.approve_record(db, record_id, actor=APPROVER)
    action = rec.add_action(
        db, first, Action(description=FORM_NOTES[1], owner="נועה לוי", due=now.date()), actor=ACTOR
    )
    rec.complete_action(db, action, completed_on=now, actor=ACTOR)
    rec.record_monitoring_form(
        db, first, MonitoringForm(actions_to_date=FORM_NOTES[0]), actor=ACTOR
    )
    esc.move_to_next_stage(db, first, result=FORM_NOTES[3], actor=ACTOR)
    esc.agree_outcome(
        db,
        first,
        Outcome(
            agreed=FORM_NOTES[2],
            parties=[Party(name="Ms Leah Goldberg", agency="Health visiting")],
            agreed_on=now.date(),
            learning=FORM_NOTES[0],
        ),
        actor=ACTOR,
    )
    second = esc.open_escalation(
        db,
        library,
        form(new_ids[1], "buckinghamshire", "conference-dissent", FORM_NOTES[1]),
        actor=ACTOR,
    ).ref
    outcomes = [
        o
        for s in library.get("buckinghamshire").pathway("conference-dissent").stages
        for o in s.outcomes
    ]
    rec.record_conference_dissent(
        db,
        second,
        ConferenceDissent(
            conference_date=raised.date(),
            chair="Mr Idris Farouk",
            decision_disputed=FORM_NOTES[0],
            dissenting="Ms Hannah Okafor",
            reasons=FORM_NOTES[2],
            further_risk=True,
            raised_with="IRO Manager",
            determination=outcomes[0] if outcomes else None,
        ),
        actor=ACTOR,
    )
    third = esc.open_escalation(
        db, library, form(new_ids[2], "suffolk", "resolution", FORM_NOTES[2]), actor=ACTOR
    ).ref
    esc.withdraw(db, third, FORM_NOTES[3], actor=ACTOR)
    counts["form escalations"] = 3
    return [c.id for c in list_children(db)]


def _retention(db: object, counts: dict[str, int]) -> None:
    from app.services.people import list_children
    from app.services.retention import destroy, retain
    from app.storage.database import Database

    assert isinstance(db, Database)
    children = {c.name: c.id for c in list_children(db)}
    retain(
        db,
        children["Freya Llewellyn"],
        reason="Relevant to a review",
        next_review=date.today() + timedelta(days=400),
        actor=ACTOR,
    )
    counts["destroyed escalations"] = destroy(
        db, children["Amira Haddad"], reason="Scenario: past review date", actor=ACTOR
    )


def _documents(db: object, library: object, child_ids: list[int], counts: dict[str, int]) -> None:
    from app import clock
    from app.documents.statistics_doc import statistics_pdf
    from app.domain.statistics_figures import to_csv
    from app.errors import InputError
    from app.policy import PolicyLibrary
    from app.services.documents import DocumentKind, child_chronology, generate_document
    from app.services.escalations import list_escalations
    from app.services.people import list_children
    from app.services.statistics import statistics
    from app.services.subject_access import subject_access_pdf
    from app.storage.database import Database

    assert isinstance(db, Database) and isinstance(library, PolicyLibrary)
    pdfs = 0
    previewed: set[DocumentKind] = set()
    for row in list_escalations(db):
        for kind in DocumentKind:
            try:
                document = generate_document(
                    db,
                    library,
                    kind,
                    row.ref,
                    setting="St Aidan's",
                    dsl="Ms Hannah Okafor",
                    actor=ACTOR,
                )
            except InputError:
                continue  # this kind does not apply to this escalation
            assert document.pdf.startswith(b"%PDF-")
            pdfs += 1
            if kind not in previewed:  # the in-app preview, once per kind of document
                previewed.add(kind)
                _preview(document.title, document.pdf, document.suggested_name)
    for child in list_children(db):
        try:
            child_chronology(
                db, child.id, setting="St Aidan's", dsl="Ms Hannah Okafor", actor=ACTOR
            )
        except InputError:
            continue
        pdfs += 1
        for redact in (True, False):
            subject_access_pdf(
                db,
                child.id,
                setting="St Aidan's",
                dsl="Ms Hannah Okafor",
                actor=ACTOR,
                redact_third_parties=redact,
            )
            pdfs += 1
    figures = statistics(db)
    to_csv(figures, setting="St Aidan's")
    statistics_pdf(figures, setting="St Aidan's", generated_at=clock.now())
    counts["pdfs generated in memory"] = pdfs + 1
    counts["pdfs previewed"] = len(previewed)


def _preview(title: str, pdf: bytes, suggested_name: str) -> None:
    """The preview window, as the DSL sees it: pages rendered from memory by PDFium."""
    from PySide6.QtWidgets import QApplication

    from ui.dialogs.pdf_preview import PdfPreviewDialog

    dialog = PdfPreviewDialog(title, pdf, suggested_name)
    dialog.show()
    QApplication.processEvents()
    assert dialog.page_labels, "the preview shows no page"
    dialog.close()
    dialog.deleteLater()
    QApplication.processEvents()


def _transfer(db: object, sandbox: Path, child_ids: list[int], counts: dict[str, int]) -> None:
    from app.services.people import list_children
    from app.services.settings import get_settings
    from app.services.transfer import export_child, import_transfer
    from app.storage.database import Database
    from app.storage.datafile import create_data_file

    assert isinstance(db, Database)
    folder = sandbox / "transfers"
    folder.mkdir(exist_ok=True)
    child = next(c for c in list_children(db) if c.name == "Oliver Bennett")
    out = folder / "oliver.etdb"
    passphrase = os.environ[TRANSFER_PASSPHRASE_ENV]
    setting = get_settings(db).setting_name  # on the covering page, as the app writes it
    sent = export_child(db, child.id, out, passphrase, actor=ACTOR, setting=setting)
    assert sent.seal is not None
    # Received by another setting's file (a file never takes its own export back).
    with create_data_file(folder / "receiving.etdb", passphrase) as receiving:
        import_transfer(receiving, out, passphrase, seal=sent.seal.typed, actor=ACTOR)
    counts["transfer files"] = 1


def _bug(hook: object, name: str, dob: date) -> None:
    """An unexpected exception whose message, arguments and locals hold child data."""
    record = {"child": name, "dob": dob.isoformat(), "note": FORM_NOTES[4]}
    try:
        _draw(record)
    except KeyError:
        hook(*sys.exc_info())  # type: ignore[operator]


def _draw(record: dict[str, str]) -> None:
    raise KeyError(f"{record['child']} {record['dob']} {record['note']}")


if __name__ == "__main__":
    main()
