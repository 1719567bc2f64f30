"""Render every screen to PNG under docs/screenshots/ (``make screenshots``).

Uses a demo file in a temporary folder (never in the repository) with its own
passphrase, and pins the clock to a Friday at 4 pm: the moment a tired DSL most needs
the dashboard to be clear.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from app import clock
from app.demo import create_demo
from app.policy import Nation, default_library
from app.services.settings import SettingDetails, save_settings
from app.storage.datafile import create_data_file
from ui.local_settings import LocalSettings
from ui.main import application
from ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSPHRASE = "screenshot demo passphrase"
FRIDAY_4PM = datetime(2026, 11, 27, 16, 0)
SIZE = (1280, 800)

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


def save(app: QApplication, widget: QWidget, name: str) -> Path:
    settle(app)
    path = OUT / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(OUT.parent.parent)}")
    return path


def main() -> int:
    now: Callable[[], datetime] = lambda: FRIDAY_4PM  # noqa: E731
    clock.now = now
    OUT.mkdir(parents=True, exist_ok=True)
    app = application(sys.argv[:1])
    library = default_library()
    with tempfile.TemporaryDirectory(prefix="et-screens-") as folder:
        tmp = Path(folder)
        local = LocalSettings(tmp / "settings.ini")
        local.data_file = tmp / "escalations.etdb"

        # First run: no file yet. Fill it in as a DSL would, up to the passphrase.
        window = MainWindow(library, local)
        window.resize(*SIZE)
        window.show()
        page = window.first_run
        page.passphrase.setText("purple kettle")
        page.repeat.setText("purple kettle")
        page.setting_name.setText(DETAILS.setting_name)
        page.dsl_name.setText(DETAILS.dsl_name)
        page.deputies.setPlainText("\n".join(DETAILS.deputies))
        page.policy.setCurrentIndex(page.policy.findData(DETAILS.default_policy))
        save(app, window, "first-run")
        window.close()

        db = create_data_file(local.data_file, PASSPHRASE)
        try:
            create_demo(db, library)
            save_settings(db, DETAILS, library)
        finally:
            db.close()

        window = MainWindow(library, local)
        window.resize(*SIZE)
        window.show()
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

        risk = window.show_immediate_risk()
        risk.adjustSize()
        save(app, risk, "immediate-risk")
        risk.close()

        refs = window.workspace.escalations.visible_refs()
        summary = window.open_summary(refs[0])
        assert summary is not None
        save(app, summary, "escalation-summary")

        window.lock()
        save(app, window, "locked")
        window.close()
        settle(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
