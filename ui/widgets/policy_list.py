"""The Policies tab's list of policies: each entry the partnership's name, wrapped over
as many lines as it takes at the list's width, with its document's date in a quieter
line under it and room above and below, so one entry never runs into the next (St
Helens' name, "St Helens Safeguarding Children Board (now St Helens Safeguarding
Children Partnership)", took three lines that ran straight on into the entries beside
it). The whole name, the document's title and its date are in the entry's tooltip."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.policy import Policy
from ui.plain_text import plain_tip

NAME = Qt.ItemDataRole.UserRole + 1
DATE = Qt.ItemDataRole.UserRole + 2
PAD = 7  # pixels above and below each entry's words; twice this between two entries
SIDE = 6  # pixels left and right
FLAGS = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
Index = QModelIndex | QPersistentModelIndex


def _date_font(font: QFont) -> QFont:
    smaller = QFont(font)
    smaller.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
    return smaller


class PolicyEntry(QStyledItemDelegate):
    """Draws an entry as the module says; its height follows the list's width."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _width(self) -> int:
        return max(self._view.viewport().width() - 2 * SIDE, 40)

    def _heights(self, font: QFont, index: Index) -> tuple[int, int]:
        """The heights of the name and of the date line, each wrapped at the width."""
        box = QRect(0, 0, self._width(), 10_000)
        name = QFontMetrics(font).boundingRect(box, FLAGS, str(index.data(NAME) or ""))
        dated = QFontMetrics(_date_font(font)).boundingRect(box, FLAGS, str(index.data(DATE)))
        return name.height(), dated.height()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        name_height, date_height = self._heights(option.font, index)
        return QSize(self._width() + 2 * SIDE, PAD + name_height + 2 + date_height + PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        # The background (selected, hovered) as the style draws it, without the text.
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style = self._view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, self._view)
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        font: QFont = option.font
        name_height, date_height = self._heights(font, index)
        painter.save()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        painter.setFont(font)
        top = rect.top() + PAD
        name_box = QRect(rect.left() + SIDE, top, self._width(), name_height)
        painter.drawText(name_box, FLAGS, str(index.data(NAME) or ""))
        if not selected:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.setFont(_date_font(font))
        date_box = QRect(rect.left() + SIDE, top + name_height + 2, self._width(), date_height)
        painter.drawText(date_box, FLAGS, str(index.data(DATE) or ""))
        painter.restore()


def policy_list(policies: list[Policy], parent: QWidget | None = None) -> QListWidget:
    """The list, one entry a policy, its id under ``Qt.UserRole``."""
    view = QListWidget(parent)
    view.setItemDelegate(PolicyEntry(view))
    view.setResizeMode(QListView.ResizeMode.Adjust)  # heights again as the width changes
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Always there (the library is longer than the list): a scroll bar appearing after
    # the entries were measured would narrow them, and a long name would take a line
    # more than its entry has room for.
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    for policy in policies:
        doc = policy.document
        dated = f"Document date: {doc.issued_display}" if doc.issued else "Undated"
        dated += " \u00b7 incomplete" if doc.completeness else ""
        # The text a screen reader reads; the delegate draws from the two roles.
        item = QListWidgetItem(f"{policy.partnership}\n{doc.issued_display}")
        item.setData(Qt.ItemDataRole.UserRole, policy.id)
        item.setData(NAME, policy.partnership)
        item.setData(DATE, dated)
        item.setToolTip(plain_tip(f"{policy.partnership}\n{doc.title}\n{dated}"))
        view.addItem(item)
    return view
