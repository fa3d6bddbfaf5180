"""Adaptive progression: after each logged session, one explicit rule decides what changes.

``adapt(state, outcome, history)`` returns a :class:`~retrowalk.plans.model.PlanChange` (action,
plain-words reason, rule id, source, state before and after); ``replan(plan, change, from_date)``
rebuilds the plan's remaining sessions from the new state. A service can therefore do:
log session -> ``adapt`` -> store the change -> ``replan`` -> store the new plan.

Rules (:data:`~retrowalk.plans.rules.ADAPTATION_RULES`) are tried most cautious first:
stop (fall, chest pain, fainting, repeated dizziness) > regress (pain >= 4/10, rising pain,
dizziness, near-fall) > hold (incomplete, effort above moderate or not rated, or waiting for a
full week of good sessions) > progress (one step; duration before speed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from retrowalk.plans.engine import build_weeks, next_step
from retrowalk.plans.model import Plan, PlanChange, ProgressionState, SessionOutcome
from retrowalk.plans.rules import (
    ADAPTATION_RULES,
    BACKWARD_INTERVAL_SUPPORTED_S,
    BACKWARD_TOTAL_START_S,
    BACKWARD_TOTAL_SUPPORTED_MAX_S,
    PAIN_REGRESS_AT,
    PROGRESS_MIN_DAYS_BETWEEN_CHANGES,
    TREADMILL_BEGINNER_MAX_M_S,
    TREADMILL_START_M_S,
    AdaptationRule,
    EffortBand,
)

__all__ = ["adapt", "is_good_session", "regressed_state", "replan"]


def _rule(rule_id: str) -> AdaptationRule:
    return next(r for r in ADAPTATION_RULES if r.rule_id == rule_id)


def _change(
    rule_id: str,
    before: ProgressionState,
    after: ProgressionState,
    outcome: SessionOutcome,
    detail: str = "",
    *,
    step_rule_id: str | None = None,
    step_source: str | None = None,
) -> PlanChange:
    rule = _rule(rule_id)
    return PlanChange(
        action=rule.action,
        reason=rule.reason.format(detail=detail).strip(),
        rule_id=rule_id if step_rule_id is None else step_rule_id,
        source=rule.source if step_source is None else step_source,
        before=before,
        after=after,
        performed_on=outcome.performed_on,
    )


def regressed_state(state: ProgressionState, on: date) -> ProgressionState:
    """``state`` taken back to the supported start: support and supervision required, indoors.

    The supported setup is the one chosen for the user's equipment (hallway rail, treadmill
    rails, or an open room with a spotter). As with the supported level, support comes with
    supervision (a spotter or walking buddy present). Ceilings drop to the supported level's;
    nothing is ever raised by a regression.
    """
    environment = state.supported_environment
    support = state.supported_support
    speed = None
    if environment.is_treadmill:
        speed = min(TREADMILL_START_M_S, state.treadmill_speed_max_m_s)
    interval_max = min(state.backward_interval_max_s, BACKWARD_INTERVAL_SUPPORTED_S)
    total_max = min(state.backward_total_max_s, BACKWARD_TOTAL_SUPPORTED_MAX_S)
    return dataclasses.replace(
        state,
        level="supported" if state.level == "beginner" else state.level,
        backward_interval_s=min(state.backward_interval_s, interval_max),
        backward_interval_max_s=interval_max,
        backward_total_s=min(state.backward_total_s, BACKWARD_TOTAL_START_S, total_max),
        backward_total_max_s=total_max,
        environment=environment,
        support=support,
        outdoor_environment=None,
        treadmill_speed_m_s=speed,
        treadmill_speed_max_m_s=min(state.treadmill_speed_max_m_s, TREADMILL_BEGINNER_MAX_M_S),
        support_required=True,
        supervision_required=True,
        good_sessions_in_row=0,
        last_change_on=on,
    )


def _previous_pain(
    state: ProgressionState, outcome: SessionOutcome, history: Sequence[SessionOutcome]
) -> int | None:
    for earlier in reversed(history):
        if earlier is not outcome and earlier.pain_0_10 is not None:
            return earlier.pain_0_10
    return state.last_pain_0_10


def _symptom_free(outcome: SessionOutcome) -> bool:
    return not (
        outcome.fall
        or outcome.chest_pain
        or outcome.fainting
        or outcome.dizziness
        or outcome.near_fall
    )


def is_good_session(outcome: SessionOutcome, previous_pain: int | None) -> bool:
    """Completed, light or moderate effort, no symptom or event, pain below 4 and not rising."""
    pain = outcome.pain_0_10
    pain_ok = pain is None or (
        pain < PAIN_REGRESS_AT and (previous_pain is None or pain <= previous_pain)
    )
    return (
        outcome.completed
        and outcome.effort in (EffortBand.LIGHT, EffortBand.MODERATE)
        and _symptom_free(outcome)
        and pain_ok
    )


def adapt(
    state: ProgressionState,
    outcome: SessionOutcome,
    history: Sequence[SessionOutcome] = (),
) -> PlanChange:
    """Decide what one logged session changes.

    Parameters
    ----------
    state
        The progression state the session was planned from (``plan.state``).
    outcome
        The logged session.
    history
        Earlier logged sessions of this plan, oldest first (not including ``outcome``). Used with
        ``state`` for "rising pain" (the last reported pain) and "repeated dizziness".

    Returns
    -------
    PlanChange
        ``before`` is ``state``; ``after`` is the state the next sessions follow. ``rule_id`` is
        the adaptation rule, or for a progression the progression step (e.g.
        ``progress.duration``).
    """
    previous_pain = _previous_pain(state, outcome, history)
    earlier_dizziness = state.dizziness_sessions > 0 or any(
        o.dizziness for o in history if o is not outcome
    )
    tracked = dataclasses.replace(
        state,
        last_pain_0_10=outcome.pain_0_10 if outcome.pain_0_10 is not None else previous_pain,
        dizziness_sessions=state.dizziness_sessions + (1 if outcome.dizziness else 0),
    )
    on = outcome.performed_on

    # Stop: most cautious first. A stop is at least as cautious as a regression, so the stopped
    # state is the regressed one (supported, supervised, indoors) as well: a session with both
    # dizziness and fainting must keep the support that dizziness alone would require.
    stopped = dataclasses.replace(regressed_state(tracked, on), stopped=True)
    if state.stopped:
        return _change("stop.pending_clearance", state, stopped, outcome)
    if outcome.fall:
        return _change("stop.fall", state, stopped, outcome)
    if outcome.chest_pain:
        return _change("stop.chest_pain", state, stopped, outcome)
    if outcome.fainting:
        return _change("stop.fainting", state, stopped, outcome)
    if outcome.dizziness and earlier_dizziness:
        return _change("stop.repeated_dizziness", state, stopped, outcome)

    # Regress and require support.
    pain = outcome.pain_0_10
    if pain is not None and pain >= PAIN_REGRESS_AT:
        return _change("regress.pain", state, regressed_state(tracked, on), outcome, str(pain))
    if pain is not None and previous_pain is not None and pain > previous_pain:
        return _change(
            "regress.rising_pain",
            state,
            regressed_state(tracked, on),
            outcome,
            f"{previous_pain}/10 -> {pain}/10",
        )
    if outcome.dizziness:
        return _change("regress.dizziness", state, regressed_state(tracked, on), outcome)
    if outcome.near_fall:
        return _change("regress.near_fall", state, regressed_state(tracked, on), outcome)

    # Hold.
    reset = dataclasses.replace(tracked, good_sessions_in_row=0)
    if not outcome.completed:
        return _change("hold.incomplete", state, reset, outcome)
    effort = outcome.effort
    if effort is EffortBand.HIGH:
        rated = []
        if outcome.rpe_borg is not None:
            rated.append(f"Borg {outcome.rpe_borg}")
        if outcome.rpe_cr10 is not None:
            rated.append(f"CR10 {outcome.rpe_cr10:g}")
        return _change("hold.high_effort", state, reset, outcome, ", ".join(rated))
    if effort is EffortBand.UNKNOWN:
        return _change("hold.effort_unknown", state, reset, outcome)

    # A good session: every cautious rule above has been ruled out.
    if not is_good_session(outcome, previous_pain):
        raise AssertionError("adaptation rules out of order")  # pragma: no cover
    good = dataclasses.replace(tracked, good_sessions_in_row=state.good_sessions_in_row + 1)
    if not state.progression_allowed:
        return _change("hold.no_progression_allowed", state, good, outcome)
    days = None if state.last_change_on is None else (on - state.last_change_on).days
    needed = state.sessions_per_week - good.good_sessions_in_row
    if needed > 0 or (days is not None and days < PROGRESS_MIN_DAYS_BETWEEN_CHANGES):
        waits = []
        if needed > 0:
            waits.append(f"{needed} more good session{'s' if needed > 1 else ''} in a row")
        if days is not None and days < PROGRESS_MIN_DAYS_BETWEEN_CHANGES:
            waits.append(
                f"{PROGRESS_MIN_DAYS_BETWEEN_CHANGES} days since the last change ({days} so far)"
            )
        return _change(
            "hold.consolidate",
            state,
            good,
            outcome,
            "The next step needs " + " and ".join(waits) + ": one change at a time.",
        )
    step = next_step(good, form_steady=outcome.form_steady, projected=False)
    if step is None:
        if outcome.form_steady is not True and (
            good.environment.is_treadmill or good.outdoor_environment is not None
        ):
            detail = (
                "The backward time is at its target; the next step (speed or moving outdoors) "
                "needs you to report steady form."
            )
        elif good.backward_total_s < good.backward_total_max_s:
            detail = (
                "Your minutes per day hold the current dose; more minutes a day would let the "
                "backward time build further."
            )
        else:
            detail = "You are at the top of this plan's dose; keep it up."
        return _change("hold.at_top", state, good, outcome, detail)
    progression_rule, after, words = step
    after = dataclasses.replace(after, good_sessions_in_row=0, last_change_on=on)
    return _change(
        "progress.step",
        state,
        after,
        outcome,
        words + ".",
        step_rule_id=progression_rule.rule_id,
        step_source=progression_rule.source,
    )


#: Starts the explanation line that says what the latest adaptation changed, and why.
LATEST_CHANGE_PREFIX = "Latest change, "


def replan(plan: Plan, change: PlanChange, from_date: date) -> Plan:
    """Rebuild ``plan`` from ``from_date`` on, following ``change.after``.

    Sessions before ``from_date`` are kept as planned; the plan keeps its start and length. After
    a stop no session is planned from ``from_date`` on. The explanation keeps its lines and ends
    with the latest change's reason, replacing the line of the change before (every change is
    stored on its own by the caller, so the plan does not grow with each log); support and
    supervision flags only ever get stricter.
    """
    state = change.after
    kept = plan.weeks
    if state.stopped:
        weeks = tuple(
            dataclasses.replace(
                w, sessions=tuple(s for s in w.sessions if s.scheduled_on < from_date)
            )
            for w in kept
        )
    else:
        weeks = build_weeks(
            state, start_on=plan.start_on, weeks=len(plan.weeks), from_date=from_date, kept=kept
        )
    limits = dataclasses.replace(
        plan.limits,
        treadmill_speed_max_m_s=(
            None
            if plan.limits.treadmill_speed_max_m_s is None
            else min(plan.limits.treadmill_speed_max_m_s, state.treadmill_speed_max_m_s)
        ),
        backward_interval_max_s=state.backward_interval_max_s,
        backward_total_max_s=state.backward_total_max_s,
        outdoor_allowed=plan.limits.outdoor_allowed and state.outdoor_environment is not None,
    )
    return dataclasses.replace(
        plan,
        weeks=weeks,
        state=state,
        limits=limits,
        requires_support=plan.requires_support or state.support_required,
        requires_supervision=plan.requires_supervision or state.supervision_required,
        stopped=state.stopped,
        explanation=(
            *(line for line in plan.explanation if not line.startswith(LATEST_CHANGE_PREFIX)),
            f"{LATEST_CHANGE_PREFIX}{change.performed_on.isoformat()} ({change.action}): "
            f"{change.reason}",
        ),
        revised_on=from_date,
    )
