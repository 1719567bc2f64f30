"""Producing a PDF under a record seal: the one way every generated document is made.

The document is rendered with the chain's current seal in its footer and metadata, then
its SHA-256 is appended as the very next audit entry, so seal ``N`` and the entry
``N + 1`` that records the PDF belong together (``app.storage.seals``). If anything was
written in between (the entry would no longer be ``N + 1``), it is rendered again under
the new seal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app import clock
from app.domain.seal import Seal
from app.errors import KnownError
from app.services.store import Sessions
from app.storage import audit
from app.storage.role_guard import printing_recorded
from app.storage.seals import current_seal

ATTEMPTS = 3


@dataclass(frozen=True)
class SealedPdf:
    pdf: bytes
    sha256: str
    seal: Seal  # printed on every page; the PDF's own entry is seal.entry + 1
    at: datetime


def produce_sealed(
    store: Sessions,
    render: Callable[[datetime], bytes],
    *,
    action: str,
    target: str,
    actor: str,
) -> SealedPdf:
    """``render(generated_at)`` under the current seal, recorded as ``action`` on
    ``target`` in the entry right after the seal."""
    # Imported here: ReportLab is loaded only when a document is made.
    from app.documents.layout import sealed

    for _attempt in range(ATTEMPTS):
        with store.session() as session:
            seal = current_seal(session)
        now = clock.now()
        with sealed(seal):
            pdf = render(now)
        digest = hashlib.sha256(pdf).hexdigest()
        with store.session() as session:
            if current_seal(session) != seal:
                continue  # written to meanwhile: render again under the new seal
            # A read-only member may print, and every printed copy is in the audit: the
            # one write their role allows (app.storage.role_guard).
            with printing_recorded(session):
                audit.append(
                    session,
                    actor=actor,
                    action=action,
                    target=target,
                    content=None,
                    digest=digest,
                    at=now,
                )
        return SealedPdf(pdf, digest, seal, now)
    raise KnownError(
        "The file was being changed while the document was made, so it was not made. "
        "Try again in a moment."
    )
