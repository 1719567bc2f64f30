"""Statistics for quality assurance and the partnership monitoring return: the figures,
two charts, and exports (CSV or PDF). Counts only: no child is identified."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.statistics_figures import Statistics, month_name, rows, to_csv
from app.english_plurals import count
from app.storage.private_files import write_private_file
from ui.errors import show_message
from ui.operations import run_op
from ui.widgets.bar_chart import BarChart
from ui.widgets.common import heading, named, paragraph
from ui.widgets.sizing import fit_to_screen

Preview = Callable[[str, bytes, str], None]


class StatisticsDialog(QDialog):
    def __init__(
        self,
        stats: Statistics,
        setting: str,
        preview: Preview,
        parent: QWidget | None = None,
        *,
        render: Callable[[bool], bytes] | None = None,
    ) -> None:
        """``render(for_partnership)``: the PDF, sealed and recorded by the file (without
        it the PDF is made here, unsealed)."""
        super().__init__(parent)
        self._render = render
        self.setWindowTitle("Statistics")
        self.setAccessibleName("Escalation statistics")
        self._stats, self._setting, self._preview = stats, setting, preview
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Escalation statistics"))
        layout.addWidget(
            paragraph(
                f"{count(stats.total, 'escalation')} recorded from stage 1 onwards. Counts and "
                "durations only: no child is named, dated or identified here or in the exports."
            )
        )
        charts = QHBoxLayout()
        self.months = BarChart("Opened per month")
        self.months.set_data({month_name(k): v for k, v in stats.opened_per_month.items()})
        self.stages = BarChart("Highest stage reached")
        self.stages.set_data({f"Stage {k}": v for k, v in stats.highest_stage.items()})
        charts.addWidget(self.months)
        charts.addWidget(self.stages)
        layout.addLayout(charts)

        figures = rows(stats)
        self.table = named(QTableWidget(len(figures), 3), "Figures")
        self.table.setHorizontalHeaderLabels(["Section", "Item", "Figure"])
        self.table.verticalHeader().setVisible(False)
        previous = ""
        for r, (section, item, value) in enumerate(figures):
            for c, cell in enumerate((section if section != previous else "", item, value)):
                self.table.setItem(r, c, QTableWidgetItem(cell))
            previous = section
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.csv_button = named(QPushButton("Export &CSV…"), "Export the figures as CSV")
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button = named(QPushButton("&Report (PDF)…"), "Preview the figures as a PDF")
        self.pdf_button.clicked.connect(lambda: self.preview_pdf(for_partnership=False))
        self.return_button = named(
            QPushButton("&Partnership monitoring return…"),
            "Preview the monitoring return for the partnership (no child identifiers)",
        )
        self.return_button.clicked.connect(lambda: self.preview_pdf(for_partnership=True))
        close = named(QPushButton("Close"), "Close")
        close.clicked.connect(self.accept)
        for button in (self.csv_button, self.pdf_button, self.return_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        fit_to_screen(self, 900, 720)

    def export_csv(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                "Export CSV",
                f"escalation-figures-{clock.today():%Y-%m-%d}.csv",
                "CSV (*.csv)",
            )
            if not chosen:
                return
            path = Path(chosen)
        try:
            write_private_file(path, to_csv(self._stats, setting=self._setting).encode())
        except OSError as exc:
            show_message(self, "Export CSV", f"Could not write {path}: {exc.strerror}.")

    def preview_pdf(self, *, for_partnership: bool) -> None:
        title = "Escalation monitoring return" if for_partnership else "Escalation statistics"
        name = f"{title.lower().replace(' ', '-')}-{clock.today():%Y-%m-%d}.pdf"
        render = self._render
        if render is not None:
            run_op(
                self, lambda: render(for_partnership), lambda pdf: self._preview(title, pdf, name)
            )
            return
        # ReportLab loads here, on first use, not at start-up.
        from app.documents.statistics_doc import statistics_pdf

        pdf = statistics_pdf(
            self._stats,
            setting=self._setting,
            generated_at=clock.now(),
            for_partnership=for_partnership,
        )
        self._preview(title, pdf, name)
