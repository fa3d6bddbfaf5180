"""Building sessions and weeks from a progression state, and the steps that raise the dose.

Pure: the state, dates and the rules in :mod:`retrowalk.plans.rules` in, frozen sessions and weeks
out. Where a plan starts is :mod:`retrowalk.plans.start`; what a logged session changes,
:mod:`retrowalk.plans.progression`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from datetime import date, timedelta

from retrowalk.plans import explain, rules
from retrowalk.plans.model import PlannedSession, PlanWeek, ProgressionState
from retrowalk.plans.rules import ProgressionRule
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction, SegmentKind, Support

__all__ = [
    "build_session",
    "build_weeks",
    "held_step",
    "next_step",
    "session_length_s",
]

_EPS = 1e-9
#: Granularity of projected backward times: steps are rounded *down* to whole half-minutes so a
#: rounded step never exceeds the cap (display choice, not advice).
_ROUND_S = 30.0

# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


def _interval_count(state: ProgressionState, backward_total_s: float) -> int:
    return max(1, math.ceil(backward_total_s / state.backward_interval_s - _EPS))


def session_length_s(state: ProgressionState, backward_total_s: float | None = None) -> float:
    """Unshortened session length for ``state`` (or for another backward time), s."""
    total = state.backward_total_s if backward_total_s is None else backward_total_s
    count = _interval_count(state, total)
    recovery = (count - 1) * (total / count) * rules.RECOVERY_TO_BACKWARD_RATIO
    return rules.WARM_UP_S + total + recovery + rules.COOL_DOWN_S


def _cue_texts(*cue_ids: str) -> tuple[str, ...]:
    return tuple(rules.CUES[c].text for c in cue_ids)


def _backward_cues(state: ProgressionState) -> tuple[str, ...]:
    ids = ["eyes_forward", "small_steps", "posture"]
    if state.support is Support.WALL_OR_RAIL:
        ids.append("hand_on_rail")
    elif state.support is Support.TREADMILL_RAILS:
        ids.append("treadmill_rails")
    if state.support is Support.SPOTTER or state.supervision_required:
        ids.append("spotter")
    if state.environment.is_outdoor:
        ids.append("outdoors")
    elif not state.environment.is_treadmill:
        ids.append("clear_space")
    ids.append("stop_on_symptoms")
    return _cue_texts(*ids)


#: Sessions built lately (see :func:`build_session`).
_BUILT_SESSIONS_CACHED = 512


def build_session(
    state: ProgressionState, *, week: int, day: int, scheduled_on: date
) -> PlannedSession:
    """One session from ``state``: warm-up, backward intervals with recoveries, cool-down.

    The backward time is split into equal intervals no longer than ``backward_interval_s``; each
    is followed by a forward recovery (``RECOVERY_TO_BACKWARD_RATIO``) except the last. If the
    whole session is longer than ``session_max_s`` every part is shortened in proportion
    (shorter backward intervals are the safe direction).

    The session does not depend on the state's running counters (good sessions in a row, last
    change, last pain, dizziness count), which change with every logged session; without them
    the state repeats, so sessions are cached by it: a replan after a session that changed
    nothing else reuses the sessions it built before (they are frozen).
    """
    return _build_session(_plain(state), week=week, day=day, scheduled_on=scheduled_on)


def _plain(state: ProgressionState) -> ProgressionState:
    """``state`` without its running counters (what sessions and weeks are built from)."""
    return dataclasses.replace(
        state,
        good_sessions_in_row=0,
        last_change_on=None,
        last_pain_0_10=None,
        dizziness_sessions=0,
    )


@functools.lru_cache(maxsize=_BUILT_SESSIONS_CACHED)
def _build_session(
    state: ProgressionState, *, week: int, day: int, scheduled_on: date
) -> PlannedSession:
    """:func:`build_session` for a state without running counters (cached)."""
    total = state.backward_total_s
    count = _interval_count(state, total)
    factor = min(1.0, state.session_max_s / session_length_s(state))
    interval_s = total / count * factor
    recovery_s = interval_s * rules.RECOVERY_TO_BACKWARD_RATIO
    env = state.environment
    limit = state.treadmill_speed_max_m_s if env.is_treadmill else None
    target = state.treadmill_speed_m_s if env.is_treadmill else None
    forward_support = state.support if state.support_required else Support.NONE
    treadmill_cue: tuple[str, ...] = _cue_texts("treadmill_turn") if env.is_treadmill else ()

    def forward(kind: SegmentKind, duration_s: float, cues: tuple[str, ...]) -> PlannedSegment:
        return PlannedSegment(
            kind=kind,
            direction=Direction.FORWARD,
            duration_s=duration_s,
            environment=env,
            support=forward_support,
            speed_target_m_s=None,
            speed_limit_m_s=limit,
            cues=cues,
        )

    segments = [forward(SegmentKind.WARM_UP, rules.WARM_UP_S * factor, _cue_texts("easy_forward"))]
    backward_cues = _backward_cues(state)
    for index in range(count):
        segments.append(
            PlannedSegment(
                kind=SegmentKind.BACKWARD_INTERVAL,
                direction=Direction.BACKWARD,
                duration_s=interval_s,
                environment=env,
                support=state.support,
                speed_target_m_s=target,
                speed_limit_m_s=limit,
                cues=treadmill_cue + backward_cues if index == 0 else backward_cues,
            )
        )
        if index < count - 1:
            segments.append(
                forward(
                    SegmentKind.FORWARD_RECOVERY,
                    recovery_s,
                    treadmill_cue + _cue_texts("easy_forward"),
                )
            )
    cool_down_cues = treadmill_cue + _cue_texts("talk_test")
    segments.append(forward(SegmentKind.COOL_DOWN, rules.COOL_DOWN_S * factor, cool_down_cues))
    title, rationale = explain.session_words(
        state, week=week, count=count, interval_s=interval_s, full_s=session_length_s(state)
    )
    return PlannedSession(
        week=week,
        day=day,
        scheduled_on=scheduled_on,
        title=title,
        segments=tuple(segments),
        rationale=rationale,
    )


# ---------------------------------------------------------------------------------------------
# Progression steps (shared by the projection of later weeks and by adaptation)
# ---------------------------------------------------------------------------------------------


def _rule(rule_id: str) -> ProgressionRule:
    return next(r for r in rules.PROGRESSION_RULES if r.rule_id == rule_id)


def _raised_s(state: ProgressionState) -> float:
    """The next backward time by the weekly cap and the level's largest (minutes per day aside)."""
    raised = state.backward_total_s * (1.0 + rules.WEEKLY_INCREASE_MAX_FRACTION)
    return min(state.backward_total_max_s, math.floor(raised / _ROUND_S + _EPS) * _ROUND_S)


def _next_duration(state: ProgressionState) -> float | None:
    """The next backward time per session, or ``None`` if it cannot grow."""
    candidate = _raised_s(state)
    while candidate > state.backward_total_s + _EPS and (
        session_length_s(state, candidate) > state.session_max_s + _EPS
    ):
        candidate -= _ROUND_S
    if candidate <= state.backward_total_s + _EPS:
        return None
    return candidate


def held_step(state: ProgressionState) -> tuple[float, float] | None:
    """The next backward time and the session length it needs, when only the user's minutes per
    day hold it back; otherwise ``None``."""
    raised = _raised_s(state)
    if not state.progression_allowed or raised <= state.backward_total_s:
        return None
    if _next_duration(state) is not None:
        return None
    return raised, session_length_s(state, raised)


def next_step(
    state: ProgressionState, *, form_steady: bool | None, projected: bool
) -> tuple[ProgressionRule, ProgressionState, str] | None:
    """The first progression step that applies to ``state``, or ``None``.

    Steps are tried in the order of :data:`~retrowalk.plans.rules.PROGRESSION_RULES`: longer
    intervals, more backward time (bounded by the weekly cap, the level's maximum and the user's
    minutes per day), then - only from logs (``projected=False``) and only with steady form -
    belt speed, then outdoors. Duration always comes before speed.

    Returns
    -------
    The rule, the new state and plain words for what changed.
    """
    if not state.progression_allowed or state.stopped:
        return None
    if state.backward_interval_s < state.backward_interval_max_s - _EPS:
        # Longer intervals mean fewer recoveries: the session never gets longer.
        longer = state.backward_interval_max_s
        return (
            _rule("progress.interval_longer"),
            dataclasses.replace(state, backward_interval_s=longer),
            f"backward intervals up to {explain.minutes_words(longer)}",
        )
    duration = _next_duration(state)
    if duration is not None:
        return (
            _rule("progress.duration"),
            dataclasses.replace(state, backward_total_s=duration),
            f"backward time per session from {explain.minutes_words(state.backward_total_s)} to "
            f"{explain.minutes_words(duration)}",
        )
    if projected or form_steady is not True:
        return None
    speed = state.treadmill_speed_m_s
    if (
        state.environment.is_treadmill
        and speed is not None
        and speed + _EPS < state.treadmill_speed_max_m_s
    ):
        faster = min(speed + rules.SPEED_STEP_M_S, state.treadmill_speed_max_m_s)
        return (
            _rule("progress.speed"),
            dataclasses.replace(state, treadmill_speed_m_s=faster),
            f"belt speed from {explain.speed_words(speed)} to {explain.speed_words(faster)}",
        )
    if (
        state.outdoor_environment is not None
        and not state.support_required
        and not state.supervision_required
        and not state.environment.is_outdoor
    ):
        return (
            _rule("progress.outdoors"),
            dataclasses.replace(
                state,
                environment=state.outdoor_environment,
                support=Support.NONE,
                treadmill_speed_m_s=None,
            ),
            f"backward intervals move outdoors, {explain.ENV_WORDS[state.outdoor_environment]}",
        )
    return None


# ---------------------------------------------------------------------------------------------
# Weeks
# ---------------------------------------------------------------------------------------------


def _effective_backward_s(state: ProgressionState, backward_total_s: float) -> float:
    """Backward seconds a session really gets (after shortening to the user's minutes)."""
    factor = min(1.0, state.session_max_s / session_length_s(state, backward_total_s))
    return backward_total_s * factor


def _floor_s(value: float) -> float:
    return float(math.floor(value + _EPS))


def build_weeks(
    state: ProgressionState,
    *,
    start_on: date,
    weeks: int,
    from_date: date | None = None,
    kept: Sequence[PlanWeek] = (),
) -> tuple[PlanWeek, ...]:
    """Build ``weeks`` weeks from ``start_on``.

    Sessions scheduled before ``from_date`` are taken from ``kept`` (the earlier plan); the
    rest follow ``state`` in the first week that has new sessions and a projected step (if any)
    in each later week. Weekly backward minutes never rise more than
    ``WEEKLY_INCREASE_MAX_FRACTION`` over the week before: a new week that would is trimmed.

    Like sessions, weeks do not depend on the state's running counters, which change with
    every logged session: they are cached by the state without them, the start, the length,
    the first new day and the kept sessions used (a replan after a session that changed only
    the counters reuses the weeks it built before; they are frozen).
    """
    first_new = start_on if from_date is None else max(from_date, start_on)
    end = start_on + timedelta(weeks=weeks)
    used = tuple(
        (day, session)
        for day, session in {s.scheduled_on: s for w in kept for s in w.sessions}.items()
        if start_on <= day < min(first_new, end)
    )
    return _build_weeks(_plain(state), start_on, weeks, first_new, used)


#: Plans' weeks kept by :func:`build_weeks` (one entry per state and start of new sessions).
_BUILT_WEEKS_CACHED = 128


@functools.lru_cache(maxsize=_BUILT_WEEKS_CACHED)
def _build_weeks(
    state: ProgressionState,
    start_on: date,
    weeks: int,
    first_new: date,
    used: tuple[tuple[date, PlannedSession], ...],
) -> tuple[PlanWeek, ...]:
    kept_sessions = dict(used)
    offsets = rules.SESSION_DAY_OFFSETS[state.sessions_per_week]
    result: list[PlanWeek] = []
    current = state
    stepped = False  # whether ``current`` already served a week with new sessions
    previous_backward_s: float | None = None
    for number in range(1, weeks + 1):
        week_start = start_on + timedelta(days=7 * (number - 1))
        week_dates = [week_start + timedelta(days=d) for d in range(7)]
        old = [kept_sessions[d] for d in week_dates if d < first_new and d in kept_sessions]
        new_days = [d for d in offsets if week_start + timedelta(days=d) >= first_new]
        note = ""
        if new_days:
            if stepped:
                step = next_step(current, form_steady=None, projected=True)
                if step is not None:
                    current = step[1]
                    note = (
                        f"This week assumes the week before went well: {step[2]} "
                        f"({step[0].rule_id})."
                    )
            stepped = True
        week_state = current
        if new_days and previous_backward_s is not None:
            allowed = previous_backward_s * (1.0 + rules.WEEKLY_INCREASE_MAX_FRACTION)
            kept_s = sum(s.backward_s for s in old)
            total = week_state.backward_total_s
            if kept_s + len(new_days) * _effective_backward_s(week_state, total) > allowed + _EPS:
                total = _floor_s(min(total, (allowed - kept_s) / len(new_days)))
                while total > 1.0 and (
                    kept_s + len(new_days) * _effective_backward_s(week_state, total)
                    > allowed + _EPS
                ):
                    total -= 1.0
                week_state = dataclasses.replace(week_state, backward_total_s=max(1.0, total))
                note = f"{note} {explain.trimmed_note()}".strip()
        sessions = list(old)
        for d in new_days:
            sessions.append(
                build_session(
                    week_state,
                    week=number,
                    day=d + 1,
                    scheduled_on=week_start + timedelta(days=d),
                )
            )
        week = PlanWeek(number=number, sessions=tuple(sessions))
        week = dataclasses.replace(week, note=explain.week_note(week, note))
        result.append(week)
        if week.sessions:
            previous_backward_s = week.backward_minutes * 60.0
    return tuple(result)
