"""A date of birth recorded as not known: no review date is made up from it, the
retention review lists the child first to review by hand, and a later 'retain until'
gives the child a date again. Dates of birth have their own range."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.domain.validation import ProblemsError
from app.services.people import NewChild, add_child, new_child_problems
from app.services.retention import REVIEW_BY_HAND, retain, review_list
from tests.plain_store import PlainStore

TODAY = date(2026, 11, 27)


@pytest.fixture
def store(tmp_path: Path) -> PlainStore:
    return PlainStore(tmp_path / "births.db")


def test_not_known_is_reviewed_by_hand_until_someone_gives_a_date(store: PlainStore) -> None:
    known = add_child(store, name="Known", date_of_birth=date(2001, 3, 1), actor="DSL")
    unknown = add_child(store, name="Unknown", date_of_birth=None, actor="DSL")
    assert known.retention_review == date(2026, 3, 1) and unknown.retention_review is None

    due = review_list(store, due_only=True, today=TODAY)
    assert [(i.name, i.review_text) for i in due] == [
        ("Unknown", REVIEW_BY_HAND),
        ("Known", "01/03/2026"),
    ]
    retain(
        store,
        unknown.id,
        reason="Looked into: born in 2015.",
        next_review=date(2040, 1, 1),
        actor="DSL",
        at=datetime(2026, 11, 27, 16, 0),
    )
    assert [i.name for i in review_list(store, due_only=True, today=TODAY)] == ["Known"]
    later = next(i for i in review_list(store) if i.name == "Unknown")
    assert later.review_date == date(2040, 1, 1) and later.date_of_birth is None


def test_a_date_of_birth_has_its_own_range(store: PlainStore) -> None:
    assert new_child_problems(NewChild(name="A", date_of_birth=date(1995, 1, 1))) == []
    assert new_child_problems(NewChild(name="A", date_of_birth=None)) == []
    (problem,) = new_child_problems(NewChild(name="A", date_of_birth=date(1985, 1, 1)))
    assert problem.field == "Date of birth" and "01/01/1990 to 31/12/2075" in problem.reason
    with pytest.raises(ProblemsError, match="outside the dates this app takes for a date of birth"):
        add_child(
            PlainStore.__new__(PlainStore), name="A", date_of_birth=date(1985, 1, 1), actor="D"
        )
