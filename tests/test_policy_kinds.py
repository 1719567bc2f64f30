"""A pathway's kind is one of a closed set: given as ``kind``, or named by its id."""

from __future__ import annotations

import pytest

from app.errors import PolicyError
from app.policy import default_library, parse_policy
from app.policy.pathway_kind import PathwayKind
from app.services.escalation_rows import stored_pathway

POLICY = """
id = "testshire"
partnership = "Testshire Safeguarding Children Partnership"
short_name = "TSCP"
immediate_risk = "Call 999."

[document]
title = "Resolving professional differences"
issued = "2024-05"
version = "1"

[[pathways]]
{pathway}
title = "Escalating a disagreement"
summary = "When you disagree with another agency."

[[pathways.stages]]
number = 1
title = "Talk to the worker"
owner = "Practitioner"
action = "Discuss it."
timescales = [{{ unit = "working_days", amount = 2, text = "2 working days" }}]
"""


def test_every_shipped_pathway_is_named_by_its_kind_or_says_it() -> None:
    library = default_library()
    pathways = [p for policy_id in library.ids() for p in library.get(policy_id).pathways]
    assert len(pathways) > 10
    own_ids = {p.id: p.kind for p in pathways if p.id not in set(PathwayKind)}
    # Suffolk's procedure for a child placed by another authority has its own id.
    assert own_ids == {
        "placed-child-incident": PathwayKind.RESOLUTION,
        "allegations-direct": PathwayKind.ALLEGATIONS,
    }
    assert all(p.kind is PathwayKind(p.id) for p in pathways if p.id not in own_ids)
    assert {p.kind for p in pathways} == set(PathwayKind)


def test_a_pathway_may_have_its_own_id_and_a_kind() -> None:
    policy = parse_policy(
        POLICY.format(pathway='id = "early-help-route"\nkind = "resolution"'), "test"
    )
    pathway = policy.pathway("early-help-route")
    assert pathway.kind is PathwayKind.RESOLUTION
    # Stored with its kind, so the list reads it without the schema.
    assert stored_pathway(pathway.model_dump_json()).kind is PathwayKind.RESOLUTION


@pytest.mark.parametrize(
    ("pathway", "words"),
    [
        ('id = "early-help-route"', "pathways[0].id: 'early-help-route' is not allowed"),
        ('id = "early-help-route"\nkind = "fast-track"', "pathways[0].kind: 'fast-track'"),
        ('id = "Early help"\nkind = "resolution"', "pathways[0].id"),
    ],
)
def test_a_pathway_of_no_known_kind_is_refused(pathway: str, words: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(POLICY.format(pathway=pathway), "test")
    assert words in str(caught.value)


def test_a_pathway_stored_before_kinds_is_named_by_its_id() -> None:
    pathway = default_library().get("suffolk").pathway("plan-dissent")
    stored = pathway.model_dump_json().replace('"kind":"plan-dissent",', "")
    assert '"kind"' not in stored
    assert stored_pathway(stored).kind is PathwayKind.PLAN_DISSENT
    assert type(pathway).model_validate_json(stored).kind is PathwayKind.PLAN_DISSENT
