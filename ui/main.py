"""Desktop entry point: ``python -m app`` with no command calls ``main()``."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app import crashlog
from app.paths import log_dir
from ui.bring_forward import BringForward
from ui.errors import ExceptionHook
from ui.form_scrolling import install_form_scrolling
from ui.local_settings import LocalSettings
from ui.main_window import MainWindow
from ui.window_titles import APP_TITLE

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from app.policy import PolicyLibrary
    from app.single_instance import InstanceListener

ERROR_LOG = "errors.log"


def set_up_locale() -> None:
    """en-GB everywhere: dd/mm/yyyy and weeks starting on Monday, whatever the machine."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))


def application(argv: Sequence[str] | None = None) -> QApplication:
    set_up_locale()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    app.setApplicationName(APP_TITLE)
    app.setApplicationDisplayName(APP_TITLE)
    # No style sheet or palette is set: the app follows the system's light or dark theme.
    install_form_scrolling(app)  # the wheel scrolls forms, not the field under it
    return app


def offer_crash_reports(parent: QWidget, reports: Sequence[Path]) -> QMessageBox | None:
    """After a hard crash last time: say so, once, and where the report is (code
    locations only, no child's details). Dismissing it deletes the reports."""
    if not reports:
        return None
    # Imported here, as they are needed after a crash only: making them, and ``Qt`` above
    # all, costs start-up time (see ui.widgets.common.set_enum).
    from PySide6.QtCore import Qt, QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Escalation Tracker closed unexpectedly",
        "Escalation Tracker closed unexpectedly last time. Nothing you had saved was lost. "
        f"A report for your IT support (code locations only, no child's details) is in "
        f"{reports[0].parent}.",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    open_folder = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
    open_folder.clicked.connect(
        lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(reports[0].parent)))
    )

    def forget() -> None:
        for report in reports:
            crashlog.dismiss(report)

    box.finished.connect(lambda _result: forget())
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # not modal to the app: the DSL can carry on
    return box


def load_policies() -> PolicyLibrary:
    """The policy library, loaded by the window after its first paint (pydantic and
    the policy files cost a tenth of a second, start-up need not wait for them)."""
    from app.policy.loader import default_library

    return default_library()


def main(
    argv: Sequence[str] | None = None,
    listener: InstanceListener | None = None,
    data_file: Path | None = None,
) -> int:
    """``listener``: where a second copy asks this one's window to come forward
    (``app.single_instance``; claimed by ``app.cli_window`` before Qt loads).
    ``data_file``: ``python -m app --data-file PATH``, chosen as if on the unlock page
    (and remembered, as that is)."""
    app = application(argv)
    window: MainWindow | None = None
    earlier = crashlog.previous_crashes()
    crash_log = crashlog.start()  # faulthandler: a hard crash leaves a report
    hook = ExceptionHook(log_dir() / ERROR_LOG, lambda: window)
    hook.install()
    try:
        local = LocalSettings()
        if data_file is not None:
            local.data_file = data_file
        window = MainWindow(load_policies, local)
        window.show()
        BringForward(window, listener)
        offer_crash_reports(window, earlier)
        QTimer.singleShot(0, gc.enable)  # paused by app.preload for the start-up
        return app.exec()
    finally:
        if listener is not None:
            listener.close()
        hook.uninstall()
        crash_log.stop()
