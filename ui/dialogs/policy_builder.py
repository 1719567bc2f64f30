"""The policy builder: a DSL sets up their partnership's policy from its document, in a
form rather than a text file.

On the left, the policy's parts (the policy and its document, each pathway and its
stages) with Add, Remove and Move up or down; in the middle, the fields of the part
chosen, each with its problem under it; on the right, a live preview of the pathway's
deadlines from a date the DSL picks. Save writes ``<id>.toml`` into the data folder's
policies folder and the app loads it at once; Export… writes it where the DSL chooses;
Import… takes a file another setting shared. The checks and the writing are
``app.policy.builder`` and ``app.services.policy_files``; nothing is decided here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.english_plurals import count
from app.errors import KnownError
from app.policy.builder import PolicyDraft, Problem, draft_from, preview_policy, problems
from app.policy.draft import suggested_id
from app.services.policy_files import (
    PolicyFileExists,
    export_policy,
    import_policy,
    save_policy,
)
from ui.operations import run_op
from ui.plain_text import plain
from ui.widgets.form_dialog import ask_discard, error_colour
from ui.widgets.keyboard import keep_keyboard_order
from ui.widgets.policy_outline import PolicyOutline, Where, reading_order
from ui.widgets.policy_pages import PageStack, PathwayPage, PolicyPage, StagePage
from ui.widgets.policy_preview import PolicyPreviewPanel
from ui.widgets.scroll_area import scrolling
from ui.widgets.sizing import fit_to_screen

INTRO = (
    "Set up your partnership's policy from its document. Choose a part on the left, fill "
    "in its fields in the document's own words, and check the deadlines on the right."
)


class PolicyBuilder(QDialog):
    def __init__(
        self,
        draft: PolicyDraft,
        on_saved: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Policy builder")
        self.setAccessibleName("Policy builder")
        self.draft = draft
        self._on_saved = on_saved
        self._touched: set[str] = set()  # the parts typed in: their problems are shown
        self._all_shown = False  # after Save: every problem is shown
        self.dirty = False
        self.found: list[Problem] = []
        self._offered_id = ""  # the file name last offered from the partnership's name

        outer = QVBoxLayout(self)
        intro = plain(QLabel(INTRO))
        intro.setWordWrap(True)
        outer.addWidget(intro)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.outline = PolicyOutline(draft)
        self.outline.chosen.connect(self._show)
        self.outline.reshaped.connect(self._reshaped)
        splitter.addWidget(scrolling(self.outline, "The policy's parts"))
        self.policy_page, self.pathway_page, self.stage_page = (
            PolicyPage(),
            PathwayPage(),
            StagePage(),
        )
        self.pages = PageStack([self.policy_page, self.pathway_page, self.stage_page])
        for page in (self.policy_page, self.pathway_page, self.stage_page):
            page.edited.connect(self._edited)
            page.reshaped.connect(self._changed)
            page.reshaped.connect(self.arrange_tabs)
        self.editor = scrolling(self.pages, "Fields")
        splitter.addWidget(self.editor)
        self.preview = PolicyPreviewPanel()
        self.preview.changed.connect(self._show_preview)
        preview = scrolling(self.preview, "Preview")
        # The timeline needs its width; on a small screen the preview scrolls sideways
        # rather than squeeze the fields.
        preview.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        splitter.addWidget(preview)
        splitter.setSizes([250, 560, 520])
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)

        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        outer.addWidget(self.message)
        # Sharing on the left, Save and Close on the right, Tab reaching them in that order.
        row = QHBoxLayout()
        self.import_button = QPushButton("&Import…")
        self.export_button = QPushButton("E&xport…")
        self.save_button = QPushButton("&Save")
        self.close_button = QPushButton("Close")
        for button, name in (
            (self.import_button, "Import a policy file"),
            (self.export_button, "Export the policy to a file"),
            (self.save_button, "Save"),
            (self.close_button, "Close"),
        ):
            button.setAccessibleName(name)
            button.setAutoDefault(False)
            row.addWidget(button)
            if button is self.export_button:
                row.addStretch(1)
        self.save_button.setToolTip("Save into this app's policies (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.export_button.clicked.connect(self.choose_export)
        self.import_button.clicked.connect(self.choose_import)
        self.close_button.clicked.connect(self.reject)
        outer.addLayout(row)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        keep_keyboard_order(
            self,
            splitter,
            [self.import_button, self.export_button, self.save_button, self.close_button],
        )
        fit_to_screen(self, 1340, 740)
        self._show(Where("policy"))

    # Showing ----------------------------------------------------------------------------

    def _show(self, where: Where) -> None:
        """Show the fields of the part chosen on the left."""
        if where.kind == "stage":
            pathway = self.draft.pathways[where.pathway]
            self.stage_page.load(pathway.stages[where.stage], where.pathway, where.stage)
            self.pages.setCurrentWidget(self.stage_page)
        elif where.kind == "pathway":
            self.pathway_page.load(self.draft.pathways[where.pathway], where.pathway)
            self.pages.setCurrentWidget(self.pathway_page)
        else:
            self.policy_page.load(self.draft)
            self.pages.setCurrentWidget(self.policy_page)
        self.editor.verticalScrollBar().setValue(0)
        self._refresh()
        self.arrange_tabs()

    def arrange_tabs(self) -> None:
        """Tab in reading order: the parts, the fields shown, the preview, the buttons.
        (Fields made for a part as it is chosen would otherwise come last.)"""
        chain = [
            *reading_order(self.outline),
            *reading_order(self.pages.currentWidget()),
            *reading_order(self.preview),
            self.import_button,
            self.export_button,
            self.save_button,
            self.close_button,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _edited(self, path: str) -> None:
        self._touched.add(path.rsplit(".", 1)[0] if "." in path else "")
        if path == "partnership" and self.draft.id in ("", self._offered_id):
            # Offered from the name until the DSL types a file name of their own.
            self.draft.id = self._offered_id = suggested_id(self.draft.partnership)
            self.policy_page.main.rows["id"].field.setProperty("text", self.draft.id)
        if path.endswith(".kind"):
            self.outline.relabel()
        self._changed()

    def showEvent(self, event: QShowEvent) -> None:
        self.arrange_tabs()
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A QDialog presses its default button on Enter, and every push button on the
        # pages is one ("Add a role" drawn as the default): Enter in "Short name" added
        # a role. Here Enter presses the push button that has the focus and nothing
        # else (a tick box is ticked with Space, as everywhere).
        plain_enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        )
        if plain_enter:
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton) and self.isAncestorOf(focused):
                focused.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def _reshaped(self) -> None:
        self._changed()
        self._show(self.outline.where())

    def _changed(self) -> None:
        self.dirty = True
        self.outline.relabel()
        self._refresh()

    def _refresh(self) -> None:
        """The problems (beside the fields typed in, or all after Save), the marks on the
        left, the message and the preview, for the draft as it is now."""
        self.found = problems(self.draft)
        shown = {
            p.path: p.message
            for p in self.found
            if self._all_shown
            or (p.path.rsplit(".", 1)[0] if "." in p.path else "") in self._touched
        }
        page = self.pages.currentWidget()
        assert isinstance(page, PolicyPage | PathwayPage | StagePage)
        page.show_problems(shown)
        self.outline.relabel(self.found)
        found = len(self.found)
        if found and not (self._all_shown or self._touched):
            # Nothing typed yet: what is left to fill in is not yet a refusal (as the
            # new-escalation form's hint, issue 19).
            self.message.setStyleSheet("")
            self.message.setText(
                "Fill in each part from the partnership's document: what is still needed "
                "is marked \u26a0 on the left, and said beside each field as you type."
            )
        elif found:
            self.message.setStyleSheet(f"color: {error_colour(self)};")
            things = f"{count(found, 'thing')} {'needs' if found == 1 else 'need'}"
            self.message.setText(
                f"\u26a0 {things} attention before this policy can be saved: each part "
                "that has one is marked \u26a0 on the left."
            )
        else:
            self.message.setStyleSheet("")
            self.message.setText("Ready to save: the policy passes every check.")
        self._show_preview()

    def _show_preview(self) -> None:
        self.preview.show_policy(preview_policy(self.draft), self.outline.where().pathway)

    def show_every_problem(self) -> None:
        """After Save: every problem beside its field, the first one's part shown."""
        self._all_shown = True
        self._refresh()
        if not self.found:
            return
        first = self.found[0].path
        self.outline.choose_path(first)
        page = self.pages.currentWidget()
        for part in getattr(page, "parts", []):
            for editor in getattr(part, "editors", [part]):
                for attr, row in editor.rows.items():
                    if editor.prefix + attr == first:
                        self.editor.ensureWidgetVisible(row)
                        row.field.setFocus(Qt.FocusReason.OtherFocusReason)
                        return

    # Saving, exporting, importing ----------------------------------------------------------

    def save(self) -> None:
        if problems(self.draft):
            self.show_every_problem()
            return
        run_op(self, lambda: save_policy(self.draft), self._saved)

    def _saved(self, path: Path) -> None:
        self.dirty = False
        self.outline.forget_removed()  # saved without it: nothing left to put back
        self._on_saved()
        self.message.setStyleSheet("")
        self.message.setText(
            f"Saved as {path.name} in this app's policies folder, {path.parent}. It is "
            "in the Policies list now, for new escalations."
        )

    def choose_export(self) -> None:
        if problems(self.draft):
            self.show_every_problem()
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export the policy", f"{self.draft.id}.toml", "Policy files (*.toml)"
        )
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, path: Path) -> None:
        def done(written: Path) -> None:
            self.message.setStyleSheet("")
            self.message.setText(f"Exported to {written}. Another setting can import it.")

        run_op(self, lambda: export_policy(self.draft, path), done)

    def choose_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import a policy file", "", "Policy files (*.toml)"
        )
        if chosen:
            self.import_from(Path(chosen))

    def import_from(self, path: Path, *, replace: bool = False) -> None:
        def refused(exc: KnownError) -> None:
            if isinstance(exc, PolicyFileExists) and _ask_replace(self, exc):
                self.import_from(path, replace=True)
                return
            self.message.setStyleSheet(f"color: {error_colour(self)};")
            self.message.setText(f"\u26a0 Nothing was imported. {exc}")

        def imported(policy: object) -> None:
            from app.policy.model import Policy

            assert isinstance(policy, Policy)
            self._on_saved()
            self.draft = draft_from(policy)
            self.outline.set_draft(self.draft)
            self.dirty = False
            self._show(self.outline.where())
            self.message.setStyleSheet("")
            self.message.setText(
                f"Imported {policy.partnership}'s policy: it is in the Policies list now."
            )

        run_op(self, lambda: import_policy(path, replace=replace), imported, on_failure=refused)

    # Closing ----------------------------------------------------------------------------

    def reject(self) -> None:
        if self.dirty and not ask_discard(self):
            return
        self.dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty and not ask_discard(self):
            event.ignore()
            return
        self.dirty = False
        super().closeEvent(event)


def _ask_replace(parent: QWidget, exc: PolicyFileExists) -> bool:
    answer = QMessageBox.question(
        parent,
        "Replace the policy?",
        f"{exc} Replace it with the file you chose?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
