"""Taking a child's (or anyone's) details out of typed text: names in any case and with
or without accents, whole words only, the date of birth however it is written, the
identifiers, and words added by hand (app/domain/redaction.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.redaction import (
    CHILD,
    THIRD_PARTY,
    child_details,
    names,
    phrases,
)

ZOE = child_details("Zoë Nguyễn", date(2014, 9, 22), "UPN: A123456789012; NHS 485 777 3456")


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        # Accents, case, possessive, a combining mark typed after the letter.
        ("Referral about Zoe", "Referral about [child]"),
        ("Referral about Zoë", "Referral about [child]"),
        ("ZOË NGUYỄN said", "[child] said"),
        ("zoe nguyen's mum", "[child]'s mum"),
        ("Zoe\u0308’s brother", "[child]’s brother"),
        ("Nguyen family", "[child] family"),
        ("Nguyễn, Zoë", "[child], [child]"),
        # Parts of other words stay.
        ("Zoey and Zoeline", "Zoey and Zoeline"),
        ("Nguyenville school", "Nguyenville school"),
        # The date of birth, however it is written; another date stays.
        ("born 22/09/2014.", "born [date of birth]."),
        ("born 22.9.2014", "born [date of birth]"),
        ("born 22-09-14", "born [date of birth]"),
        ("born 22 September 2014", "born [date of birth]"),
        ("born 22 Sept 2014", "born [date of birth]"),
        ("born 22nd of Sep. 2014", "born [date of birth]"),
        ("born Monday 22 September 2014", "born [date of birth]"),
        ("born September 22, 2014", "born [date of birth]"),
        ("born 2014-09-22", "born [date of birth]"),
        ("met 23/09/2014 and 22/09/2015", "met 23/09/2014 and 22/09/2015"),
        ("room 122/09/2014", "room 122/09/2014"),
        # Identifiers with or without their spaces.
        ("NHS number 4857773456", "NHS number [identifier]"),
        ("NHS 485-777-3456", "NHS [identifier]"),
        ("UPN A123456789012", "UPN [identifier]"),
        ("reference 3456", "reference 3456"),
    ],
)
def test_the_childs_details_are_taken_out(typed: str, printed: str) -> None:
    assert ZOE.redact(typed) == printed


def test_whole_words_only() -> None:
    ann = child_details("Ann Lee", None, "")
    assert ann.redact("Annual review for Ann; Leeds and Lee") == (
        "Annual review for [child]; Leeds and [child]"
    )


def test_hyphenated_names_whole_and_in_parts() -> None:
    kai = child_details("Kai Brown-Smith Ó Súilleabháin", None, "")
    assert kai.redact("the Brown-Smith family") == "the [child] family"
    assert kai.redact("Mrs Brown and Mr SMITH") == "Mrs [child] and Mr [child]"
    assert kai.redact("Mr O Suilleabhain") == "Mr O [child]"
    assert kai.redact("O said") == "O said"  # a one-letter part is not a name on its own


def test_letters_nfkd_leaves_alone_and_other_scripts() -> None:
    assert child_details("Łucja Wiśniewska", None, "").redact("Lucja and WISNIEWSKA") == (
        f"{CHILD} and {CHILD}"
    )
    assert child_details("Ολγα Παπαδοπούλου", None, "").redact("η ΟΛΓΑ ήρθε") == "η [child] ήρθε"


def test_what_was_taken_out_where() -> None:
    redacted = ZOE.apply({"Disputed": "CSC closed Zoe's case", "Impact": "none", "Owner": ""})
    assert redacted.texts == {
        "Disputed": "CSC closed [child]'s case",
        "Impact": "none",
        "Owner": "",
    }
    [found] = redacted.redactions
    assert (found.field, found.found, found.what) == ("Disputed", "Zoe", "the child's name")
    assert found.excerpt == "CSC closed «Zoe»'s case"
    words = " ".join(f"w{n}" for n in range(10, 40))
    [long] = ZOE.apply({"x": f"{words} Zoe {words}"}).redactions
    assert long.excerpt == (  # 40 characters either side, cut at a space
        "…w31 w32 w33 w34 w35 w36 w37 w38 w39 «Zoe» w10 w11 w12 w13 w14 w15 w16 w17 w18…"
    )


def test_words_added_by_hand() -> None:
    extra = ZOE + phrases(["Acacia Avenue", "  ", "bro"])
    assert extra.redact("lives on acacia  avenue with her bro, brother") == (
        "lives on [redacted] with her [redacted], brother"
    )


def test_third_parties_keep_the_childs_own_names() -> None:
    others = names(
        ["Minh Nguyen", "Mr B Teacher"], THIRD_PARTY, "a third party", keep=["Zoë Nguyễn"]
    )
    assert others.redact("Minh Nguyen, then Minh, saw Zoe Nguyen and Mr B Teacher") == (
        "[third party], then [third party], saw Zoe Nguyen and [third party]"
    )
    assert others.redact("Mr B said") == "Mr B said"  # a title and an initial are no name
