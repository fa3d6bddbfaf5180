"""Adaptive progression: after each logged session, one explicit rule decides what changes.

``adapt(state, outcome, history)`` returns a :class:`~retrowalk.plans.model.PlanChange` (action,
plain-words reason, rule id, source, state before and after); ``replan(plan, change, from_date)``
rebuilds the plan's remaining sessions from the new state. A service can therefore do:
log session -> ``adapt`` -> store the change -> ``replan`` -> store the new plan.

The rules are data (:data:`~retrowalk.plans.rules.ADAPTATION_RULES`), each with its predicate
over the :class:`Logged` facts; the first that matches decides, in the order of the tuple: most
cautious first, stop > regress > hold > progress (one step; duration before speed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from retrowalk.plans import rules
from retrowalk.plans.build import build_weeks, next_step
from retrowalk.plans.model import Plan, PlanChange, ProgressionState, SessionOutcome
from retrowalk.plans.rules import AdaptationRule, EffortBand, ProgressionRule

__all__ = [
    "Logged",
    "adapt",
    "is_good_session",
    "logged",
    "regressed_state",
    "replan",
]


@dataclass(frozen=True, slots=True)
class Logged:
    """What the adaptation rules look at: the logged ``outcome`` and the ``state`` it was planned
    from; the last pain reported before it and whether dizziness was reported before; ``good``,
    the state counting this session (last pain, dizziness, one more good session in a row); the
    days since the last change (``None`` before any) and the progression ``step`` from ``good``
    (its rule, state and words), if any."""

    state: ProgressionState
    outcome: SessionOutcome
    previous_pain: int | None
    earlier_dizziness: bool
    good: ProgressionState
    days_since_change: int | None
    step: tuple[ProgressionRule, ProgressionState, str] | None


def regressed_state(state: ProgressionState, on: date) -> ProgressionState:
    """``state`` taken back to the supported start: support and supervision required, indoors.

    The supported setup is the one chosen for the user's equipment (hallway rail, treadmill
    rails, or an open room with a spotter). As with the supported level, support comes with
    supervision (a spotter or walking buddy present). Ceilings drop to the supported level's;
    nothing is ever raised by a regression.
    """
    environment = state.supported_environment
    support = state.supported_support
    speed, speed_max = None, state.treadmill_speed_max_m_s
    if environment.is_treadmill:
        speed = min(rules.TREADMILL_START_M_S, speed_max)
    interval_max = min(state.backward_interval_max_s, rules.BACKWARD_INTERVAL_SUPPORTED_S)
    total_max = min(state.backward_total_max_s, rules.BACKWARD_TOTAL_SUPPORTED_MAX_S)
    return dataclasses.replace(
        state,
        level="supported" if state.level == "beginner" else state.level,
        backward_interval_s=min(state.backward_interval_s, interval_max),
        backward_interval_max_s=interval_max,
        backward_total_s=min(state.backward_total_s, rules.BACKWARD_TOTAL_START_S, total_max),
        backward_total_max_s=total_max,
        environment=environment,
        support=support,
        outdoor_environment=None,
        treadmill_speed_m_s=speed,
        treadmill_speed_max_m_s=min(speed_max, rules.TREADMILL_BEGINNER_MAX_M_S),
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
        pain < rules.PAIN_REGRESS_AT and (previous_pain is None or pain <= previous_pain)
    )
    return (
        outcome.completed
        and outcome.effort in (EffortBand.LIGHT, EffortBand.MODERATE)
        and _symptom_free(outcome)
        and pain_ok
    )


def logged(
    state: ProgressionState, outcome: SessionOutcome, history: Sequence[SessionOutcome] = ()
) -> Logged:
    """The facts the adaptation rules look at (arguments as for :func:`adapt`)."""
    previous_pain = _previous_pain(state, outcome, history)
    good = dataclasses.replace(
        state,
        last_pain_0_10=outcome.pain_0_10 if outcome.pain_0_10 is not None else previous_pain,
        dizziness_sessions=state.dizziness_sessions + (1 if outcome.dizziness else 0),
        good_sessions_in_row=state.good_sessions_in_row + 1,
    )
    return Logged(
        state=state,
        outcome=outcome,
        previous_pain=previous_pain,
        earlier_dizziness=state.dizziness_sessions > 0
        or any(o.dizziness for o in history if o is not outcome),
        good=good,
        days_since_change=None
        if state.last_change_on is None
        else (outcome.performed_on - state.last_change_on).days,
        step=next_step(good, form_steady=outcome.form_steady, projected=False),
    )


def _after(rule: AdaptationRule, facts: Logged) -> ProgressionState:
    on = facts.outcome.performed_on
    if rule.action == "progress" and facts.step is not None:
        return dataclasses.replace(facts.step[1], good_sessions_in_row=0, last_change_on=on)
    if rule.action == "hold":
        good = is_good_session(facts.outcome, facts.previous_pain)
        return facts.good if good else dataclasses.replace(facts.good, good_sessions_in_row=0)
    # A stop is at least as cautious as a regression, so the stopped state is the regressed one
    # (supported, supervised, indoors) as well: a session with both dizziness and fainting must
    # keep the support that dizziness alone would require.
    regressed = regressed_state(facts.good, on)
    return dataclasses.replace(regressed, stopped=True) if rule.action == "stop" else regressed


def adapt(
    state: ProgressionState,
    outcome: SessionOutcome,
    history: Sequence[SessionOutcome] = (),
) -> PlanChange:
    """Decide what one logged session changes: the first matching adaptation rule decides.

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
    facts = logged(state, outcome, history)
    rule = next(rule for rule in rules.ADAPTATION_RULES if rule.applies(facts))
    step_rule = facts.step[0] if rule.action == "progress" and facts.step else None
    return PlanChange(
        action=rule.action,
        reason=rule.reason.format(detail=rule.detail(facts)).strip(),
        rule_id=rule.rule_id if step_rule is None else step_rule.rule_id,
        source=rule.source if step_rule is None else step_rule.source,
        before=state,
        after=_after(rule, facts),
        performed_on=outcome.performed_on,
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
