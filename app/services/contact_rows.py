"""The contacts directory, read with plain SQL on a ``read()`` connection.

It fills the Contacts tab straight after every unlock; read through the ORM it would
load SQLAlchemy, a large share of the app's memory, before the DSL has done anything
that needs it (docs/performance.md). Writes stay in ``people``.
"""

from __future__ import annotations

from app.domain.views import ContactView
from app.services.store import ReadStore

# Named officers first, then by name: as the directory has always been ordered.
_CONTACTS = """
    SELECT id, name, agency, role, phone, email, named_officer_role, internal
    FROM contact ORDER BY named_officer_role DESC, name
"""


def list_contacts(store: ReadStore) -> list[ContactView]:
    with store.read() as connection:
        return [
            ContactView(cid, name, agency, role, phone, email, officer, bool(internal))
            for cid, name, agency, role, phone, email, officer, internal in connection.execute(
                _CONTACTS
            )
        ]
