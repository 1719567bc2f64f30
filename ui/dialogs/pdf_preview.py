"""Preview of a generated document, with Print and Save as PDF.

The PDF exists only in memory: pages are rendered from the bytes for display and again
at the printer's resolution for printing, so the app writes nothing about the child to
disk unless the DSL chooses Save as PDF (and then they are reminded the copy is not
encrypted). The print system's own spool files are outside the app: docs/reliability.md,
"What leaves memory for the disk outside the app's control"."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.documents.pages import PageImage, page_count, render_pages
from app.english_plurals import count
from app.storage.private_files import write_private_file
from ui.errors import show_message
from ui.save_pdf import SaveFolders, choose_pdf_path, tell_where_saved, with_pdf_suffix
from ui.widgets.sizing import fit_to_screen

PREVIEW_DPI = 96
# Enough for sharp text on paper; more only costs memory and time per page.
MIN_PRINT_DPI, MAX_PRINT_DPI = 300, 600
UNENCRYPTED_WARNING = (
    "A saved PDF is not encrypted. Anyone who can open the folder can read it. Save it "
    "only where your school keeps safeguarding records, or print it instead."
)


def to_qimage(page: PageImage) -> QImage:
    # Copy: the QImage must not outlive the bytes it points at.
    return QImage(
        page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888
    ).copy()


def unencrypted_warning(parent: QWidget) -> QMessageBox:
    """The question before a PDF is written to disk; Cancel is the default."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Save as PDF",
        UNENCRYPTED_WARNING,
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setAccessibleName("Save as PDF: the copy is not encrypted")
    save = box.button(QMessageBox.StandardButton.Save)
    save.setText("&Save")  # Qt's own "Save" has no Alt key; every other Save has Alt+S
    save.setAccessibleName("Save the unencrypted copy")
    box.button(QMessageBox.StandardButton.Cancel).setAccessibleName("Cancel")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box


class PdfPreviewDialog(QDialog):
    def __init__(
        self,
        title: str,
        pdf: bytes,
        suggested_name: str,
        parent: QWidget | None = None,
        *,
        folders: SaveFolders | None = None,
    ) -> None:
        """``folders``: where Save as PDF starts and what it remembers (none: nothing)."""
        super().__init__(parent)
        self.setWindowTitle(f"{title} — preview")
        self.setAccessibleName(f"Preview of {title}")
        self._pdf = pdf
        self._suggested = suggested_name
        self._folders = folders
        self.pages = page_count(pdf)

        heading = QLabel(f"<b>{escape(title)}</b> — {count(self.pages, 'page')}")
        note = QLabel("This preview is not saved anywhere. Print it, or save a copy as PDF.")
        note.setWordWrap(True)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(16)
        self.page_labels: list[QLabel] = []
        for number, page in enumerate(render_pages(pdf, PREVIEW_DPI * self.devicePixelRatioF()), 1):
            pixmap = QPixmap.fromImage(to_qimage(page))
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            label = QLabel()
            label.setPixmap(pixmap)
            label.setAccessibleName(f"Page {number} of {self.pages}")
            label.setStyleSheet("border: 1px solid palette(mid);")
            column.addWidget(label, alignment=Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Document pages")

        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the document")
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.setAccessibleName("Save a copy as PDF (not encrypted)")
        self.save_button.clicked.connect(self.save_as)
        close = QPushButton("&Close")
        close.setAccessibleName("Close the preview")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        QShortcut(QKeySequence.StandardKey.Print, self, self.choose_printer)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        # As tall as the screen allows: a page is read a screenful at a time.
        fit_to_screen(self, 880, 1100)

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._suggested)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Render each page at the printer's resolution and paint it, page by page."""
        dpi = min(max(printer.resolution(), MIN_PRINT_DPI), MAX_PRINT_DPI)
        first = max(printer.fromPage() - 1, 0)
        last = printer.toPage() - 1 if printer.toPage() > 0 else None
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(
                self, "Print", "The printer could not be started. Check it is on and try again."
            )
            return
        try:
            for index, page in enumerate(render_pages(self._pdf, dpi, first, last)):
                if index:
                    printer.newPage()
                image = to_qimage(page)
                target = painter.viewport()
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(QRect(target.x(), target.y(), size.width(), size.height()))
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(target)
        finally:
            painter.end()

    def save_as(self) -> None:
        box = unencrypted_warning(self)
        box.exec()
        if box.clickedButton() is not box.button(QMessageBox.StandardButton.Save):
            return
        path = choose_pdf_path(self, self._suggested, self._folders)
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> bool:
        path = with_pdf_suffix(path)
        try:
            write_private_file(path, self._pdf)  # whole, owner only, or nothing
        except OSError as exc:
            show_message(
                self,
                "Save as PDF",
                f"The PDF could not be saved to {path}: {exc.strerror}. "
                "Nothing was lost; try another folder.",
            )
            return False
        if self._folders is not None:
            self._folders.last_save_folder = path.parent
        tell_where_saved(self, path)
        return True
