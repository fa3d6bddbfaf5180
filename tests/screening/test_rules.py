"""Rules are data: every rule has an id, outcome, plain reason, source and evidence label."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrowalk.profile import PARQ_QUESTIONS, Condition
from retrowalk.screening import RULES, RULES_VERSION, Clearance, screen
from retrowalk.screening.questions import QUESTIONS, AnswerKind
from retrowalk.screening.rules import DEFAULT_RULE
from tests.strategies import load_personas

EVIDENCE_MD = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"
ALL_RULES = (*RULES, DEFAULT_RULE)
DIAGNOSIS_WORDS = ("you have been diagnosed", "you suffer", "diagnosis:")


def test_rule_ids_are_unique_and_snake_case() -> None:
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert all(i.replace("_", "").isalnum() and i == i.lower() for i in ids)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_is_complete_and_plain(rule) -> None:
    assert rule.condition
    assert rule.source
    assert rule.evidence
    assert rule.reason.endswith((".", ")"))
    assert not any(w in rule.reason.lower() for w in DIAGNOSIS_WORDS)
    assert isinstance(rule.outcome, Clearance)


def test_every_parq_question_has_a_see_professional_rule() -> None:
    for question in PARQ_QUESTIONS:
        rule = next(r for r in RULES if r.id == f"parq_{question.id}")
        assert rule.outcome is Clearance.SEE_PROFESSIONAL_FIRST


def test_every_condition_is_covered_by_a_rule() -> None:
    conditions_named = " ".join(r.condition for r in RULES)
    for condition in Condition:
        assert condition.value in conditions_named


def test_every_rule_is_documented_in_evidence_md() -> None:
    text = EVIDENCE_MD.read_text(encoding="utf-8")
    for rule in ALL_RULES:
        assert f"`{rule.id}`" in text, rule.id
    assert RULES_VERSION in text


def test_pain_thresholds() -> None:
    persona = next(p for p in load_personas() if p.name == "runner_25_treadmill")
    for level, expected in [
        (0, "go"),
        (1, "go_with_support"),
        (3, "go_with_support"),
        (4, "see_professional_first"),
        (10, "see_professional_first"),
    ]:
        profile = persona.profile.model_copy(update={"pain": {"knee": level}})
        assert screen(profile).clearance == expected, level


def test_questions_cover_every_required_profile_field_in_order() -> None:
    fields = [q.field for q in QUESTIONS]
    assert fields[0] == "age_years"
    assert [f for f in fields if f.startswith("parq.")] == [f"parq.{q.id}" for q in PARQ_QUESTIONS]
    for name in (
        "sex",
        "mass_kg",
        "height_m",
        "conditions",
        "falls_past_year",
        "fear_of_falling",
        "dizziness",
        "pain",
        "uses_walking_aid",
        "equipment",
    ):
        assert name in fields
    for q in QUESTIONS:
        assert q.text
        assert q.accepted
        if q.kind in (AnswerKind.CHOICE, AnswerKind.MULTI_CHOICE):
            assert q.choices
