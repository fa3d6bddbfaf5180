"""Adaptive progression: each rule of issue 4, plus property tests."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.plans import PlanChange, SessionOutcome, adapt, generate_plan, replan
from retrowalk.plans.progression import Logged, is_good_session, logged
from retrowalk.plans.rules import (
    ADAPTATION_RULES,
    BACKWARD_INTERVAL_SUPPORTED_S,
    BACKWARD_TOTAL_START_S,
    PROGRESSION_RULES,
    SPEED_STEP_M_S,
    TREADMILL_BEGINNER_MAX_M_S,
    TREADMILL_START_M_S,
    WEEKLY_INCREASE_MAX_FRACTION,
    AdaptationRule,
    EffortBand,
)
from retrowalk.profile import Equipment
from retrowalk.screening import Clearance
from retrowalk.vocabulary import Environment, Support
from tests.plans.helpers import (
    START,
    beginner_plan,
    check_plan,
    days,
    good,
    outcomes,
    profile,
    screening,
    treadmill_plan,
)

RULE_IDS = {r.rule_id for r in ADAPTATION_RULES} | {r.rule_id for r in PROGRESSION_RULES}


def run(state, sessions):
    history: list[SessionOutcome] = []
    changes = []
    for outcome in sessions:
        change = adapt(state, outcome, history)
        assert change.before == state
        assert change.reason
        assert change.source
        assert change.rule_id in RULE_IDS
        changes.append(change)
        state = change.after
        history.append(outcome)
    return changes


# --- progress -----------------------------------------------------------------------------


def test_progress_needs_a_full_week_of_good_sessions() -> None:
    plan = beginner_plan()
    dates = days(START + timedelta(days=7), 4)
    changes = run(plan.state, [good(d) for d in dates])
    assert [c.action for c in changes] == ["hold", "hold", "progress", "hold"]
    assert changes[0].rule_id == "hold.consolidate"
    assert "2 more good sessions" in changes[0].reason
    step = changes[2]
    assert step.rule_id == "progress.duration"
    assert step.after.backward_total_s == 390
    assert step.after.backward_total_s <= step.before.backward_total_s * 1.3
    assert step.after.last_change_on == dates[2]


def test_progress_waits_seven_days_since_the_last_change() -> None:
    plan = beginner_plan()
    changes = run(plan.state, [good(d) for d in days(START, 3, step=1)])
    assert [c.action for c in changes] == ["hold"] * 3
    assert "7 days" in changes[-1].reason


def test_light_effort_also_counts_as_good() -> None:
    plan = beginner_plan()
    sessions = [
        SessionOutcome(d, True, rpe_borg=10, pain_0_10=1) for d in days(START + timedelta(7), 3)
    ]
    assert run(plan.state, sessions)[-1].action == "progress"


def test_duration_before_speed_on_the_treadmill() -> None:
    state = treadmill_plan().state
    seen = []
    on = START + timedelta(days=7)
    for _ in range(40):
        for d in days(on, 3):
            change = adapt(state, good(d))
            state = change.after
        on = on + timedelta(days=7)
        if change.action == "progress":
            seen.append((change.rule_id, change))
    ids = [rule_id for rule_id, _ in seen]
    assert ids.index("progress.speed") > max(
        i for i, r in enumerate(ids) if r in ("progress.duration", "progress.interval_longer")
    )
    for rule_id, change in seen:
        if rule_id == "progress.speed":
            assert change.before.backward_total_s == change.before.backward_total_max_s
            step = change.after.treadmill_speed_m_s - change.before.treadmill_speed_m_s
            assert step == pytest.approx(SPEED_STEP_M_S)
    last_speed = [c for r, c in seen if r == "progress.speed"][-1]
    assert last_speed.after.treadmill_speed_m_s == pytest.approx(TREADMILL_BEGINNER_MAX_M_S)
    # Indoors before outdoors: the track comes last, after speed.
    assert ids[-1] == "progress.outdoors"
    assert state.environment is Environment.TRACK
    assert state.support is Support.NONE


def test_speed_never_rises_without_steady_form() -> None:
    state = treadmill_plan().state
    state = dataclasses.replace(state, backward_total_s=state.backward_total_max_s)
    for form in (None, False):
        change = run(state, [good(d, form_steady=form) for d in days(START + timedelta(7), 3)])
        assert change[-1].action == "hold"
        assert change[-1].rule_id == "hold.at_top"
        assert "steady form" in change[-1].reason
    change = run(state, [good(d) for d in days(START + timedelta(7), 3)])[-1]
    assert change.rule_id == "progress.speed"
    assert change.after.treadmill_speed_m_s == pytest.approx(TREADMILL_START_M_S + SPEED_STEP_M_S)


# --- hold ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "rule_id"),
    [
        (SessionOutcome(START, False, rpe_borg=12), "hold.incomplete"),
        (SessionOutcome(START, True, rpe_borg=15), "hold.high_effort"),
        (SessionOutcome(START, True, rpe_cr10=6), "hold.high_effort"),
        (SessionOutcome(START, True), "hold.effort_unknown"),
    ],
)
def test_hold_after_high_effort_incomplete_or_unrated(
    outcome: SessionOutcome, rule_id: str
) -> None:
    state = dataclasses.replace(beginner_plan().state, good_sessions_in_row=2)
    change = adapt(state, outcome)
    assert change.action == "hold"
    assert change.rule_id == rule_id
    assert change.after.good_sessions_in_row == 0
    assert change.after.backward_total_s == state.backward_total_s


# --- regress ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "rule_id"),
    [
        (SessionOutcome(START, True, rpe_borg=12, pain_0_10=4), "regress.pain"),
        (SessionOutcome(START, True, rpe_borg=12, pain_0_10=9), "regress.pain"),
        (SessionOutcome(START, True, rpe_borg=12, dizziness=True), "regress.dizziness"),
        (SessionOutcome(START, True, rpe_borg=12, near_fall=True), "regress.near_fall"),
    ],
)
def test_regress_and_require_support(outcome: SessionOutcome, rule_id: str) -> None:
    plan = treadmill_plan()
    state = dataclasses.replace(
        plan.state, backward_total_s=600, treadmill_speed_m_s=TREADMILL_BEGINNER_MAX_M_S
    )
    change = adapt(state, outcome)
    assert change.action == "regress"
    assert change.rule_id == rule_id
    after = change.after
    assert after.support_required
    assert after.support is not Support.NONE
    assert not after.environment.is_outdoor
    assert after.outdoor_environment is None
    assert after.backward_total_s == BACKWARD_TOTAL_START_S
    assert after.backward_interval_s == BACKWARD_INTERVAL_SUPPORTED_S
    assert after.treadmill_speed_m_s == TREADMILL_START_M_S
    assert after.level == "supported"


def test_regress_from_outdoors_goes_back_indoors_with_support() -> None:
    state = dataclasses.replace(
        beginner_plan(equipment=frozenset({Equipment.OPEN_ROOM, Equipment.PARK})).state,
        environment=Environment.PARK,
        support=Support.NONE,
    )
    change = adapt(state, SessionOutcome(START, True, rpe_borg=12, near_fall=True))
    assert change.after.environment is Environment.OPEN_ROOM
    assert change.after.support is Support.SPOTTER
    assert change.after.supervision_required


def test_rising_pain_regresses() -> None:
    plan = beginner_plan()
    sessions = [
        SessionOutcome(START, True, rpe_borg=12, pain_0_10=1),
        SessionOutcome(START + timedelta(2), True, rpe_borg=12, pain_0_10=2),
    ]
    changes = run(plan.state, sessions)
    assert changes[-1].rule_id == "regress.rising_pain"
    assert "from 1/10 to 2/10" in changes[-1].reason
    assert changes[-1].after.support_required


def test_rising_pain_uses_the_history_too() -> None:
    state = beginner_plan().state
    earlier = [SessionOutcome(START, True, rpe_borg=12, pain_0_10=0)]
    change = adapt(
        state, SessionOutcome(START + timedelta(2), True, rpe_borg=12, pain_0_10=1), earlier
    )
    assert change.rule_id == "regress.rising_pain"


# --- stop ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "rule_id"),
    [("fall", "stop.fall"), ("chest_pain", "stop.chest_pain"), ("fainting", "stop.fainting")],
)
def test_stop_after_fall_chest_pain_or_fainting(flag: str, rule_id: str) -> None:
    plan = beginner_plan()
    change = adapt(plan.state, SessionOutcome(START, True, rpe_borg=12, **{flag: True}))
    assert change.action == "stop"
    assert change.rule_id == rule_id
    assert change.after.stopped
    assert "professional" in change.reason
    new = replan(plan, change, START + timedelta(days=1))
    assert new.stopped
    assert new.sessions == (plan.weeks[0].sessions[0],)
    check_plan(new)
    # A stopped plan stays stopped whatever comes next.
    again = adapt(new.state, good(START + timedelta(days=9)))
    assert again.action == "stop"
    assert again.rule_id == "stop.pending_clearance"


def test_repeated_dizziness_stops() -> None:
    plan = beginner_plan()
    dizzy = [SessionOutcome(d, True, rpe_borg=12, dizziness=True) for d in days(START, 2, step=3)]
    changes = run(plan.state, dizzy)
    assert [c.rule_id for c in changes] == ["regress.dizziness", "stop.repeated_dizziness"]


def test_history_with_a_fall_gives_a_stopped_plan() -> None:
    plan = generate_plan(
        profile(),
        screening(),
        start_on=START,
        history=[SessionOutcome(START, True, rpe_borg=12, fall=True)],
    )
    assert plan.stopped
    assert plan.weeks == ()
    assert any("fall" in line for line in plan.explanation)


def test_history_is_replayed() -> None:
    history = [good(d) for d in days(START, 3, step=4)]
    plan = generate_plan(profile(), screening(), start_on=START + timedelta(14), history=history)
    assert plan.state.backward_total_s == 390
    assert plan.weeks[0].sessions[0].backward_s == 390


# --- replan -------------------------------------------------------------------------------


def test_replan_keeps_past_sessions_and_rebuilds_the_rest() -> None:
    plan = beginner_plan()
    outcome = SessionOutcome(START + timedelta(2), True, rpe_borg=12, pain_0_10=5)
    change = adapt(plan.state, outcome)
    new = replan(plan, change, START + timedelta(days=3))
    assert new.revised_on == START + timedelta(days=3)
    assert new.sessions[:2] == plan.sessions[:2]
    assert new.requires_support
    assert not plan.requires_support
    assert len(new.weeks) == len(plan.weeks)
    assert new.explanation[-1].endswith(change.reason)
    check_plan(new)
    for session in new.sessions[2:]:
        assert all(
            seg.support is not Support.NONE
            for seg in session.segments
            if seg.direction.value == "backward"
        )


def test_replan_trims_a_jump_to_the_weekly_cap() -> None:
    plan = beginner_plan()
    state = dataclasses.replace(plan.state, backward_total_s=900)
    change = dataclasses.replace(adapt(plan.state, good(START)), after=state)
    new = replan(plan, change, START + timedelta(days=7))
    assert (
        new.weeks[1].backward_minutes
        <= new.weeks[0].backward_minutes * (1 + WEEKLY_INCREASE_MAX_FRACTION) + 1e-6
    )
    assert "Trimmed" in new.weeks[1].note
    check_plan(new)


# --- properties ---------------------------------------------------------------------------

STATES = st.sampled_from(["beginner", "supported", "treadmill", "ack"])


def _state(kind: str):
    if kind == "treadmill":
        return treadmill_plan().state
    if kind == "supported":
        return generate_plan(profile(), screening(Clearance.GO_WITH_SUPPORT), start_on=START).state
    if kind == "ack":
        return generate_plan(
            profile(),
            screening(Clearance.SEE_PROFESSIONAL_FIRST),
            start_on=START,
            acknowledged_risk=True,
        ).state
    return beginner_plan().state


@settings(max_examples=300, deadline=None)
@given(STATES, outcomes(START + timedelta(days=8)), st.integers(0, 3))
def test_safety_rules_hold_for_any_outcome(kind: str, outcome: SessionOutcome, streak: int) -> None:
    state = dataclasses.replace(_state(kind), good_sessions_in_row=streak)
    change = adapt(state, outcome)
    pain = outcome.pain_0_10
    if outcome.fall or outcome.chest_pain or outcome.fainting:
        assert change.action == "stop"
    elif (pain is not None and pain >= 4) or outcome.dizziness or outcome.near_fall:
        assert change.action == "regress"
    if change.action in ("regress", "stop") and not change.after.stopped:
        assert change.after.support_required
        assert change.after.support is not Support.NONE
    good_rules = ("hold.consolidate", "hold.at_top", "hold.no_progression_allowed")
    assert is_good_session(outcome, None) == (
        change.action == "progress" or change.rule_id in good_rules
    )
    if change.action == "progress":
        assert outcome.completed
        assert outcome.effort in (EffortBand.LIGHT, EffortBand.MODERATE)
        assert state.progression_allowed
        assert change.after.backward_total_s <= change.before.backward_total_s * 1.3 + 1e-9
        if change.rule_id == "progress.speed":
            assert outcome.form_steady is True
    if not outcome.completed or outcome.effort in (EffortBand.HIGH, EffortBand.UNKNOWN):
        assert change.action != "progress"
    # Ceilings are never raised by adaptation.
    assert change.after.treadmill_speed_max_m_s <= state.treadmill_speed_max_m_s
    assert change.after.backward_total_max_s <= state.backward_total_max_s
    assert change.after.support_required >= state.support_required
    assert change.after.supervision_required >= state.supervision_required


def _decided_by(change: PlanChange, rule: AdaptationRule, facts: Logged) -> bool:
    """Whether ``change`` is what ``rule`` decides for ``facts`` (a progress rule records the
    progression step it took)."""
    step_ids = {r.rule_id for r in PROGRESSION_RULES}
    return (
        change.action == rule.action
        and (
            change.rule_id in step_ids
            if rule.action == "progress"
            else change.rule_id == rule.rule_id
        )
        and change.reason == rule.reason.format(detail=rule.detail(facts)).strip()
    )


@settings(max_examples=300, deadline=None)
@given(
    STATES,
    outcomes(START + timedelta(days=8)),
    st.integers(0, 3),
    st.lists(outcomes(START + timedelta(days=2)), max_size=2),
    st.permutations(ADAPTATION_RULES),
)
def test_the_first_matching_rule_in_tuple_order_decides(
    kind: str,
    outcome: SessionOutcome,
    streak: int,
    history: list[SessionOutcome],
    order: list[AdaptationRule],
) -> None:
    state = dataclasses.replace(_state(kind), good_sessions_in_row=streak)
    facts = logged(state, outcome, history)
    matching = [rule for rule in ADAPTATION_RULES if rule.applies(facts)]
    # hold.at_top and progress.step between them match whatever the rules before let through.
    assert matching
    change = adapt(state, outcome, history)
    assert _decided_by(change, matching[0], facts)
    # The engine is a loop over the tuple, not a copy of its order: in any other order the
    # first rule of that order that matches decides.
    with mock.patch("retrowalk.plans.rules.ADAPTATION_RULES", tuple(order)):
        reordered = adapt(state, outcome, history)
    assert _decided_by(reordered, next(r for r in order if r.applies(facts)), facts)


def test_the_explanation_does_not_grow_with_every_log() -> None:
    from datetime import date, timedelta

    from retrowalk.plans import SessionOutcome, adapt, generate_plan, replan
    from retrowalk.plans.progression import LATEST_CHANGE_PREFIX
    from retrowalk.screening import screen
    from tests.strategies import load_personas

    profile = {p.name: p.profile for p in load_personas()}["desk_worker_hallway_40"]
    plan = generate_plan(profile, screen(profile), start_on=date(2026, 1, 5), weeks=4)
    base = len(plan.explanation)
    for day in range(10):
        on = date(2026, 1, 5) + timedelta(days=day)
        change = adapt(plan.state, SessionOutcome(performed_on=on, completed=True, rpe_borg=12))
        plan = replan(plan, change, on + timedelta(days=1))
    assert len(plan.explanation) == base + 1
    assert plan.explanation[-1].startswith(LATEST_CHANGE_PREFIX)
    assert plan.explanation[-1].endswith(change.reason)


def test_a_stop_keeps_the_support_a_regression_would_require() -> None:
    """Found by hypothesis: dizziness and fainting in one session stop the plan, and the stopped
    state must still require support and supervision, as dizziness alone would."""
    from datetime import date

    from retrowalk.plans import SessionOutcome, adapt, generate_plan
    from retrowalk.screening import screen
    from tests.strategies import load_personas

    profile = {p.name: p.profile for p in load_personas()}["runner_25_treadmill"]
    plan = generate_plan(profile, screen(profile), start_on=date(2026, 1, 5), weeks=4)
    assert not plan.state.support_required
    outcome = SessionOutcome(
        performed_on=date(2026, 1, 6), completed=False, dizziness=True, fainting=True
    )
    change = adapt(plan.state, outcome)
    assert change.action == "stop"
    assert change.after.stopped
    assert change.after.support_required
    assert change.after.supervision_required
    assert not change.after.environment.is_outdoor
