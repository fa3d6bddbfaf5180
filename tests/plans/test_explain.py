"""What a plan tells its walker, and that its numbers come from the rules (plans/explain.py)."""

from __future__ import annotations

import pytest

from retrowalk.plans import Plan, explain, generate_plan, rules
from retrowalk.plans.build import session_length_s
from retrowalk.plans.rules import LEVELS, mph
from retrowalk.profile import Equipment
from retrowalk.screening import Clearance
from retrowalk.vocabulary import RpeScale
from tests.plans.helpers import START, profile, screening


def test_minutes_per_day_hold_progression_and_say_what_is_needed() -> None:
    plan = generate_plan(
        profile(minutes_per_day=20), screening(Clearance.GO_WITH_SUPPORT), start_on=START
    )
    assert {s.backward_s for s in plan.sessions} == {300}
    assert all(s.total_s <= 20 * 60 for s in plan.sessions)
    assert any("min a day" in line and "next step" in line for line in plan.explanation)


def _supported_treadmill_plan() -> Plan:
    """A plan whose explanation has every general note (progression, treadmill, support)."""
    return generate_plan(
        profile(equipment=frozenset({Equipment.TREADMILL_WITH_RAILS})),
        screening(Clearance.GO_WITH_SUPPORT),
        start_on=START,
    )


def _notes(plan: Plan, held: tuple[float, float] | None = None) -> str:
    return " ".join(
        explain.plan_notes(
            plan.state,
            LEVELS[plan.state.level],
            first=plan.weeks[0].sessions[0],
            full_s=session_length_s(plan.state),
            held=held,
        )
    )


def test_plan_notes_say_the_rules_numbers() -> None:
    notes = _notes(_supported_treadmill_plan(), held=(390.0, 1530.0))
    for words in (
        "1-2 minute intervals, about 5 minutes in all",
        "5 min warm-up, recoveries and 5 min cool-down",
        "needs 26 min a day",
        "(guidance: 5-10, then 10-15 minutes), rising at most 30% a week",
        "start at 1.0 mph (0.45 m/s), never above 1.5 mph (0.67 m/s)",
        "rises by 0.5 mph (0.22 m/s)",
        "able to talk in sentences but not sing (Borg 12-13, CR10 3-4)",
        "pain of 4/10 or more",
        "up to 10 min backward",
    ):
        assert words in notes


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("BACKWARD_INTERVAL_SUPPORTED_S", 30.0, "0.5-2 minute intervals"),
        ("BACKWARD_TOTAL_START_S", 240.0, "about 4 minutes in all"),
        ("WARM_UP_S", 240.0, "4 min warm-up"),
        ("COOL_DOWN_S", 420.0, "7 min cool-down"),
        ("BACKWARD_TOTAL_MAX_S", 1200.0, "then 10-20 minutes"),
        ("WEEKLY_INCREASE_MAX_FRACTION", 0.25, "rising at most 25% a week"),
        ("SPEED_STEP_M_S", mph(0.4), "rises by 0.4 mph"),
        (
            "EFFORT_BANDS",
            {RpeScale.BORG_6_20: (11.0, 14.0), RpeScale.CR10: (2.0, 5.0)},
            "Borg 11-14, CR10 2-5",
        ),
        ("PAIN_REGRESS_AT", 5, "pain of 5/10 or more"),
    ],
)
def test_plan_notes_take_their_numbers_from_the_rules(
    monkeypatch: pytest.MonkeyPatch, name: str, value: object, words: str
) -> None:
    """No number is restated by hand: change a rule and the text follows."""
    plan = _supported_treadmill_plan()
    assert words not in _notes(plan, held=(390.0, 1530.0))
    monkeypatch.setattr(rules, name, value)
    assert words in _notes(plan, held=(390.0, 1530.0))


def test_session_week_and_frequency_words_take_their_numbers_from_the_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = _supported_treadmill_plan()
    monkeypatch.setattr(rules, "WARM_UP_S", 240.0)
    monkeypatch.setattr(rules, "WEEKLY_GOAL_MINUTES", 300)
    monkeypatch.setattr(rules, "WEEKLY_INCREASE_MAX_FRACTION", 0.2)
    monkeypatch.setattr(rules, "SESSIONS_PER_WEEK_MAX", 4)
    _, rationale = explain.session_words(
        plan.state, week=1, count=5, interval_s=60.0, full_s=session_length_s(plan.state)
    )
    assert "4 min forward warm-up" in rationale
    assert "toward the 300 min a week" in explain.week_note(plan.weeks[0], "")
    assert "at most 20%" in explain.trimmed_note()
    assert "planned on 4 non-consecutive days" in (explain.frequency_note(5, 4) or "")
    assert "the trials used 4 a week" in (explain.frequency_note(2, 2) or "")
    assert explain.frequency_note(4, 4) is None


def test_session_words_say_the_belt_speed_and_the_shortening() -> None:
    plan = generate_plan(
        profile(equipment=frozenset({Equipment.TREADMILL_WITH_RAILS}), minutes_per_day=10),
        screening(),
        start_on=START,
    )
    first = plan.weeks[0].sessions[0]
    assert first.title.startswith("Week 1: ")
    assert "Belt at 1.0 mph (0.45 m/s), never above 1.5 mph (0.67 m/s)." in first.rationale
    assert "Shortened to fit your 10 min a day" in first.rationale
