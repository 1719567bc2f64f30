"""Checking a data file is sound: every page's tamper check, then SQLite's structure.

Used for the open file (``Database.integrity_problems``) and for every copy before it is
trusted (a backup before it is kept, a backup before it is restored), so all three find
the same problems and word them the same way.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import sqlcipher3

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPICursor

_HMAC_FAILURE = re.compile(r"HMAC verification failed for page (\d+)", re.IGNORECASE)


def integrity_problems(cursor: DBAPICursor) -> list[str]:
    """Both checks, in plain English; [] when the file is sound."""
    problems: list[str] = []
    try:
        # Checks every page's HMAC: finds tampering and bit rot anywhere in the file.
        cursor.execute("PRAGMA cipher_integrity_check")
        for (message,) in cursor.fetchall():
            match = _HMAC_FAILURE.search(str(message))
            if match:
                problems.append(
                    f"Page {match.group(1)} of the file has been damaged or altered "
                    "(its tamper check failed)."
                )
            else:
                problems.append(f"The encryption check found a problem: {message}.")
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"The encryption check could not be completed ({exc}).")
    try:
        # Checks the database structure (indexes, page links) on the decrypted pages.
        cursor.execute("PRAGMA integrity_check")
        for (message,) in cursor.fetchall():
            if message != "ok":
                problems.append(f"The database structure is damaged: {message}.")
    except sqlcipher3.DatabaseError as exc:
        problems.append(f"The database could not be read completely ({exc}).")
    return problems
