"""Adopting a newer version of a policy changes an escalation's pinned form (its version
and its pathway's digest) lawfully, so ``check`` stays quiet; the same change made
behind the service's back, or any other change after it, is still named."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from app import clock
from app.services.policy_adoption import adopt_version
from app.storage.datafile import check_data_file, open_data_file
from tests.fixtures.make_fixture import PASSPHRASE
from tests.newer_policy import with_newer
from tests.tampering import careful, tamper_and_check

FIXTURE = sorted((Path(__file__).parent.parent / "fixtures").glob("schema-*.etdb"))[-1]
REF = "ESC-2026-0001"  # the demo's open Gloucestershire escalation, at stage 3
ALTERED = f"Escalation {REF}: the form as recorded when it was opened"


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The newest fixture after the DSL adopted Gloucestershire's revision 2 for REF."""
    path = tmp_path_factory.mktemp("adopted") / "data.etdb"
    shutil.copyfile(FIXTURE, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: datetime(2027, 1, 6, 9, 0))
        with open_data_file(path, PASSPHRASE) as db:
            adopt_version(db, with_newer(), REF, "Not stated (revision 2)", actor="DSL")
            assert check_data_file(db) == []
    return path


def test_check_is_ok_after_an_adoption(adopted: Path) -> None:
    with open_data_file(adopted, PASSPHRASE) as db:
        assert check_data_file(db) == []


def test_a_snapshot_swapped_without_the_service_is_reported(tmp_path: Path, adopted: Path) -> None:
    # Back to the pathway it followed before, with no adoption and no re-pin.
    swap = careful(
        "UPDATE escalation SET snapshot_id = (SELECT min(id) FROM pathway_snapshot "
        "WHERE policy_id = 'gloucestershire') WHERE ref = '{ref}'"
    )
    problems = tamper_and_check(adopted, tmp_path, swap, {"ref": REF})
    assert problems and problems[0].startswith(ALTERED), problems


def test_a_swap_in_a_file_never_adopted_is_reported(tmp_path: Path) -> None:
    """The adopted pathway put in place by hand: the row and the snapshot as adopting
    would leave them, without the record or the re-pin."""
    swap = careful(
        "INSERT INTO pathway_snapshot (digest, policy_id, policy_version, pathway_id, content) "
        "SELECT 'x', policy_id, 'Not stated (revision 2)', pathway_id, "
        "replace(content, 'GSCP (Resolution Panel)', 'Someone else') FROM pathway_snapshot "
        "WHERE id = (SELECT snapshot_id FROM escalation WHERE ref = '{ref}')",
        "UPDATE escalation SET policy_version = 'Not stated (revision 2)', "
        "snapshot_id = (SELECT max(id) FROM pathway_snapshot) WHERE ref = '{ref}'",
    )
    problems = tamper_and_check(FIXTURE, tmp_path, swap, {"ref": REF})
    assert problems[0].startswith(ALTERED), problems


def test_another_change_after_an_adoption_is_still_named(tmp_path: Path, adopted: Path) -> None:
    edit = careful("UPDATE escalation SET disputed = 'Something else' WHERE ref = '{ref}'")
    problems = tamper_and_check(adopted, tmp_path, edit, {"ref": REF})
    assert problems == [
        f"Escalation {REF}'s dispute was changed from 'Referral closed at the front door "
        "with no assessment despite…' to 'Something else'."
    ]
