"""The view records moved to ``app.domain.views``, below both the services and the
documents that read them. Kept as a re-export only while modules being restructured
elsewhere (``ui.widgets.forms``) still import it from here; new code imports
``app.domain.views``."""

from app.domain.views import (
    ChildView,
    ContactView,
    EscalationDetail,
    EscalationRow,
    RecordView,
    StageMove,
    StageView,
    VersionView,
)

__all__ = [
    "ChildView",
    "ContactView",
    "EscalationDetail",
    "EscalationRow",
    "RecordView",
    "StageMove",
    "StageView",
    "VersionView",
]
