"""Invariant checks and strategies shared by the plan tests."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from retrowalk.plans import Plan, SessionOutcome, generate_plan
from retrowalk.plans.rules import (
    CUES,
    LEVELS,
    WEEKLY_INCREASE_MAX_FRACTION,
    mph,
)
from retrowalk.profile import Equipment, Profile
from retrowalk.screening import Clearance, Reason, ScreeningResult
from retrowalk.vocabulary import Direction, Support

EPS = 1e-6
SPOTTER_CUE = CUES["spotter"].text
START = date(2026, 1, 5)


def check_plan(plan: Plan) -> None:
    """Every safety invariant of a plan, for the sessions that follow ``plan.state``."""
    state = plan.state
    # Flags only ever as strict as the state's.
    assert plan.requires_support >= state.support_required
    assert plan.requires_supervision >= state.supervision_required
    if plan.stopped:
        assert not [s for s in plan.sessions if s.scheduled_on >= plan.current_from]
    level_cap = LEVELS[state.level].treadmill_max_m_s
    for session in plan.sessions:
        assert session.total_s <= plan.limits.session_max_s + EPS
        current = session.scheduled_on >= plan.current_from
        for seg in session.segments:
            if seg.environment.is_treadmill:
                # (2) target <= limit <= the plan's limit <= the level's ceiling < 2 mph.
                assert seg.speed_limit_m_s is not None
                assert plan.limits.treadmill_speed_max_m_s is not None
                if seg.speed_target_m_s is not None:
                    assert seg.speed_target_m_s <= seg.speed_limit_m_s + EPS
                assert seg.speed_limit_m_s <= level_cap + EPS
                assert seg.speed_limit_m_s < mph(2.0)
                if current:
                    assert seg.speed_limit_m_s <= plan.limits.treadmill_speed_max_m_s + EPS
            if seg.direction is not Direction.BACKWARD or not current:
                continue
            assert seg.duration_s <= plan.limits.backward_interval_max_s + EPS
            # (1) support-flagged: supported and indoors; supervision: a spotter present.
            if plan.requires_support:
                assert plan.requires_supervision, "nobody flagged for support walks unsupervised"
                assert seg.support is not Support.NONE
                assert not seg.environment.is_outdoor
            if plan.requires_supervision:
                assert seg.support is Support.SPOTTER or SPOTTER_CUE in seg.cues
        if current:
            assert session.backward_s <= plan.limits.backward_total_max_s + EPS
    # (5) Weekly backward minutes rise at most by the cap.
    previous = None
    for week in plan.weeks:
        if not week.sessions:
            continue
        if previous is not None:
            assert week.backward_minutes <= previous * (1 + WEEKLY_INCREASE_MAX_FRACTION) + EPS
        previous = week.backward_minutes


def check_fresh_plan(plan: Plan) -> None:
    """Invariants of a plan made without history."""
    check_plan(plan)
    assert plan.revised_on is None
    # Indoors before outdoors: a new plan never goes outdoors.
    assert not any(seg.environment.is_outdoor for s in plan.sessions for seg in s.segments)
    # Projection never raises speed (duration before speed; speed only from logs).
    speeds = {
        seg.speed_target_m_s
        for s in plan.sessions
        for seg in s.segments
        if seg.direction is Direction.BACKWARD and seg.environment.is_treadmill
    }
    assert len(speeds) <= 1
    # (4) Week 1: 1-2 minute intervals and about 5 backward minutes (less only when the user's
    # minutes per day are shorter than the full first session).
    for session in plan.weeks[0].sessions:
        backward = [seg for seg in session.segments if seg.direction is Direction.BACKWARD]
        assert all(seg.duration_s <= 120 + EPS for seg in backward)
        assert session.backward_s <= 300 + EPS
        if session.total_s < plan.limits.session_max_s - EPS:
            assert all(seg.duration_s >= 60 - EPS for seg in backward)
            assert session.backward_s == 300


def screenings() -> st.SearchStrategy[ScreeningResult]:
    """Any screening result, including combinations screening itself never produces."""

    def build(clearance: Clearance, support: bool, supervision: bool) -> ScreeningResult:
        return ScreeningResult(
            clearance=clearance,
            reasons=(Reason("test", clearance, "A test reason.", "test", "[S]"),),
            requires_support=support,
            requires_supervision=supervision,
            recommend_3mbwt=False,
            rules_version="test",
        )

    return st.builds(build, st.sampled_from(list(Clearance)), st.booleans(), st.booleans())


def outcomes(on: date) -> st.SearchStrategy[SessionOutcome]:
    """A logged session on ``on`` with any mix of effort, pain and events (events are rarer)."""
    rare = st.sampled_from((False, False, False, True))
    return st.builds(
        SessionOutcome,
        performed_on=st.just(on),
        completed=st.booleans() | st.just(True),
        rpe_borg=st.none() | st.integers(6, 20) | st.integers(11, 13),
        rpe_cr10=st.none() | st.none() | st.floats(0, 10, allow_nan=False),
        pain_0_10=st.none() | st.integers(0, 10) | st.integers(0, 2),
        dizziness=rare,
        near_fall=rare,
        fall=rare,
        chest_pain=rare,
        fainting=rare,
        form_steady=st.none() | st.booleans() | st.just(True),
    )


def good(on: date, *, form_steady: bool | None = True) -> SessionOutcome:
    """A completed session at moderate effort without symptoms."""
    return SessionOutcome(
        performed_on=on, completed=True, rpe_borg=12, pain_0_10=0, form_steady=form_steady
    )


def days(start: date, count: int, step: int = 2) -> list[date]:
    return [start + timedelta(days=step * i) for i in range(count)]


BASE = {
    "age_years": 40,
    "sex": "female",
    "mass_kg": 65.0,
    "height_m": 1.7,
    "conditions": frozenset(),
    "falls_past_year": 0,
    "fear_of_falling": False,
    "dizziness": False,
    "pain": {},
    "uses_walking_aid": False,
    "parq": {},
    "equipment": frozenset({Equipment.HALLWAY_WITH_RAIL}),
    "days_per_week": 3,
    "minutes_per_day": 60,
}


def profile(**changes: object) -> Profile:
    return Profile.model_construct(**{**BASE, **changes})


def screening(
    clearance: Clearance = Clearance.GO, *, support: bool = False, supervision: bool = False
) -> ScreeningResult:
    return ScreeningResult(
        clearance=clearance,
        reasons=(Reason("r", clearance, "Because.", "src", "[S]"),),
        requires_support=support or clearance is not Clearance.GO,
        requires_supervision=supervision,
        recommend_3mbwt=False,
        rules_version="t",
    )


def backward(plan_session):
    """The backward segments of a planned session."""
    return [s for s in plan_session.segments if s.direction is Direction.BACKWARD]


def beginner_plan(**changes: object) -> Plan:
    return generate_plan(profile(**changes), screening(), start_on=START, weeks=8)


def treadmill_plan() -> Plan:
    return beginner_plan(
        equipment=frozenset({Equipment.TREADMILL_WITH_RAILS, Equipment.TRACK}), minutes_per_day=120
    )
