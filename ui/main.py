"""Desktop entry point. Until the app-shell issue lands this shows the loaded policies
in a plain window, so ``make run`` already starts the real ``python -m app`` path."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from app.policy import PolicyLibrary, default_library


class MainWindow(QMainWindow):
    def __init__(self, library: PolicyLibrary) -> None:
        super().__init__()
        self.setWindowTitle("Escalation Tracker")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        heading = QLabel("<h2>Escalation Tracker</h2>")
        layout.addWidget(heading)
        lines = [
            f"<b>{p.partnership}</b> — {p.document.title} ({p.document.issued_display})"
            for p in library.all()
        ]
        policies = QLabel("Policies loaded:<br>" + "<br>".join(lines))
        policies.setAccessibleName("Policies loaded")
        policies.setWordWrap(True)
        layout.addWidget(policies)
        for problem in library.problems:
            warning = QLabel(f"Could not load a policy file: {problem}")
            warning.setWordWrap(True)
            layout.addWidget(warning)
        layout.addStretch(1)
        self.setCentralWidget(body)
        self.resize(720, 420)


def main() -> int:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Escalation Tracker")
    window = MainWindow(default_library())
    window.show()
    return app.exec()
