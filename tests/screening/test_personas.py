"""Persona fixtures: each profile gives its expected clearance and at least its expected rules."""

from __future__ import annotations

import pytest

from retrowalk.screening import Clearance, screen
from tests.strategies import load_personas

PERSONAS = load_personas()


def test_there_are_enough_personas_covering_every_outcome() -> None:
    assert len(PERSONAS) >= 14
    assert {p.expected_clearance for p in PERSONAS} == {c.value for c in Clearance}


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_persona_gets_expected_clearance(persona) -> None:
    result = screen(persona.profile)
    assert result.clearance == persona.expected_clearance, persona.description
    fired = {r.rule_id for r in result.reasons}
    assert set(persona.expected_rules) <= fired


@pytest.mark.parametrize(
    ("name", "clearance"),
    [
        ("runner_25_treadmill", "go"),
        ("fell_last_year_72", "go_with_support"),
        ("knee_oa_55_pain5", "see_professional_first"),
        ("vertigo_48", "see_professional_first"),
        ("pregnant_31", "see_professional_first"),
        ("desk_worker_hallway_40", "go"),
        ("parkinsons_66", "see_professional_first"),
    ],
)
def test_the_seven_personas_named_in_the_issue(name: str, clearance: str) -> None:
    persona = next(p for p in PERSONAS if p.name == name)
    assert screen(persona.profile).clearance == clearance


def test_older_or_supported_personas_are_recommended_the_3mbwt() -> None:
    for persona in PERSONAS:
        result = screen(persona.profile)
        if persona.profile.age_years >= 65 or result.clearance is Clearance.GO_WITH_SUPPORT:
            assert result.recommend_3mbwt, persona.name
