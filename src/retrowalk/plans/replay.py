"""Replay a plan's adaptation over its logged sessions (after a log is edited or deleted).

NEW module (issue 13, "a red flag entered by mistake"), kept apart from ``engine``/``rules`` so it
can be merged into the plans restructuring (start/build/explain) as it is. It uses only the
public :func:`~retrowalk.plans.progression.adapt`, :func:`~retrowalk.plans.progression.replan`
and :func:`~retrowalk.plans.progression.regressed_state`.

- :func:`start_plan` rebuilds a plan as it was made, from its start state.
- :func:`replay` adapts that plan to each remaining session in order, and to each recorded
  "I have seen a health professional" (:class:`ClearanceEvent`): the plan state is then exactly what
  the remaining logs give.
- :func:`resume_change` is the change such a clearance makes: a stopped plan continues, at the
  regressed (supported, supervised, indoor) level.
- :func:`describe_revision` says in one plain sentence what a replay changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from retrowalk.formatting import format_duration
from retrowalk.plans.model import Plan, PlanChange, ProgressionState, SessionOutcome
from retrowalk.plans.progression import LATEST_CHANGE_PREFIX, adapt, regressed_state, replan

__all__ = [
    "CLEARANCE_RULE_ID",
    "ClearanceEvent",
    "describe_revision",
    "replay",
    "resume_change",
    "start_plan",
]

#: Rule id stored with a recorded clearance ("I have seen a health professional").
CLEARANCE_RULE_ID = "clearance.seen_professional"
#: Same sources as the stop rules: after a stop, a professional decides whether to go on.
CLEARANCE_SOURCE = (
    "ACSM test-termination criteria via ExRx [S]; Allina Health and Geisinger patient pages [S] "
    "(if symptoms recur with exercise see a physician); product rule: after a stop the plan "
    "continues only from the supported start"
)
CLEARANCE_REASON = (
    "You recorded that a health professional has seen you, so the plan continues from the "
    "supported start: with support, with someone with you, indoors."
)


@dataclass(frozen=True, slots=True)
class ClearanceEvent:
    """The walker recorded that a health professional has seen them (after a stop).

    Attributes
    ----------
    on
        The day it was recorded; the plan's sessions follow the resumed state from that day.
    text
        The acknowledgement the walker agreed to (stored with its time by the service).
    """

    on: date
    text: str


def _without_latest(explanation: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(line for line in explanation if not line.startswith(LATEST_CHANGE_PREFIX))


def start_plan(plan: Plan, start: ProgressionState) -> Plan:
    """``plan`` as it was made: its sessions rebuilt from its ``start`` state.

    The header (start day, length, acknowledged risk, explanation without the latest-change
    line) is ``plan``'s; flags and limits that adaptation only ever tightens are taken back to
    what ``start`` gives. A plan with no weeks (made stopped) is returned with the start state.
    """
    limits = dataclasses.replace(
        plan.limits,
        treadmill_speed_max_m_s=None
        if plan.limits.treadmill_speed_max_m_s is None
        else start.treadmill_speed_max_m_s,
        backward_interval_max_s=start.backward_interval_max_s,
        backward_total_max_s=start.backward_total_max_s,
        outdoor_allowed=start.outdoor_environment is not None,
    )
    explanation = _without_latest(plan.explanation)
    base = dataclasses.replace(
        plan,
        state=start,
        limits=limits,
        requires_support=start.support_required,
        requires_supervision=start.supervision_required,
        stopped=start.stopped,
        explanation=explanation,
        revised_on=None,
    )
    if not plan.weeks or start.stopped:
        return base
    rebuild = PlanChange(
        action="hold",
        reason="",
        rule_id="replay.start",
        source="",
        before=start,
        after=start,
        performed_on=plan.start_on,
    )
    rebuilt = replan(base, rebuild, plan.start_on)
    return dataclasses.replace(
        rebuilt,
        limits=limits,
        requires_support=start.support_required,
        requires_supervision=start.supervision_required,
        explanation=explanation,
        revised_on=None,
    )


def resume_change(state: ProgressionState, on: date) -> PlanChange:
    """The change a recorded clearance makes to a stopped ``state``: regressed, not stopped.

    Support and supervision are required again (never lifted by the plan itself), and the
    repeated-dizziness count is kept, so dizziness again stops the plan again.
    """
    after = dataclasses.replace(regressed_state(state, on), stopped=False)
    return PlanChange(
        action="regress",
        reason=CLEARANCE_REASON,
        rule_id=CLEARANCE_RULE_ID,
        source=CLEARANCE_SOURCE,
        before=state,
        after=after,
        performed_on=on,
    )


def replay(
    start: Plan, events: Sequence[SessionOutcome | ClearanceEvent]
) -> tuple[Plan, tuple[PlanChange | None, ...]]:
    """Adapt ``start`` to each event in order; return the plan and the change each event made.

    As when sessions are logged one by one: each session is adapted with the sessions before it
    as history and the plan is rebuilt from the next day; a stopped plan does not adapt to the
    sessions that follow (it waits for a clearance); a clearance resumes only a stopped plan.
    The changes line up with ``events`` (``None``: that event changed nothing).
    """
    plan = start
    changes: list[PlanChange | None] = []
    history: list[SessionOutcome] = []
    for event in events:
        change: PlanChange | None = None
        if isinstance(event, ClearanceEvent):
            if plan.stopped:
                change = resume_change(plan.state, event.on)
                plan = replan(plan, change, event.on)
        else:
            if not plan.stopped:
                change = adapt(plan.state, event, history)
                plan = replan(plan, change, event.performed_on + timedelta(days=1))
            history.append(event)
        changes.append(change)
    return plan, tuple(changes)


def describe_revision(before: Plan, after: Plan) -> str:
    """One plain sentence: what the plan is now, compared with before the edit or deletion."""
    if before.stopped and not after.stopped:
        return (
            "Your plan is no longer stopped: the sessions still logged do not call for a stop. "
            f"It goes on with {format_duration(after.state.backward_total_s)} of backward walking "
            "per session."
        )
    if after.stopped and not before.stopped:
        return (
            "Your plan is now stopped: a session still logged calls for a stop. Please see a "
            "health professional, then record that you have seen one to continue."
        )
    if after.stopped:
        return (
            "Your plan stays stopped: a session still logged calls for a stop. Please see a "
            "health professional, then record that you have seen one to continue."
        )
    old, new = before.state, after.state
    parts: list[str] = []
    if old.backward_total_s != new.backward_total_s:
        parts.append(
            f"{format_duration(new.backward_total_s)} of backward walking per session "
            f"(was {format_duration(old.backward_total_s)})"
        )
    if old.support_required != new.support_required:
        parts.append("support " + ("required" if new.support_required else "no longer required"))
    if old.environment != new.environment:
        parts.append(f"backward walking in the {new.environment.value.replace('_', ' ')}")
    if old.treadmill_speed_m_s != new.treadmill_speed_m_s and new.treadmill_speed_m_s:
        parts.append("a different treadmill speed")
    if not parts:
        return "Your plan is unchanged: the sessions still logged give the same plan."
    return "Your plan now follows the sessions still logged: " + "; ".join(parts) + "."
