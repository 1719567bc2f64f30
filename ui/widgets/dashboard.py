"""The counts across the top: Overdue, Due today, Due in the next 3 working days, No
fixed timescale, Open, Resolved this term. Each is a button: clicking it shows only those
escalations below; clicking it again shows them all."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.english_plurals import count as plural_count
from app.services.dashboard import BUCKET_LABELS, Bucket
from ui.widgets.common import warning_icon


class CountButton(QPushButton):
    """A large count over its caption. Checked while it filters the list."""

    def __init__(self, bucket: Bucket, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bucket = bucket
        self.caption = BUCKET_LABELS[bucket]
        self.setCheckable(True)
        self.setObjectName(f"count-{bucket.value}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(6)
        self._icon = QLabel()
        self.count_label = QLabel("–")
        font = QFont(self.count_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 2)
        self.count_label.setFont(font)
        top.addWidget(self._icon)
        top.addWidget(self.count_label)
        top.addStretch(1)
        layout.addLayout(top)
        self._caption_label = QLabel(self.caption)
        self._caption_label.setWordWrap(True)
        layout.addWidget(self._caption_label)
        for label in (self._icon, self.count_label, self._caption_label):
            # The button, not its labels, takes the clicks, the focus and the name.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._icon.setAccessibleName("Warning")
        self._caption_label.setAccessibleName(self.caption)
        self.set_count(None)

    def set_count(self, count: int | None) -> None:
        self.count = count
        self.count_label.setText("–" if count is None else str(count))
        warn = self.bucket is Bucket.OVERDUE and bool(count)
        size = self.count_label.fontMetrics().height()
        self._icon.setPixmap(warning_icon().pixmap(QSize(size, size)) if warn else QPixmap())
        self._icon.setVisible(warn)
        self.count_label.setAccessibleName(f"{self.caption}: {self.count_label.property('text')}")
        number = "not loaded" if count is None else plural_count(count, "escalation")
        self.setAccessibleName(f"{self.caption}: {number}")
        self.setAccessibleDescription("Shows only these escalations in the list below.")
        self.setToolTip(f"Show only the escalations counted here ({self.caption.lower()}).")

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalSizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalMinimumSize() if layout is not None else super().minimumSizeHint()


class DashboardBar(QWidget):
    bucket_chosen = Signal(object)  # a Bucket, or None for "all"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("What is due")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[Bucket, CountButton] = {}
        for bucket in Bucket:
            button = CountButton(bucket, self)
            button.clicked.connect(lambda checked, b=bucket: self._clicked(b, checked))
            layout.addWidget(button, 1)
            self.buttons[bucket] = button

    def set_counts(self, counts: dict[Bucket, int] | None) -> None:
        for bucket, button in self.buttons.items():
            button.set_count(None if counts is None else counts.get(bucket, 0))

    def set_active(self, bucket: Bucket | None) -> None:
        for b, button in self.buttons.items():
            button.setChecked(b is bucket)

    def _clicked(self, bucket: Bucket, checked: bool) -> None:
        chosen = bucket if checked else None
        self.set_active(chosen)
        self.bucket_chosen.emit(chosen)

    def clear(self) -> None:
        self.set_active(None)
        self.set_counts(None)
