"""Replaying a plan over its remaining sessions (issue 13: a red flag entered by mistake)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.plans import SessionOutcome, adapt, replan
from retrowalk.plans.replay import ClearanceEvent, describe_revision, replay, start_plan
from tests.plans.helpers import START, check_plan, days, good, outcomes
from tests.plans.test_progression import beginner_plan


def _one_by_one(plan, sessions):  # type: ignore[no-untyped-def]
    history: list[SessionOutcome] = []
    for outcome in sessions:
        if plan.stopped:
            break
        change = adapt(plan.state, outcome, history)
        plan = replan(plan, change, outcome.performed_on + timedelta(days=1))
        history.append(outcome)
    return plan


@settings(max_examples=30, deadline=None)
@given(st.lists(outcomes(START), max_size=6))
def test_replay_gives_what_logging_one_by_one_gives(sessions: list[SessionOutcome]) -> None:
    sessions = [
        dataclasses.replace(o, performed_on=day)
        for o, day in zip(sessions, days(START, len(sessions)), strict=False)
    ]
    made = beginner_plan()
    logged = _one_by_one(made, sessions)
    replayed, changes = replay(start_plan(logged, made.state), sessions)
    assert replayed.state == logged.state
    assert replayed.sessions == logged.sessions
    assert len(changes) == len(sessions)
    check_plan(replayed)


def test_removing_a_mistaken_fall_gives_the_plan_without_it() -> None:
    made = beginner_plan()
    on = days(START, 3)
    fall = SessionOutcome(performed_on=on[1], completed=True, rpe_borg=12, fall=True)
    stopped = _one_by_one(made, [good(on[0]), fall])
    assert stopped.stopped
    without, _ = replay(start_plan(stopped, made.state), [good(on[0])])
    assert not without.stopped
    assert without.state == _one_by_one(made, [good(on[0])]).state
    assert "no longer stopped" in describe_revision(stopped, without)


def test_a_clearance_resumes_a_stop_at_the_supported_level() -> None:
    made = beginner_plan()
    on = days(START, 3)
    fall = SessionOutcome(performed_on=on[0], completed=True, rpe_borg=12, fall=True)
    plan, changes = replay(
        start_plan(made, made.state), [fall, ClearanceEvent(on=on[1], text="seen"), good(on[2])]
    )
    assert not plan.stopped
    assert plan.state.support_required
    assert plan.state.supervision_required
    assert [c.action if c else None for c in changes] == ["stop", "regress", "hold"]
    check_plan(plan)
    # a clearance with nothing stopped changes nothing
    _, unused = replay(start_plan(made, made.state), [ClearanceEvent(on=on[1], text="seen")])
    assert unused == (None,)
