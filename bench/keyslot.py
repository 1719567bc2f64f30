"""The team's unlock cost (issue 23): unwrapping a member's slot alone (Argon2id at RFC
9106's second recommended parameters, AES-256-GCM, the X25519 unseal of the data key)
against SQLCipher's own key derivation for a passphrase file (PBKDF2-HMAC-SHA512,
256,000 iterations: ``keys.derive_raw_key``), timed in turn in the same run. Target:
at most 5 times. Both run on the unlock's worker thread (``keys.InBackground``)."""

from __future__ import annotations

import os
from collections.abc import Callable

PASSPHRASE = "bench passphrase: orchard lantern pebble"


def keyslot_figure(interleaved: Callable[..., tuple[float, float]]) -> dict[str, float]:
    from app.storage import keyslots
    from app.storage.keys import derive_raw_key, zero_key
    from app.team.member import Role

    file_id = os.urandom(16).hex()
    data_key = bytearray(os.urandom(32))
    slot = keyslots.new_slot("member", "Bench DSL", Role.DSL, PASSPHRASE, data_key, file_id)
    salt = os.urandom(16)

    def unwrap() -> None:
        private = keyslots.unwrap_private(slot, PASSPHRASE, file_id)
        key = keyslots.unseal(slot, private, file_id)
        assert key == data_key
        zero_key(private)
        zero_key(key)

    def pbkdf2() -> None:
        zero_key(derive_raw_key(PASSPHRASE, salt))

    unwrap_s, pbkdf2_s = interleaved(unwrap, pbkdf2)
    return {"unwrap_s": unwrap_s, "pbkdf2_s": pbkdf2_s, "ratio": unwrap_s / pbkdf2_s}
