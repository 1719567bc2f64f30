"""A key slot: how one member's passphrase (or the recovery key) reaches the data key.

The design (docs/reliability.md, "The team's key file"; Bitwarden's organisation keys):

* Each slot holds an X25519 key pair. The public key is in the clear; the private key
  is wrapped with AES-256-GCM under a key stretched from the member's passphrase by
  Argon2id (RFC 9106's second recommended parameters: 3 passes, 64 MiB, 4 lanes, a
  16-byte salt of its own, 32 bytes out).
* The data key (SQLCipher's 32-byte raw key) is *sealed* to the slot's public key: an
  ephemeral X25519 key pair, HKDF-SHA256 of the shared secret, AES-256-GCM. Sealing
  needs only the public key, so a DSL removing a member reseals a new data key to every
  member who stays without knowing their passphrases.
* Associated data binds each ciphertext to its place: the private key's to the slot's id
  and the file id; the sealed key's to the slot's id, kind, name, role, public key and
  the file id. A wrong passphrase fails the first (indistinguishable from a damaged
  wrapped key, so it is named as a wrong passphrase); a right passphrase whose sealed key
  then fails means the slot was changed outside the app (a role edited in the file, say):
  it is "damaged", and opens nothing.

``cryptography`` and ``argon2`` are imported inside the functions: the locked window is
painted before either is needed (tests/ui/test_startup_lean.py).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any, Final, Literal

from app.team.member import Member, Role

SlotKind = Literal["member", "recovery"]

DATA_KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
TAG_BYTES: Final = 16
X25519_BYTES: Final = 32
KDF_SALT_BYTES: Final = 16
# RFC 9106, section 4, second recommended option.
TIME_COST: Final = 3
MEMORY_KIB: Final = 65536
LANES: Final = 4
# What a slot may ask for: anything outside is a damaged (or hostile) slot, refused
# before Argon2id runs (a huge memory cost would exhaust the laptop).
_TIME_RANGE: Final = range(1, 11)
_MEMORY_RANGE: Final = range(8 * 1024, 1024 * 1024 + 1)
_LANE_RANGE: Final = range(1, 17)
_SEAL_INFO: Final = b"escalation-tracker sealed data key v1"


class SlotDamaged(Exception):
    """This slot cannot open anything: ``reason`` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WrongSecret(Exception):
    """The passphrase (or recovery key) does not unwrap this slot."""


@dataclass(frozen=True)
class Kdf:
    salt: bytes
    time_cost: int = TIME_COST
    memory_kib: int = MEMORY_KIB
    lanes: int = LANES


@dataclass(frozen=True)
class Slot:
    id: str
    kind: SlotKind
    name: str  # the member's name; "" for the recovery slot
    role: Role | None  # None for the recovery slot
    kdf: Kdf
    public_key: bytes
    wrapped_private: bytes  # nonce + ciphertext + tag
    sealed_key: bytes  # ephemeral public key + nonce + ciphertext + tag

    @property
    def member(self) -> Member | None:
        return Member(self.name, self.role) if self.role is not None else None


def derive(secret: str, kdf: Kdf) -> bytearray:
    """Argon2id of the passphrase (or the normalised recovery key).

    The same bytes as argon2-cffi's ``hash_secret_raw`` (a test compares them), but with
    no more threads than this computer has cores: the lanes stay ``kdf.lanes`` (they
    decide the output), while the threads only share the lanes out. Four threads on a
    two-core school laptop wait on each other at every segment; two take about a
    quarter less time (``make bench``: keyslot)."""
    from argon2.low_level import ARGON2_VERSION, Type, core, error_to_str, ffi

    password = secret.encode("utf-8")
    out = ffi.new("uint8_t[]", 32)
    c_password = ffi.new("uint8_t[]", password)
    c_salt = ffi.new("uint8_t[]", kdf.salt)
    context = ffi.new(
        "argon2_context *",
        {
            "out": out,
            "outlen": 32,
            "pwd": c_password,
            "pwdlen": len(password),
            "salt": c_salt,
            "saltlen": len(kdf.salt),
            "secret": ffi.NULL,
            "secretlen": 0,
            "ad": ffi.NULL,
            "adlen": 0,
            "t_cost": kdf.time_cost,
            "m_cost": kdf.memory_kib,
            "lanes": kdf.lanes,
            "threads": min(kdf.lanes, _cores()),
            "version": ARGON2_VERSION,
            "allocate_cbk": ffi.NULL,
            "free_cbk": ffi.NULL,
            "flags": 0,  # ARGON2_DEFAULT_FLAGS: the password's buffer is not cleared
        },
    )
    try:
        failed = core(context, Type.ID.value)
        if failed:
            raise SlotDamaged(f"The key could not be derived ({error_to_str(failed)}).")
        return bytearray(ffi.buffer(out, 32))
    finally:
        ffi.memmove(c_password, bytes(len(password)), len(password))
        ffi.memmove(out, bytes(32), 32)


def load_ciphers() -> None:
    """Import what unwrapping needs after Argon2id (AES-GCM, X25519, HKDF). Unlocking
    calls it on the window's thread while the worker derives the key (the derivation
    releases the GIL), so the worker does not then spend its own time importing."""
    from cryptography.exceptions import InvalidTag  # noqa: F401
    from cryptography.hazmat.primitives import hashes  # noqa: F401
    from cryptography.hazmat.primitives.asymmetric import x25519  # noqa: F401
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: F401
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF  # noqa: F401
    from cryptography.hazmat.primitives.serialization import Encoding  # noqa: F401


def _cores() -> int:
    """The cores this process may run on (fewer than the machine's under a job limit)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _ad(purpose: str, file_id: str, **fields: object) -> bytes:
    return json.dumps(
        {"purpose": purpose, "file": file_id, **fields}, sort_keys=True, ensure_ascii=False
    ).encode("utf-8")


def _private_ad(slot_id: str, file_id: str) -> bytes:
    return _ad("private key", file_id, slot=slot_id)


def _seal_ad(slot: Slot, file_id: str) -> bytes:
    return _ad(
        "data key",
        file_id,
        slot=slot.id,
        kind=slot.kind,
        name=slot.name,
        role=slot.role.value if slot.role is not None else None,
        public=slot.public_key.hex(),
    )


def _aead_encrypt(key: bytes | bytearray, plain: bytes | bytearray, ad: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(bytes(key)).encrypt(nonce, bytes(plain), ad)


def _aead_decrypt(key: bytes | bytearray, sealed: bytes, ad: bytes) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(bytes(key)).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], ad)
    except InvalidTag:
        return None


def _sealing_key(shared: bytes, ephemeral_public: bytes, public_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    info = _SEAL_INFO + ephemeral_public + public_key
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def new_slot(
    kind: SlotKind, name: str, role: Role | None, secret: str, data_key: bytearray, file_id: str
) -> Slot:
    """A slot for ``secret`` holding ``data_key``."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    public = _raw_public(private)
    slot_id = os.urandom(8).hex()
    kdf = Kdf(salt=os.urandom(KDF_SALT_BYTES))
    wrapping = derive(secret, kdf)
    try:
        wrapped = _aead_encrypt(wrapping, _raw_private(private), _private_ad(slot_id, file_id))
    finally:
        wrapping[:] = bytes(len(wrapping))
    unsealed = Slot(slot_id, kind, name, role, kdf, public, wrapped, b"")
    return reseal(unsealed, data_key, file_id)


def reseal(slot: Slot, data_key: bytearray, file_id: str) -> Slot:
    """The same slot (same pair, same passphrase) holding another data key."""
    from dataclasses import replace

    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(slot.public_key))
    sealing = _sealing_key(shared, ephemeral_public, slot.public_key)
    sealed = ephemeral_public + _aead_encrypt(sealing, data_key, _seal_ad(slot, file_id))
    return replace(slot, sealed_key=sealed)


def rewrap(slot: Slot, private: bytearray, new_secret: str, file_id: str) -> Slot:
    """The same slot and pair under a new passphrase (its sealed key is unchanged)."""
    from dataclasses import replace

    kdf = Kdf(salt=os.urandom(KDF_SALT_BYTES))
    wrapping = derive(new_secret, kdf)
    try:
        wrapped = _aead_encrypt(wrapping, private, _private_ad(slot.id, file_id))
    finally:
        wrapping[:] = bytes(len(wrapping))
    return replace(slot, kdf=kdf, wrapped_private=wrapped)


def unwrap_private(slot: Slot, secret: str, file_id: str) -> bytearray:
    """The slot's private key: ``WrongSecret`` if ``secret`` is not its passphrase,
    ``SlotDamaged`` if it unwraps to a key that is not the slot's pair."""
    wrapping = derive(secret, slot.kdf)
    try:
        private = _aead_decrypt(wrapping, slot.wrapped_private, _private_ad(slot.id, file_id))
    finally:
        wrapping[:] = bytes(len(wrapping))
    if private is None:
        raise WrongSecret()
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    if _raw_public(X25519PrivateKey.from_private_bytes(private)) != slot.public_key:
        raise SlotDamaged("its public key does not match its private key")
    return bytearray(private)


def unseal(slot: Slot, private: bytearray, file_id: str) -> bytearray:
    """The data key sealed in ``slot``; ``SlotDamaged`` if it was changed (a name or a
    role edited outside the app) or is not whole."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )

    ephemeral_public = slot.sealed_key[:X25519_BYTES]
    own = X25519PrivateKey.from_private_bytes(bytes(private))
    shared = own.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    sealing = _sealing_key(shared, ephemeral_public, slot.public_key)
    key = _aead_decrypt(sealing, slot.sealed_key[X25519_BYTES:], _seal_ad(slot, file_id))
    if key is None or len(key) != DATA_KEY_BYTES:
        raise SlotDamaged("its name, role or sealed key was changed outside the app")
    return bytearray(key)


def _raw_public(private: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return bytes(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def _raw_private(private: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    return bytes(private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


# The slot as stored --------------------------------------------------------------------


def to_json(slot: Slot) -> dict[str, Any]:
    return {
        "id": slot.id,
        "kind": slot.kind,
        "name": slot.name,
        "role": slot.role.value if slot.role is not None else None,
        "kdf": {
            "algorithm": "argon2id",
            "salt": _b64(slot.kdf.salt),
            "time_cost": slot.kdf.time_cost,
            "memory_kib": slot.kdf.memory_kib,
            "lanes": slot.kdf.lanes,
        },
        "public_key": _b64(slot.public_key),
        "wrapped_private_key": _b64(slot.wrapped_private),
        "sealed_data_key": _b64(slot.sealed_key),
    }


def from_json(value: object) -> Slot:
    """A slot read from the key file; ``SlotDamaged`` naming what is missing or wrong."""
    if not isinstance(value, dict):
        raise SlotDamaged("it is not a slot at all")
    slot_id = _text(value, "id")
    kind = _text(value, "kind")
    if kind not in ("member", "recovery"):
        raise SlotDamaged(f"its kind {kind!r} is not one this version knows")
    name = _text(value, "name")
    role_value = value.get("role")
    role: Role | None = None
    if kind == "member":
        if role_value not in {r.value for r in Role}:
            raise SlotDamaged(f"its role {role_value!r} is not one this version knows")
        role = Role(str(role_value))
        if not name.strip():
            raise SlotDamaged("it has no name")
    kdf_value = value.get("kdf")
    if not isinstance(kdf_value, dict) or kdf_value.get("algorithm") != "argon2id":
        raise SlotDamaged("its key derivation is missing or not Argon2id")
    kdf = Kdf(
        salt=_bytes(kdf_value, "salt", KDF_SALT_BYTES),
        time_cost=_int(kdf_value, "time_cost", _TIME_RANGE),
        memory_kib=_int(kdf_value, "memory_kib", _MEMORY_RANGE),
        lanes=_int(kdf_value, "lanes", _LANE_RANGE),
    )
    return Slot(
        id=slot_id,
        kind=kind,  # type: ignore[arg-type]  # checked above
        name=name,
        role=role,
        kdf=kdf,
        public_key=_bytes(value, "public_key", X25519_BYTES),
        wrapped_private=_bytes(value, "wrapped_private_key", NONCE_BYTES + 32 + TAG_BYTES),
        sealed_key=_bytes(
            value, "sealed_data_key", X25519_BYTES + NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES
        ),
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _text(value: dict[str, Any], field: str) -> str:
    text = value.get(field)
    if not isinstance(text, str):
        raise SlotDamaged(f"its {field.replace('_', ' ')} is missing")
    return text


def _int(value: dict[str, Any], field: str, allowed: range) -> int:
    number = value.get(field)
    if not isinstance(number, int) or isinstance(number, bool) or number not in allowed:
        raise SlotDamaged(f"its {field.replace('_', ' ')} is missing or out of range")
    return number


def _bytes(value: dict[str, Any], field: str, length: int) -> bytes:
    import binascii

    try:
        data = base64.b64decode(_text(value, field), validate=True)
    except (binascii.Error, ValueError):
        raise SlotDamaged(f"its {field.replace('_', ' ')} is not readable") from None
    if len(data) != length:
        raise SlotDamaged(f"its {field.replace('_', ' ')} has the wrong length")
    return data
