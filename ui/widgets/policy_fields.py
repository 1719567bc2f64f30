"""The policy builder's fields: each bound to one attribute of a part of the draft
(``app.policy.draft``), writing what is typed straight into it, with the place for its
problem under it (``FieldRow``, as every form shows one).

A ``Fields`` is a small form over one draft object; a ``GroupList`` is a repeated group
(the timescales of a stage, its notifications) with Add, Remove and Move up or down.
Neither decides anything: the problems come from ``app.policy.builder``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.plain_text import plain
from ui.widgets.common import named
from ui.widgets.fields import lines_of, text_box
from ui.widgets.form_dialog import FieldRow


class Fields(QWidget):
    """Fields over one draft object (``load`` picks which); ``edited`` says which field
    path changed.

    Each caption's & gives its field an Alt+letter, chosen so that no two on a page
    share one (tests/ui/test_policy_builder_keys.py). A repeated group's second and
    later items have the same captions: made with ``lettered`` False, theirs show no
    letter, and Alt+letter goes to the first item's field."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, lettered: bool = True) -> None:
        super().__init__(parent)
        self.lettered = lettered
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rows: dict[str, FieldRow] = {}
        self._loaders: list[Callable[[Any], None]] = []
        self.target: Any = None
        self.prefix = ""

    def _add(self, label: str, attr: str, field: QWidget, tip: str) -> FieldRow:
        row = FieldRow(attr, field)
        # Rows are made as a part is chosen; a proxy left where it was made would put
        # its field at the end of the Tab order (the builder orders the fields itself).
        row.setFocusProxy(None)
        if tip:
            field.setToolTip(tip)
        caption = QLabel(self._letter(label))
        caption.setBuddy(field)
        caption.setWordWrap(True)
        self.form.addRow(caption, row)
        self.rows[attr] = row
        return row

    def _letter(self, label: str) -> str:
        return label if self.lettered else label.replace("&", "")

    def _changed(self, attr: str, value: object) -> None:
        if self.target is not None and getattr(self.target, attr) != value:
            setattr(self.target, attr, value)
            self.edited.emit(self.prefix + attr)

    def text(self, label: str, attr: str, name: str, *, lines: int = 0, tip: str = "") -> QWidget:
        """A line (or, with ``lines``, a box) of text."""
        field: QLineEdit | QPlainTextEdit
        if lines:
            box = text_box(name, lines=lines)
            box.textChanged.connect(lambda: self._changed(attr, box.toPlainText()))
            self._loaders.append(lambda t: box.setPlainText(getattr(t, attr)))
            field = box
        else:
            line = named(QLineEdit(), name)
            line.textChanged.connect(lambda value: self._changed(attr, value))
            self._loaders.append(lambda t: _show_start(line, getattr(t, attr)))
            field = line
        self._add(label, attr, field, tip)
        return field

    def lines(self, label: str, attr: str, name: str, *, tip: str = "") -> QPlainTextEdit:
        """A list of texts, typed one a line."""
        box = text_box(name, lines=3)
        box.textChanged.connect(lambda: self._changed(attr, lines_of(box)))
        self._loaders.append(lambda t: box.setPlainText("\n".join(getattr(t, attr))))
        self._add(label, attr, box, tip)
        return box

    def choice(self, label: str, attr: str, name: str, words: Mapping[str, str]) -> QComboBox:
        combo = named(QComboBox(), name)
        for value, shown in words.items():
            combo.addItem(shown, str(value))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(16)
        combo.currentIndexChanged.connect(lambda _i: self._changed(attr, combo.currentData()))
        self._loaders.append(lambda t: combo.setCurrentIndex(combo.findData(getattr(t, attr))))
        self._add(label, attr, combo, "")
        return combo

    def tick(self, label: str, attr: str) -> QCheckBox:
        box = named(QCheckBox(self._letter(label)), label.replace("&", ""))
        box.toggled.connect(lambda on: self._changed(attr, on))
        self._loaders.append(lambda t: box.setChecked(bool(getattr(t, attr))))
        row = FieldRow(attr, box)
        row.setFocusProxy(None)
        self.form.addRow(row)
        self.rows[attr] = row
        return box

    def shown(self, label: str, attr: str, words: Callable[[Any], str]) -> QLabel:
        """Words about the object, not typed (a stage's number), with room for a problem."""
        value = plain(QLabel())
        value.setAccessibleName(label)
        self._loaders.append(lambda t: value.setText(words(t)))
        self._add(label, attr, value, "")
        return value

    def nested(self, attr: str, build: Callable[[Fields], None]) -> Fields:
        """The fields of a part inside this one (a deadline's timescale), loaded with it."""
        inner = Fields(lettered=self.lettered)
        build(inner)
        self.form.addRow(inner)
        inner.edited.connect(self.edited)
        self._loaders.append(lambda t: inner.load(getattr(t, attr), f"{self.prefix}{attr}."))
        self.rows.update({f"{attr}.{key}": row for key, row in inner.rows.items()})
        return inner

    def load(self, target: Any, prefix: str) -> None:
        """Show ``target``'s values; its fields' problems are ``prefix`` + attribute."""
        self.target, self.prefix = None, prefix  # no echo of the loading into the draft
        for load in self._loaders:
            load(target)
        self.target = target
        for row in self.rows.values():
            row.clear_error()

    def show_problems(self, problems: Mapping[str, str]) -> None:
        for attr, row in self.rows.items():
            message = problems.get(self.prefix + attr)
            if message:
                row.show_error(message)
            elif row.error.isVisibleTo(self):
                row.clear_error()


class GroupList(QWidget):
    """A repeated group of fields over a list in the draft: each item in its own box
    with Remove and Move up or down, and an Add button below them."""

    edited = Signal(str)
    reshaped = Signal()  # an item added, removed or moved

    def __init__(
        self,
        noun: str,
        add_text: str,
        make_item: Callable[[], Any],
        build: Callable[[Fields], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._noun, self._make, self._build = noun, make_item, build
        self._items: list[Any] = []
        self._prefix = ""
        self.editors: list[Fields] = []
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._boxes = QVBoxLayout()
        self._column.addLayout(self._boxes)
        self.add_button = _not_default(named(QPushButton(add_text), add_text.replace("&", "")))
        self.add_button.clicked.connect(self._add)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        self._column.addLayout(row)

    def load(self, items: list[Any], prefix: str) -> None:
        """Edit ``items`` (the draft's own list); problems are ``prefix[i].field``."""
        self._items, self._prefix = items, prefix
        while self._boxes.count():
            widget = self._boxes.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.editors = []
        for index, item in enumerate(items):
            box = self._box(index, item)
            self._boxes.addWidget(box)
            box.show()  # at once, not when the layout's queued show comes round

    def _box(self, index: int, item: Any) -> QGroupBox:
        box = QGroupBox(f"{self._noun} {index + 1}")
        column = QVBoxLayout(box)
        fields = Fields(lettered=index == 0)  # one Alt+letter per field on the page
        self._build(fields)
        fields.load(item, f"{self._prefix}[{index}].")
        fields.edited.connect(self.edited)
        column.addWidget(fields)
        buttons = QHBoxLayout()
        for text, step in (("Move up", -1), ("Move down", 1)):
            button = _not_default(
                named(QPushButton(text), f"{text}: {self._noun.lower()} {index + 1}")
            )
            button.setEnabled(0 <= index + step < len(self._items))
            button.clicked.connect(lambda _c=False, s=step: self._move(index, s))
            buttons.addWidget(button)
        remove = _not_default(
            named(QPushButton("Remove"), f"Remove {self._noun.lower()} {index + 1}")
        )
        remove.clicked.connect(lambda: self._remove(index))
        buttons.addWidget(remove)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.editors.append(fields)
        return box

    def _add(self) -> None:
        self._items.append(self._make())
        self._reload()
        # The new box has a place only once the layout requests the reload posted have
        # run (each may post the next); then the focus brings it into view.
        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.editors[-1].setFocus(Qt.FocusReason.OtherFocusReason)
        first = next(iter(self.editors[-1].rows.values()), None)
        if first is not None:
            first.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _remove(self, index: int) -> None:
        del self._items[index]
        self._reload()

    def _move(self, index: int, step: int) -> None:
        from app.policy.draft import move

        move(self._items, index, step)
        self._reload()

    def _reload(self) -> None:
        self.load(self._items, self._prefix)
        self.reshaped.emit()

    def show_problems(self, problems: Mapping[str, str]) -> None:
        for editor in self.editors:
            editor.show_problems(problems)


def _show_start(line: QLineEdit, text: str) -> None:
    """Loaded text shown from its start: ``setText`` leaves the cursor, and so the view,
    at the end, and a copied policy's title read ": Procedure and Guidance - How to…"."""
    line.setText(text)
    line.setCursorPosition(0)


def _not_default(button: QPushButton) -> QPushButton:
    """Not drawn as the button Enter presses: in the builder Enter presses only the
    button that has the focus (PolicyBuilder.keyPressEvent)."""
    button.setAutoDefault(False)
    return button
