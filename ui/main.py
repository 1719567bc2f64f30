"""Desktop entry point: ``python -m app`` with no command calls ``main()``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from app.paths import log_dir
from app.policy import default_library
from ui.errors import ExceptionHook
from ui.local_settings import LocalSettings
from ui.main_window import APP_TITLE, MainWindow

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
    return app


def main(argv: Sequence[str] | None = None) -> int:
    app = application(argv)
    window: MainWindow | None = None
    hook = ExceptionHook(log_dir() / ERROR_LOG, lambda: window)
    hook.install()
    try:
        window = MainWindow(default_library(), LocalSettings())
        window.show()
        return app.exec()
    finally:
        hook.uninstall()
