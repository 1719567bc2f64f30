"""Opening the policy builder from the Policies tab, and loading the policies again
once it has saved or imported one, so the Policies tab, the filters and the
new-escalation form all have it at once."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from app.policy.builder import blank_draft, draft_from
from app.session import Session


def open_policy_builder(
    window: QWidget, session: Session, source_id: str = "", same_id: bool = False
) -> QDialog:
    """From a blank template (``source_id`` empty), or a copy of a loaded policy: with
    ``same_id`` a new version of it (the DSL gives it a later version), else a new
    policy of their own (the file name left for them to choose)."""
    from ui.dialogs.policy_builder import PolicyBuilder

    if source_id:
        draft = draft_from(session.library.get(source_id))
        if same_id:  # a later version beside the newest loaded one
            newest = session.library.versions(source_id)[0]
            draft.document.revision = newest.document.revision + 1
        else:
            draft.id = ""
            draft.document.revision = 1
    else:
        draft = blank_draft()
    dialog = PolicyBuilder(draft, session.reload_library, window)
    dialog.show()
    return dialog
