"""Argon2id as the key slots derive it: the same bytes as argon2-cffi's own
``hash_secret_raw`` whatever the number of threads (only the lanes decide the output),
so a file made on a four-core laptop opens on a two-core one and back."""

from __future__ import annotations

import pytest
from argon2 import low_level
from argon2.low_level import Type, hash_secret_raw

from app.storage import keyslots

SALT = bytes(range(16))


@pytest.mark.parametrize("cores", [1, 2, 3, 8])
@pytest.mark.parametrize("secret", ["correct horse battery", "pässwörd ñ 密码 كلمة"])
def test_the_same_key_on_any_number_of_cores(
    monkeypatch: pytest.MonkeyPatch, cores: int, secret: str
) -> None:
    monkeypatch.setattr(keyslots, "_cores", lambda: cores)
    kdf = keyslots.Kdf(SALT, time_cost=1, memory_kib=8 * 1024, lanes=4)
    expected = hash_secret_raw(secret.encode("utf-8"), SALT, 1, 8 * 1024, 4, 32, Type.ID)
    assert bytes(keyslots.derive(secret, kdf)) == expected


def test_never_more_threads_than_cores_or_lanes(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int]] = []
    real_core = low_level.core

    def spy(context: object, kind: int) -> int:
        seen.append((context.lanes, context.threads))  # type: ignore[attr-defined]
        return int(real_core(context, kind))

    monkeypatch.setattr(low_level, "core", spy)
    for cores, lanes in ((2, 4), (8, 4), (1, 4), (3, 2)):
        monkeypatch.setattr(keyslots, "_cores", lambda cores=cores: cores)
        keyslots.derive("x", keyslots.Kdf(SALT, time_cost=1, memory_kib=8 * 1024, lanes=lanes))
    assert seen == [(4, 2), (4, 4), (4, 1), (2, 2)]
