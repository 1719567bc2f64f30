"""Render every screen to PNG under docs/screenshots/ (``make screenshots``).

Uses a demo file in a temporary folder (never in the repository) with its own
passphrase, and pins the clock to a Friday at 4 pm: the moment a tired DSL most needs
the dashboard to be clear. The screen is a 1366x768 laptop (Qt's offscreen platform,
given that screen in a configuration file), and every window opens at the size the app
gives it there. ``--small`` renders the key windows again at 125% scaling (1093x614
logical pixels) into docs/screenshots/1093x614/.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app import clock
from app.demo import create_demo
from app.domain.views import EscalationRow
from app.policy import Nation, PolicyLibrary, default_library
from app.services import team
from app.services.escalations import list_escalations
from app.services.settings import SettingDetails, save_settings
from app.storage.recovery_key import new_recovery_key
from app.team.member import Role
from ui.dialogs.complete_action import CompleteActionDialog
from ui.dialogs.stop_and_review import StopAndReviewDialog
from ui.escalation.view import EscalationView
from ui.local_settings import LocalSettings
from ui.main import application
from ui.main_window import MainWindow
from ui.widgets.form_dialog import FormDialog
from ui.widgets.sizing import fit_to_screen

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSPHRASE = "screenshot demo passphrase"
DEPUTY_PASSPHRASE = "screenshot deputy passphrase"
FRIDAY_4PM = datetime(2026, 11, 27, 16, 0)
# The main window as large as the screen allows (a DSL keeps it maximised).
SIZE = (1366, 768)
SMALL_DIR = "1093x614"
# Rendered again at 125% scaling: what a DSL meets first and uses most.
KEY_SCREENS = {
    "first-run",
    "unlock",
    "dashboard",
    "escalation-gloucestershire-stage-3",
    "escalation-north-yorkshire-near-cap",
    "escalation-chronology",
    "form-new-escalation",
    "form-discussion-problems",
    "document-preview",
    "records-statistics",
}
only: set[str] | None = None  # set to KEY_SCREENS by --small

DETAILS = SettingDetails(
    setting_name="Riverside Primary School",
    dsl_name="Ms Hannah Okafor",
    deputies=("Mr Ben Hughes",),
    default_policy="gloucestershire",
    nation=Nation.ENGLAND,
)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def laptop_screen(folder: Path, small: bool) -> None:
    """Qt's offscreen platform with one 1366x768 screen, or that screen at 125%."""
    width, height, ratio = (1093, 614, 1.25) if small else (1366, 768, 1.0)
    config = folder / "screen.json"
    screen = {"name": "Laptop", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": ratio}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def save(app: QApplication, widget: QWidget, name: str) -> Path | None:
    path = OUT / f"{name}.png"
    if only is not None and name not in only:
        return None
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(OUT.parent.parent)}")
    return path


def first_page(pdf: bytes, name: str) -> None:
    """A document's first page as printed (at 110 dpi), for looking at the layout."""
    if only is not None:
        return
    from app.documents.pages import render_pages
    from ui.dialogs.pdf_preview import to_qimage

    page = next(iter(render_pages(pdf, 110, 0, 0)))
    path = OUT / f"{name}.png"
    if not to_qimage(page).save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(OUT.parent.parent)}")


def form_screens(app: QApplication, name: str, form: FormDialog) -> None:
    """A form empty, then after Save with nothing filled in (its messages showing)."""
    save(app, form, f"form-{name}")
    form.save_button.click()
    save(app, form, f"form-{name}-problems")
    form.discard()  # no "discard what you typed?" question in a script


def _ref_of(rows: Sequence[EscalationRow], policy: str, pathway: str, status: str = "open") -> str:
    return next(
        r.ref
        for r in rows
        if r.policy_id == policy and r.pathway_id == pathway and r.status == status
    )


def escalation_screens(app: QApplication, window: MainWindow, library: PolicyLibrary) -> None:
    """The escalation view for the three demo cases the issue names, every form, and the
    first page of every document."""
    db = window.database
    assert db is not None
    rows = list_escalations(db)
    new_escalation_screens(app, window)
    cases = {
        "escalation-gloucestershire-stage-3": _ref_of(rows, "gloucestershire", "resolution"),
        "escalation-north-yorkshire-near-cap": _ref_of(rows, "north-yorkshire", "resolution"),
        "escalation-suffolk-stop-and-review-overdue": _ref_of(rows, "suffolk", "stop-and-review"),
    }
    for name, ref in cases.items():
        view = window.open_escalation(ref)
        assert view is not None
        save(app, view, name)
    glos = window.views[cases["escalation-gloucestershire-stage-3"]]
    glos.tabs.setCurrentWidget(glos.chronology)
    save(app, glos, "escalation-chronology")
    glos.tabs.setCurrentIndex(0)
    action_form_screens(app, glos)
    suffolk = window.views[cases["escalation-suffolk-stop-and-review-overdue"]]
    dissent_and_review_screens(app, window, rows, suffolk)
    document_screens(app, window, rows, glos, suffolk)


def new_escalation_screens(app: QApplication, window: MainWindow) -> None:
    form = window.new_escalation()
    assert form is not None
    form_screens(app, "new-escalation", form)
    form = window.new_escalation()
    assert form is not None
    form.immediate_risk.setChecked(True)
    save(app, form, "form-new-escalation-immediate-risk")
    form.discard()


def action_form_screens(app: QApplication, glos: EscalationView) -> None:
    """Every form an open escalation's actions open, empty and with its problems."""
    for name, opener in (
        ("discussion", glos.record_discussion),
        ("action", glos.add_action),
        ("move-stage", glos.move_stage),
        ("agree-outcome", glos.agree_outcome),
        ("withdraw", glos.withdraw),
    ):
        dialog = opener()
        assert isinstance(dialog, FormDialog)
        form_screens(app, name, dialog)
    complete = glos.complete_action()
    assert isinstance(complete, CompleteActionDialog)
    save(app, complete, "form-complete-action")
    complete.completed_on.set_value(FRIDAY_4PM.date() + timedelta(days=3))  # after today
    complete.save_button.click()
    save(app, complete, "form-complete-action-problems")
    complete.discard()
    chooser = glos.amend()
    save(app, chooser, "form-amend-choose-a-record")
    assert isinstance(chooser, FormDialog)
    chooser.discard()
    monitoring = glos.monitoring_form()
    save(app, monitoring, "form-monitoring-form")
    assert isinstance(monitoring, FormDialog)
    monitoring.discard()


def dissent_and_review_screens(
    app: QApplication, window: MainWindow, rows: Sequence[EscalationRow], suffolk: EscalationView
) -> None:
    dissent_view = window.open_escalation(_ref_of(rows, "suffolk", "conference-dissent"))
    assert dissent_view is not None
    dialog = dissent_view.conference_dissent()
    assert isinstance(dialog, FormDialog)
    form_screens(app, "conference-dissent", dialog)
    cic_view = window.open_escalation(_ref_of(rows, "suffolk", "stop-and-review-cic"))
    assert cic_view is not None
    dialog = cic_view.stop_and_review()
    assert isinstance(dialog, FormDialog)
    save(app, dialog, "form-stop-and-review-cic")
    dialog.discard()
    # A new request (none recorded yet on this one) shows its problems.
    dialog = StopAndReviewDialog(suffolk.context(), parent=suffolk)
    dialog.show()
    form_screens(app, "stop-and-review", dialog)


def document_screens(
    app: QApplication,
    window: MainWindow,
    rows: Sequence[EscalationRow],
    glos: EscalationView,
    suffolk: EscalationView,
) -> None:
    """The preview window once, then the first page of each document as printed."""
    resolved = window.open_escalation(_ref_of(rows, "suffolk", "resolution", "resolved"))
    assert resolved is not None
    preview = resolved.confirmation()
    assert preview is not None
    save(app, preview, "document-preview")
    first_page(preview._pdf, "document-confirmation")  # type: ignore[attr-defined]
    for view, kind in (
        (glos, "monitoring-form"),
        (window.open_escalation(_ref_of(rows, "york", "conference-dissent")), "conference-dissent"),
        (suffolk, "stop-and-review"),
        (glos, "chronology"),
    ):
        assert view is not None
        preview = view.document(kind, identify_child=kind != "monitoring-form")
        assert preview is not None
        first_page(preview._pdf, f"document-{kind}")  # type: ignore[attr-defined]
        preview.close()


def records_screens(app: QApplication, window: MainWindow) -> None:
    """Statistics (and the first page of each export), retention review, a child's
    records."""
    from ui.dialogs.statistics import StatisticsDialog

    stats = window.show_statistics()
    assert isinstance(stats, StatisticsDialog)
    save(app, stats, "records-statistics")
    pages: list[tuple[str, bytes]] = []
    stats._preview = lambda title, pdf, _name: pages.append((title, pdf))  # capture, not show
    stats.preview_pdf(for_partnership=False)
    stats.preview_pdf(for_partnership=True)
    for (_title, pdf), name in zip(pages, ("statistics", "monitoring-return"), strict=True):
        first_page(pdf, f"document-{name}")
    stats.close()
    retention = window.show_retention()
    assert retention is not None
    retention.due_only.setChecked(False)  # type: ignore[attr-defined]
    save(app, retention, "records-retention")
    retention.close()
    child = window.show_child_records()
    assert child is not None
    child.adjustSize()
    save(app, child, "records-child")
    child.close()


def main() -> int:
    global OUT, only
    now: Callable[[], datetime] = lambda: FRIDAY_4PM  # noqa: E731
    clock.now = now
    small = "--small" in sys.argv[1:]
    if small:
        OUT, only = OUT / SMALL_DIR, KEY_SCREENS
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="et-screens-") as folder:
        tmp = Path(folder)
        laptop_screen(tmp, small)
        app = application(sys.argv[:1])
        library = default_library()
        local = LocalSettings(tmp / "settings.ini")
        local.data_file = tmp / "escalations.etdb"

        # First run: no file yet. Fill it in as a DSL would, up to the passphrase.
        window = MainWindow(library, local)
        fit_to_screen(window, *SIZE)
        window.show()
        page = window.first_run
        page.passphrase.setText("purple kettle river")
        page.repeat.setText("purple kettle river")
        page.setting_name.setText(DETAILS.setting_name)
        page.dsl_name.setText(DETAILS.dsl_name)
        page.deputies.setPlainText("\n".join(DETAILS.deputies))
        page.policy.setCurrentIndex(page.policy.findData(DETAILS.default_policy))
        save(app, window, "first-run")
        window.close()

        # A team's file (issue 23): the DSL and a deputy, each with their own passphrase.
        with team.create(local.data_file, DETAILS.dsl_name, PASSPHRASE).db as db:
            create_demo(db, library)
            save_settings(db, DETAILS, library)
            deputy = DETAILS.deputies[0]
            team.add_member(db, deputy, Role.DEPUTY, DEPUTY_PASSPHRASE, DEPUTY_PASSPHRASE)
        local.member = DETAILS.dsl_name  # the DSL unlocked here last

        window = MainWindow(library, local)
        fit_to_screen(window, *SIZE)
        window.show()
        recover = window.show_recover()
        assert recover is not None
        save(app, recover, "recover-access")
        recover.close()
        # As a person would: type into the field and press Unlock.
        window.unlock_page.passphrase.setText("not the passphrase")
        window.unlock_page.unlock_button.click()
        save(app, window, "unlock")

        window.unlock_page.passphrase.setText(PASSPHRASE)
        window.unlock_page.unlock_button.click()
        if not window.is_unlocked:
            raise SystemExit("the demo file did not unlock")
        save(app, window, "dashboard")

        window.workspace.tabs.setCurrentWidget(window.workspace.contacts)
        save(app, window, "contacts")
        window.workspace.tabs.setCurrentWidget(window.workspace.policies)
        window.workspace.policies.show_policy("gloucestershire")
        save(app, window, "policies")
        window.workspace.tabs.setCurrentIndex(0)

        settings = window.show_settings()
        assert settings is not None
        settings.adjustSize()
        save(app, settings, "settings")
        settings.close()

        team_window = window.show_team()
        assert team_window is not None
        save(app, team_window, "safeguarding-team")
        add = team_window.show_add()
        save(app, add, "add-member")
        add.close()
        team_window.close()
        # A key made for the picture: not the file's (that was shown once, when made).
        key = window.unlocking.show_recovery_key(new_recovery_key())
        save(app, key, "recovery-key")
        key.written.setChecked(True)
        key.close()

        risk = window.show_immediate_risk()
        risk.adjustSize()
        save(app, risk, "immediate-risk")
        risk.close()

        escalation_screens(app, window, library)
        records_screens(app, window)

        window.lock()
        save(app, window, "locked")
        window.close()
        settle(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
