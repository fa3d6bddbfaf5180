"""The rules are data: each has a condition, a step or effect, a cap and a source."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from retrowalk.plans import rules
from retrowalk.plans.rules import (
    ADAPTATION_RULES,
    BACKWARD_INTERVAL_MAX_S,
    BACKWARD_INTERVAL_SUPPORTED_S,
    BACKWARD_TOTAL_START_S,
    CUES,
    LEVELS,
    MPH_TO_M_S,
    PROGRESSION_RULES,
    SESSION_DAY_OFFSETS,
    SESSIONS_PER_WEEK_MAX,
    SPEED_STEP_M_S,
    TREADMILL_BEGINNER_MAX_M_S,
    TREADMILL_START_M_S,
    mph,
)

EVIDENCE = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"


def test_levels_follow_the_guidance() -> None:
    for level in LEVELS.values():
        assert 60 <= level.backward_interval_s <= 120, "1-2 minute intervals"
        assert level.backward_total_s == BACKWARD_TOTAL_START_S == 300, "about 5 minutes"
        assert level.backward_interval_max_s <= BACKWARD_INTERVAL_MAX_S
        assert level.treadmill_start_m_s == TREADMILL_START_M_S == mph(1.0)
        assert level.treadmill_max_m_s < mph(2.0), "beginners stay under 2 mph"
        assert level.source
        assert level.evidence
        assert level.condition
        if level.support_required or level.supervision_required:
            assert not level.outdoor_allowed
    ack = LEVELS["acknowledged_risk"]
    assert ack.supervision_required
    assert ack.support_required
    assert not ack.progression_allowed
    assert ack.treadmill_max_m_s == min(lv.treadmill_max_m_s for lv in LEVELS.values())
    assert LEVELS["supported"].backward_interval_s == BACKWARD_INTERVAL_SUPPORTED_S == 60


def test_speed_steps_are_half_a_mile_per_hour() -> None:
    assert pytest.approx(0.5 * 0.44704) == SPEED_STEP_M_S
    assert pytest.approx(TREADMILL_START_M_S + SPEED_STEP_M_S) == TREADMILL_BEGINNER_MAX_M_S


def test_sessions_fall_on_non_consecutive_days() -> None:
    assert set(SESSION_DAY_OFFSETS) == set(range(1, SESSIONS_PER_WEEK_MAX + 1))
    for offsets in SESSION_DAY_OFFSETS.values():
        assert all(b - a >= 2 for a, b in itertools.pairwise(offsets))
        assert all(0 <= o <= 6 for o in offsets)


def test_progression_rules_state_condition_step_cap_and_source() -> None:
    ids = [r.rule_id for r in PROGRESSION_RULES]
    assert ids == [
        "progress.interval_longer",
        "progress.duration",
        "progress.speed",
        "progress.outdoors",
    ], "duration before speed, indoors before outdoors"
    for rule in PROGRESSION_RULES:
        assert rule.condition
        assert rule.step
        assert rule.cap
        assert rule.source
        assert rule.evidence
    assert [r.projected for r in PROGRESSION_RULES] == [True, True, False, False]


def test_adaptation_rules_are_ordered_most_cautious_first() -> None:
    order = {"stop": 0, "regress": 1, "hold": 2, "progress": 3}
    actions = [order[r.action] for r in ADAPTATION_RULES]
    assert actions == sorted(actions)
    ids = [r.rule_id for r in ADAPTATION_RULES]
    assert len(ids) == len(set(ids))
    for rule in ADAPTATION_RULES:
        assert rule.rule_id.startswith(rule.action)
        assert rule.condition
        assert rule.effect
        assert rule.reason
        assert rule.source
        assert rule.evidence
        assert "{detail}" in rule.reason


def test_cues_include_the_technique_from_the_brief() -> None:
    texts = " ".join(c.text for c in CUES.values()).lower()
    for phrase in ("eyes forward", "small steps", "back straight", "hand on the wall or rail"):
        assert phrase in texts
    assert all(c.source and c.evidence for c in CUES.values())


def test_every_constant_and_rule_id_is_in_the_evidence_table() -> None:
    text = EVIDENCE.read_text(encoding="utf-8")
    section = text.split("## Plans and progression", 1)[1].split("\n## ", 1)[0]
    names = [n for n in rules.__all__ if n.isupper() and n not in ("RULES_VERSION",)]
    ids = [r.rule_id for r in (*PROGRESSION_RULES, *ADAPTATION_RULES)]
    missing = [n for n in [*names, *ids, *LEVELS] if f"`{n}`" not in section]
    assert not missing, f"not documented in docs/evidence.md: {missing}"


def test_mph_conversion_is_exact() -> None:
    assert MPH_TO_M_S == 0.44704
    assert pytest.approx(0.44704) == TREADMILL_START_M_S
    assert pytest.approx(1.5 * 0.44704) == TREADMILL_BEGINNER_MAX_M_S
    assert TREADMILL_BEGINNER_MAX_M_S < 2 * MPH_TO_M_S
