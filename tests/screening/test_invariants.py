"""Safety invariants over hypothesis-generated profiles."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.profile import Condition, Profile
from retrowalk.screening import RULES, Clearance, screen
from retrowalk.screening.rules import DEFAULT_RULE, PAIN_SEE_PROFESSIONAL_MIN
from tests.strategies import profiles

SERIOUS_CONDITIONS = {
    Condition.PREGNANCY,
    Condition.RECENT_SURGERY,
    Condition.HEART_CONDITION,
    Condition.PARKINSONS,
    Condition.STROKE,
    Condition.MULTIPLE_SCLEROSIS,
    Condition.VESTIBULAR_DISORDER,
    Condition.KNEE_OSTEOARTHRITIS,
}
RULE_BY_ID = {r.id: r for r in (*RULES, DEFAULT_RULE)}


@settings(max_examples=300)
@given(profiles())
def test_clearance_is_the_most_cautious_fired_outcome(profile: Profile) -> None:
    result = screen(profile)
    assert result.reasons, "the user always sees at least one reason"
    ranks = [r.outcome.rank for r in result.reasons]
    assert max(ranks) == result.clearance.rank
    assert ranks == sorted(ranks, reverse=True), "most cautious reasons first"
    for reason in result.reasons:
        rule = RULE_BY_ID[reason.rule_id]
        assert reason.outcome is rule.outcome
        assert reason.source
        assert reason.evidence
        assert reason.text


@settings(max_examples=300)
@given(profiles())
def test_flagged_people_always_get_support_and_supervision(profile: Profile) -> None:
    result = screen(profile)
    flagged = result.clearance is not Clearance.GO
    assert result.requires_support is flagged
    assert result.requires_supervision is flagged
    if flagged:
        assert result.recommend_3mbwt


@settings(max_examples=300)
@given(profiles())
def test_serious_flags_never_give_go(profile: Profile) -> None:
    result = screen(profile)
    serious = (
        bool(profile.conditions & SERIOUS_CONDITIONS)
        or any(profile.parq.values())
        or profile.dizziness
        or profile.max_pain >= PAIN_SEE_PROFESSIONAL_MIN
    )
    if serious:
        assert result.clearance is Clearance.SEE_PROFESSIONAL_FIRST
    fall_risk = (
        profile.falls_past_year > 0
        or profile.fear_of_falling
        or profile.uses_walking_aid
        or Condition.LOW_VISION in profile.conditions
        or profile.max_pain > 0
        or profile.age_years >= 65
    )
    if serious or fall_risk:
        assert result.clearance is not Clearance.GO
        assert result.requires_support


@settings(max_examples=200)
@given(profiles(healthy=True))
def test_healthy_adults_under_65_get_go(profile: Profile) -> None:
    result = screen(profile)
    assert result.clearance is Clearance.GO
    assert not result.requires_support
    assert "no_risk_found" in {r.rule_id for r in result.reasons}


@settings(max_examples=100)
@given(profiles(), st.sampled_from(list(Condition)))
def test_adding_a_risk_never_makes_screening_less_cautious(
    profile: Profile, condition: Condition
) -> None:
    before = screen(profile).clearance
    worse = profile.model_copy(update={"conditions": profile.conditions | {condition}})
    assert screen(worse).clearance.rank >= before.rank


@settings(max_examples=100)
@given(profiles())
def test_result_is_json_ready_and_complete(profile: Profile) -> None:
    result = screen(profile)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {
        "clearance",
        "reasons",
        "requires_support",
        "requires_supervision",
        "recommend_3mbwt",
        "rules_version",
    }
    assert data["clearance"] == result.clearance.value
    assert [r["rule_id"] for r in data["reasons"]] == [r.rule_id for r in result.reasons]
    assert all(
        set(r) == {f.name for f in dataclasses.fields(result.reasons[0])} for r in data["reasons"]
    )
