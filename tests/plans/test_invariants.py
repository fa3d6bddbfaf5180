"""Safety invariants over every persona fixture and hypothesis-generated profiles."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.plans import (
    Plan,
    ProfessionalClearanceRequiredError,
    ProgressionState,
    adapt,
    generate_plan,
    plan_from_dict,
    plan_to_dict,
    replan,
)
from retrowalk.plans.build import _build_session, _build_weeks, build_session, build_weeks
from retrowalk.plans.rules import (
    PAIN_REGRESS_AT,
    PLAN_WEEKS_MAX,
    TREADMILL_CONSERVATIVE_MAX_M_S,
)
from retrowalk.plans.start import BalanceRisk
from retrowalk.profile import Profile
from retrowalk.screening import Clearance, ScreeningResult, screen
from tests.plans.helpers import START, check_fresh_plan, check_plan, outcomes, screenings
from tests.strategies import Persona, load_personas, profiles

PERSONAS = load_personas()
RISKS: list[BalanceRisk] = ["lower", "higher", "unknown"]


def test_there_are_at_least_twelve_personas() -> None:
    assert len(PERSONAS) >= 12


def _plan_or_ack(profile: Profile, screening: ScreeningResult, **kwargs: object):
    if screening.clearance is Clearance.SEE_PROFESSIONAL_FIRST:
        with pytest.raises(ProfessionalClearanceRequiredError):
            generate_plan(profile, screening, start_on=START, **kwargs)
        plan = generate_plan(
            profile,
            screening,
            start_on=START,
            acknowledged_risk=True,
            **kwargs,
        )
        _check_acknowledged(plan)
        return plan
    plan = generate_plan(profile, screening, start_on=START, **kwargs)
    assert not plan.acknowledged_risk
    return plan


def _check_acknowledged(plan) -> None:
    # (3) The most conservative settings, and the acknowledgement recorded.
    assert plan.acknowledged_risk
    assert plan.state.level == "acknowledged_risk"
    assert plan.requires_support
    assert plan.requires_supervision
    assert not plan.limits.outdoor_allowed
    if plan.limits.treadmill_speed_max_m_s is not None:
        assert plan.limits.treadmill_speed_max_m_s == TREADMILL_CONSERVATIVE_MAX_M_S
    minutes = {round(w.backward_minutes, 6) for w in plan.weeks}
    assert len(minutes) == 1, "no progression without clearance"


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
@pytest.mark.parametrize("balance_risk", RISKS)
def test_persona_plans_keep_every_invariant(persona: Persona, balance_risk: BalanceRisk) -> None:
    screening = screen(persona.profile)
    assert screening.clearance.value == persona.expected_clearance
    plan = _plan_or_ack(persona.profile, screening, weeks=PLAN_WEEKS_MAX, balance_risk=balance_risk)
    check_fresh_plan(plan)
    if screening.requires_support or balance_risk == "higher":
        assert plan.requires_support
    if screening.requires_supervision:
        assert plan.requires_supervision
    assert plan_from_dict(plan_to_dict(plan)) == plan


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    profiles(),
    st.sampled_from(RISKS),
    st.integers(1, PLAN_WEEKS_MAX),
    st.dates(),
)
def test_hypothesis_profiles_keep_every_invariant(
    profile: Profile, balance_risk: BalanceRisk, weeks: int, start
) -> None:
    screening = screen(profile)
    plan = _plan_or_ack(profile, screening, weeks=weeks, balance_risk=balance_risk)
    plan = dataclasses.replace(plan)  # plans are plain frozen values
    check_fresh_plan(plan)
    assert len(plan.weeks) == weeks
    if screening.requires_support or balance_risk == "higher":
        assert plan.requires_support


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(profiles(), screenings(), st.sampled_from(RISKS))
def test_any_screening_combination_keeps_every_invariant(
    profile: Profile, screening: ScreeningResult, balance_risk: BalanceRisk
) -> None:
    plan = _plan_or_ack(profile, screening, weeks=6, balance_risk=balance_risk)
    check_fresh_plan(plan)
    if screening.requires_support or screening.clearance is not Clearance.GO:
        assert plan.requires_support
    if screening.requires_supervision:
        assert plan.requires_supervision


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(profiles(), st.sampled_from(RISKS), st.data())
def test_random_logs_never_break_the_invariants(
    profile: Profile, balance_risk: BalanceRisk, data: st.DataObject
) -> None:
    screening = screen(profile)
    plan = generate_plan(
        profile,
        screening,
        start_on=START,
        weeks=8,
        balance_risk=balance_risk,
        acknowledged_risk=True,
    )
    history = []
    support_ever_required = plan.requires_support
    on = START
    for _ in range(data.draw(st.integers(1, 16), label="sessions")):
        on = on + timedelta(days=data.draw(st.integers(1, 4), label="gap"))
        outcome = data.draw(outcomes(on), label="outcome")
        change = adapt(plan.state, outcome, history)
        pain = outcome.pain_0_10
        if outcome.fall or outcome.chest_pain or outcome.fainting or plan.stopped:
            assert change.action == "stop"
        if (
            (pain is not None and pain >= PAIN_REGRESS_AT)
            or outcome.dizziness
            or (outcome.near_fall)
        ):
            assert change.action in ("regress", "stop")
            assert change.after.support_required
        if change.action == "progress":
            assert outcome.completed
            assert not outcome.dizziness
            assert not outcome.near_fall
        if support_ever_required:
            assert change.after.support_required, "support is never dropped by the plan"
        plan = replan(plan, change, on + timedelta(days=1))
        check_plan(plan)
        support_ever_required = support_ever_required or plan.requires_support
        history.append(outcome)
    assert plan_from_dict(plan_to_dict(plan)) == plan


@st.composite
def counted_plans(draw: st.DrawFn, weeks: int) -> tuple[Plan, ProgressionState]:
    """A plan for a drawn profile, and its state with the running counters drawn."""
    profile = draw(profiles())
    plan = generate_plan(
        profile,
        screen(profile),
        start_on=START,
        weeks=weeks,
        balance_risk=draw(st.sampled_from(RISKS)),
        acknowledged_risk=True,
    )
    counted = dataclasses.replace(
        plan.state,
        good_sessions_in_row=draw(st.integers(0, 50)),
        last_pain_0_10=draw(st.one_of(st.none(), st.integers(0, 10))),
        dizziness_sessions=draw(st.integers(0, 5)),
        last_change_on=draw(st.one_of(st.none(), st.dates())),
    )
    return plan, counted


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(counted_plans(weeks=2))
def test_sessions_do_not_depend_on_the_running_counters(
    plans: tuple[Plan, ProgressionState],
) -> None:
    """``build_session`` caches by the state without its counters: that must be invisible."""
    plan, counted = plans
    uncached = _build_session.__wrapped__
    for state in (plan.state, counted):
        built = build_session(state, week=1, day=3, scheduled_on=START)
        assert built == uncached(state, week=1, day=3, scheduled_on=START)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(counted_plans(weeks=8), st.integers(-10, 70))
def test_weeks_do_not_depend_on_the_running_counters(
    plans: tuple[Plan, ProgressionState], from_day: int
) -> None:
    """``build_weeks`` caches by the state without its counters, the first new day and the
    kept sessions it uses: that must be invisible, whatever the counters and the day."""
    plan, counted = plans
    # Another dose than the plan's, so the kept weeks differ from what the state builds.
    counted = dataclasses.replace(
        counted, backward_total_s=max(1.0, plan.state.backward_total_s - 30.0)
    )
    from_date = START + timedelta(days=from_day)
    kept = tuple((s.scheduled_on, s) for w in plan.weeks for s in w.sessions)
    uncached = _build_weeks.__wrapped__
    for state in (plan.state, counted, dataclasses.replace(counted, good_sessions_in_row=0)):
        built = build_weeks(state, start_on=START, weeks=8, from_date=from_date, kept=plan.weeks)
        # The uncached builder, with the counters and every kept session, as before the cache.
        assert built == uncached(state, START, 8, max(from_date, START), kept)
