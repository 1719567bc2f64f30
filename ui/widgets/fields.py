"""The fields every form is built from: date and time fields typed as a person in
England writes them (``date_field``), text boxes where Tab moves on, a date that may be
left out, a Yes/No with neither chosen, and reading each back as plain Python values."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from app.domain.typed_dates import EVENT_DATES, DateRange
from ui.widgets.common import named
from ui.widgets.date_field import DateField as DateField
from ui.widgets.date_field import UnreadableDate as UnreadableDate


def date_edit(
    name: str,
    value: date | None = None,
    *,
    kind: DateRange = EVENT_DATES,
    not_known: str = "",
) -> DateField:
    """A date to type (``value`` shown as typed text; None leaves it empty)."""
    field = DateField(name, kind=kind, not_known=not_known)
    field.set_value(value)
    return field


def datetime_edit(name: str, value: datetime | None = None) -> DateField:
    """A date and time to type (``value`` shown as typed text; None leaves it empty)."""
    field = DateField(name, with_time=True)
    field.set_value(value)
    return field


def date_of(edit: DateField) -> date:
    """The date typed (raises ``UnreadableDate`` when the text is not one)."""
    value = edit.value()
    assert isinstance(value, date) and not isinstance(value, datetime)
    return value


def datetime_of(edit: DateField) -> datetime:
    value = edit.value()
    assert isinstance(value, datetime)
    return value


def line_edit(name: str, value: str = "") -> QLineEdit:
    return named(QLineEdit(value), name)


def text_box(name: str, value: str = "", lines: int = 3) -> QPlainTextEdit:
    edit = named(QPlainTextEdit(value), name)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def text_of(widget: QLineEdit | QPlainTextEdit) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return str(widget.property("text"))


def lines_of(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class OptionalDate(DateField):
    """A date that may be left out: empty means none."""

    def __init__(self, name: str, value: date | None = None) -> None:
        super().__init__(name, required=False)
        self.set_value(value)

    def value(self) -> date | None:
        value = super().value()
        assert not isinstance(value, datetime)
        return value


class YesNo(QWidget):
    """Yes or No, with neither chosen until the DSL says (a record must not default to
    an answer nobody gave)."""

    def __init__(self, name: str, value: bool | None = None) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.yes = named(QRadioButton("Yes"), f"{name}: yes")
        self.no = named(QRadioButton("No"), f"{name}: no")
        self.group = QButtonGroup(self)
        for button in (self.yes, self.no):
            self.group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        if value is not None:
            (self.yes if value else self.no).setChecked(True)
        self.setFocusProxy(self.yes)

    def value(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None


def set_row_visible(row: QWidget, visible: bool) -> None:
    """Show or hide a field together with its caption (the form layout owns both)."""
    holder = row.parentWidget()
    layout = holder.layout() if holder is not None else None
    if isinstance(layout, QFormLayout):
        layout.setRowVisible(row, visible)
        if visible and holder is not None:
            # The first layout after a row reappears gives a caption or note that wraps
            # (the "Date of the disputed decision" row) one line's height, so its second
            # line is drawn over the row below until something else re-lays the form
            # out. Laying it out again once the row is shown gives each its height.
            QTimer.singleShot(0, holder, layout.invalidate)


def stored_day(value: object) -> date | None:
    """A date as a saved record holds it (ISO text), or None."""
    return date.fromisoformat(str(value)) if value else None
