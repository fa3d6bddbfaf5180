"""The pure plan engine: profile + screening + baseline (+ logs so far) -> a multi-week plan.

Nothing here reads the clock, a file or a database: the caller passes ``start_on`` and the
history. Rules and numbers live in :mod:`retrowalk.plans.rules`; adaptation after a logged session
is in :mod:`retrowalk.plans.progression`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

from retrowalk.errors import InvalidInputError
from retrowalk.plans.model import (
    Plan,
    PlanLimits,
    PlannedSession,
    PlanWeek,
    ProfessionalClearanceRequiredError,
    ProgressionState,
    SessionOutcome,
)
from retrowalk.plans.rules import (
    BACKWARD_TOTAL_MAX_S,
    COOL_DOWN_S,
    CUES,
    LEVELS,
    MPH_TO_M_S,
    PLAN_WEEKS_DEFAULT,
    PLAN_WEEKS_MAX,
    PLAN_WEEKS_MIN,
    PROGRESSION_RULES,
    RECOVERY_TO_BACKWARD_RATIO,
    RULES_VERSION,
    SESSION_DAY_OFFSETS,
    SESSIONS_PER_WEEK_MAX,
    SPEED_STEP_M_S,
    WARM_UP_S,
    WEEKLY_GOAL_MINUTES,
    WEEKLY_INCREASE_MAX_FRACTION,
    Level,
    ProgressionRule,
)
from retrowalk.profile import Equipment, Profile
from retrowalk.screening.model import Clearance, ScreeningResult
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

__all__ = [
    "BalanceRisk",
    "build_session",
    "build_weeks",
    "choose_level",
    "choose_setup",
    "generate_plan",
    "initial_state",
    "next_step",
    "session_length_s",
]

#: The 3MBWT baseline as the plan needs it: does it indicate higher fall risk? (The
#: interpretation, with population-specific cut-offs, belongs to :mod:`retrowalk.assessments`.)
BalanceRisk = Literal["lower", "higher", "unknown"]

_EPS = 1e-9
#: Granularity of projected backward times: steps are rounded *down* to whole half-minutes so a
#: rounded step never exceeds the cap (display choice, not advice).
_ROUND_S = 30.0

_SUPPORT_WORDS = {
    Support.NONE: "no support needed",
    Support.WALL_OR_RAIL: "a hand on the wall or rail",
    Support.TREADMILL_RAILS: "hands on the treadmill rails",
    Support.SPOTTER: "a spotter right behind you",
}
_ENV_WORDS = {
    Environment.TREADMILL: "on the treadmill",
    Environment.HALLWAY: "in the hallway",
    Environment.OPEN_ROOM: "in a clear open room",
    Environment.TRACK: "on the walking track",
    Environment.PARK: "on a flat park path",
}


def _mph_words(speed_m_s: float) -> str:
    return f"{speed_m_s / MPH_TO_M_S:.1f} mph ({speed_m_s:.2f} m/s)"


def _minutes_words(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    if rest == 0:
        return f"{minutes} min"
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min {rest} s"


# ---------------------------------------------------------------------------------------------
# Choosing the level and the setup
# ---------------------------------------------------------------------------------------------


def choose_level(
    profile: Profile,
    screening: ScreeningResult,
    *,
    balance_risk: BalanceRisk = "unknown",
    acknowledged_risk: bool = False,
) -> tuple[Level, tuple[str, ...]]:
    """Pick the start level (most cautious first) and say why.

    Raises
    ------
    ProfessionalClearanceRequiredError
        Screening says ``see_professional_first`` and ``acknowledged_risk`` is false.
    """
    if screening.clearance is Clearance.SEE_PROFESSIONAL_FIRST:
        if not acknowledged_risk:
            raise ProfessionalClearanceRequiredError(tuple(r.text for r in screening.reasons))
        return LEVELS["acknowledged_risk"], (
            "Screening advised seeing a health professional first. You chose to start anyway; "
            "this acknowledgement is recorded with the plan. The plan keeps the most cautious "
            "settings (support, a spotter, indoors, the slowest belt speed) and will not step "
            "up on its own: screen again once a professional has cleared you.",
        )
    why: list[str] = []
    if screening.clearance is Clearance.GO_WITH_SUPPORT or screening.requires_support:
        why.append("screening asks for support")
    if balance_risk == "higher":
        why.append("your 3-metre backward walk test suggests a higher fall risk")
    if profile.uses_walking_aid:
        why.append(
            "you use a walking aid (the 3MBWT norms and most trials only included people "
            "walking without one)"
        )
    if why:
        return LEVELS["supported"], (
            "Supported start because " + "; ".join(why) + ". Every backward interval is "
            "indoors with support until balance improves, with a spotter or walking buddy "
            "present (product guidance; FP Notebook: balance training under supervision).",
        )
    return LEVELS["beginner"], (
        "Beginner start: screening found no reason for extra support. Support is still "
        "offered where you have it, until balance improves (product guidance; opinion).",
    )


def choose_setup(
    equipment: Iterable[Equipment], *, support_required: bool
) -> tuple[Environment, Support, str]:
    """Where to walk backward and with what support, from the user's equipment.

    Support required: hallway with a rail, else treadmill with rails, else an open room with a
    spotter. Not required: treadmill with rails, else hallway with a rail, else an open room.
    Never outdoors at the start ("start indoors", product brief). Returns the environment, the
    support and a note for the explanation (empty when nothing needs saying).

    Notes
    -----
    With support required the hallway comes first: overground walking is self-paced and can stop
    at any step, while a belt keeps moving (a safer-choice judgement, opinion; senior treadmill
    tips warn that over-gripping the rails disrupts gait [S]).
    """
    have = set(equipment)
    if support_required:
        if Equipment.HALLWAY_WITH_RAIL in have:
            return Environment.HALLWAY, Support.WALL_OR_RAIL, ""
        if Equipment.TREADMILL_WITH_RAILS in have:
            return Environment.TREADMILL, Support.TREADMILL_RAILS, ""
        return (
            Environment.OPEN_ROOM,
            Support.SPOTTER,
            "You have no hallway rail or treadmill with rails, so every backward interval is "
            "planned in a clear open room with a spotter (a walking buddy) right behind you. "
            "Do not walk backward alone.",
        )
    if Equipment.TREADMILL_WITH_RAILS in have:
        return Environment.TREADMILL, Support.TREADMILL_RAILS, ""
    if Equipment.HALLWAY_WITH_RAIL in have:
        return Environment.HALLWAY, Support.WALL_OR_RAIL, ""
    if Equipment.OPEN_ROOM in have:
        return Environment.OPEN_ROOM, Support.NONE, ""
    return (
        Environment.OPEN_ROOM,
        Support.NONE,
        "Start indoors before outdoors: clear a flat, obstacle-free space at home for the "
        "first weeks; the track or park comes later.",
    )


def _outdoor_environment(equipment: Iterable[Equipment]) -> Environment | None:
    have = set(equipment)
    if Equipment.TRACK in have:
        return Environment.TRACK
    if Equipment.PARK in have:
        return Environment.PARK
    return None


def initial_state(
    profile: Profile,
    level: Level,
    *,
    screening_requires_supervision: bool,
    start_on: date,
) -> tuple[ProgressionState, tuple[str, ...]]:
    """The first progression state for ``level`` and this profile, with explanation notes."""
    notes: list[str] = []
    environment, support, note = choose_setup(
        profile.equipment, support_required=level.support_required
    )
    if note:
        notes.append(note)
    supported_env, supported_support, _ = choose_setup(profile.equipment, support_required=True)
    supervision = (
        level.supervision_required or screening_requires_supervision or support is Support.SPOTTER
    )
    outdoor = None
    if level.outdoor_allowed and not level.support_required and not supervision:
        outdoor = _outdoor_environment(profile.equipment)
    sessions = min(profile.days_per_week, SESSIONS_PER_WEEK_MAX)
    state = ProgressionState(
        level=level.level_id,
        backward_interval_s=level.backward_interval_s,
        backward_interval_max_s=level.backward_interval_max_s,
        backward_total_s=level.backward_total_s,
        backward_total_max_s=level.backward_total_max_s,
        sessions_per_week=sessions,
        session_max_s=profile.minutes_per_day * 60.0,
        environment=environment,
        support=support,
        supported_environment=supported_env,
        supported_support=supported_support,
        outdoor_environment=outdoor,
        treadmill_speed_m_s=level.treadmill_start_m_s if environment.is_treadmill else None,
        treadmill_speed_max_m_s=level.treadmill_max_m_s,
        support_required=level.support_required,
        supervision_required=supervision,
        progression_allowed=level.progression_allowed,
        last_change_on=start_on,
    )
    if profile.days_per_week > SESSIONS_PER_WEEK_MAX:
        notes.append(
            f"You offered {profile.days_per_week} days a week; backward walking is planned on "
            f"{SESSIONS_PER_WEEK_MAX} non-consecutive days, the dose the trials used (Alghadir "
            "2019; Yang 2005) and within ACSM's 2-3 days of balance work (Garber 2011). Walk "
            "forward on the other days."
        )
    elif sessions < SESSIONS_PER_WEEK_MAX:
        notes.append(
            f"{sessions} session(s) a week as you asked; the trials used 3 a week and WHO 2020 "
            "advises balance activity on 3 or more days for older adults."
        )
    return state, tuple(notes)


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


def _interval_count(state: ProgressionState, backward_total_s: float) -> int:
    return max(1, math.ceil(backward_total_s / state.backward_interval_s - _EPS))


def session_length_s(state: ProgressionState, backward_total_s: float | None = None) -> float:
    """Unshortened session length for ``state`` (or for another backward time), s."""
    total = state.backward_total_s if backward_total_s is None else backward_total_s
    count = _interval_count(state, total)
    recovery = (count - 1) * (total / count) * RECOVERY_TO_BACKWARD_RATIO
    return WARM_UP_S + total + recovery + COOL_DOWN_S


def _cue_texts(*cue_ids: str) -> tuple[str, ...]:
    return tuple(CUES[c].text for c in cue_ids)


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
    state: ProgressionState, *, week: int, day: int, scheduled_on: date, note: str = ""
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
    return _build_session(_plain(state), week=week, day=day, scheduled_on=scheduled_on, note=note)


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
    state: ProgressionState, *, week: int, day: int, scheduled_on: date, note: str = ""
) -> PlannedSession:
    """:func:`build_session` for a state without running counters (cached)."""
    total = state.backward_total_s
    count = _interval_count(state, total)
    factor = min(1.0, state.session_max_s / session_length_s(state))
    interval_s = total / count * factor
    recovery_s = interval_s * RECOVERY_TO_BACKWARD_RATIO
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

    segments = [forward(SegmentKind.WARM_UP, WARM_UP_S * factor, _cue_texts("easy_forward"))]
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
    segments.append(
        forward(
            SegmentKind.COOL_DOWN, COOL_DOWN_S * factor, treadmill_cue + _cue_texts("talk_test")
        )
    )
    backward_s = interval_s * count
    title = (
        f"Week {week}: {_minutes_words(backward_s)} backward in {count} interval"
        f"{'s' if count > 1 else ''}, {_ENV_WORDS[env]}"
    )
    parts = [
        f"{count} x {_minutes_words(interval_s)} backward with {_SUPPORT_WORDS[state.support]}, "
        f"{_ENV_WORDS[env]}, with easy forward walking between intervals; "
        f"{_minutes_words(WARM_UP_S)} forward warm-up and {_minutes_words(COOL_DOWN_S)} "
        "cool-down (Parikh & Desai 2022)."
    ]
    if target is not None and limit is not None:
        parts.append(f"Belt at {_mph_words(target)}, never above {_mph_words(limit)}.")
    if factor < 1.0:
        parts.append(
            f"Shortened to fit your {_minutes_words(state.session_max_s)} a day "
            f"(the full session is {_minutes_words(session_length_s(state))})."
        )
    if state.supervision_required:
        parts.append("Only with a spotter or walking buddy present.")
    if note:
        parts.append(note)
    return PlannedSession(
        week=week,
        day=day,
        scheduled_on=scheduled_on,
        title=title,
        segments=tuple(segments),
        rationale=" ".join(parts),
    )


# ---------------------------------------------------------------------------------------------
# Progression steps (shared by the projection of later weeks and by adaptation)
# ---------------------------------------------------------------------------------------------


def _rule(rule_id: str) -> ProgressionRule:
    return next(r for r in PROGRESSION_RULES if r.rule_id == rule_id)


def _next_duration(state: ProgressionState) -> float | None:
    """The next backward time per session, or ``None`` if it cannot grow."""
    raised = state.backward_total_s * (1.0 + WEEKLY_INCREASE_MAX_FRACTION)
    candidate = min(state.backward_total_max_s, math.floor(raised / _ROUND_S + _EPS) * _ROUND_S)
    while candidate > state.backward_total_s + _EPS and (
        session_length_s(state, candidate) > state.session_max_s + _EPS
    ):
        candidate -= _ROUND_S
    if candidate <= state.backward_total_s + _EPS:
        return None
    return candidate


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
            f"backward intervals up to {_minutes_words(longer)}",
        )
    duration = _next_duration(state)
    if duration is not None:
        return (
            _rule("progress.duration"),
            dataclasses.replace(state, backward_total_s=duration),
            f"backward time per session from {_minutes_words(state.backward_total_s)} to "
            f"{_minutes_words(duration)}",
        )
    if projected or form_steady is not True:
        return None
    speed = state.treadmill_speed_m_s
    if (
        state.environment.is_treadmill
        and speed is not None
        and speed + _EPS < state.treadmill_speed_max_m_s
    ):
        faster = min(speed + SPEED_STEP_M_S, state.treadmill_speed_max_m_s)
        return (
            _rule("progress.speed"),
            dataclasses.replace(state, treadmill_speed_m_s=faster),
            f"belt speed from {_mph_words(speed)} to {_mph_words(faster)}",
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
            f"backward intervals move outdoors, {_ENV_WORDS[state.outdoor_environment]}",
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
    offsets = SESSION_DAY_OFFSETS[state.sessions_per_week]
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
            allowed = previous_backward_s * (1.0 + WEEKLY_INCREASE_MAX_FRACTION)
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
                note = (note + " " if note else "") + (
                    "Trimmed so weekly backward minutes rise at most "
                    f"{WEEKLY_INCREASE_MAX_FRACTION:.0%} (Nielsen et al.)."
                )
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
        week = dataclasses.replace(week, note=_week_note(week, note))
        result.append(week)
        if week.sessions:
            previous_backward_s = week.backward_minutes * 60.0
    return tuple(result)


def _week_note(week: PlanWeek, note: str) -> str:
    totals = (
        f"{week.backward_minutes:.1f} min backward, {week.walking_minutes:.1f} min walking in all "
        f"toward the {WEEKLY_GOAL_MINUTES} min a week of moderate activity (WHO 2020)."
    )
    if week.walking_minutes < WEEKLY_GOAL_MINUTES:
        totals += " Forward walking on other days counts toward the rest."
    return f"{note} {totals}".strip()


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


def _limits(state: ProgressionState, equipment: Iterable[Equipment] | None) -> PlanLimits:
    uses_treadmill = state.environment.is_treadmill or state.supported_environment.is_treadmill
    if equipment is not None:
        uses_treadmill = uses_treadmill or Equipment.TREADMILL_WITH_RAILS in set(equipment)
    return PlanLimits(
        treadmill_speed_max_m_s=state.treadmill_speed_max_m_s if uses_treadmill else None,
        backward_interval_max_s=state.backward_interval_max_s,
        backward_total_max_s=state.backward_total_max_s,
        weekly_increase_max_fraction=WEEKLY_INCREASE_MAX_FRACTION,
        sessions_per_week=state.sessions_per_week,
        session_max_s=state.session_max_s,
        outdoor_allowed=state.outdoor_environment is not None,
    )


def _general_notes(state: ProgressionState, level: Level) -> tuple[str, ...]:
    first = build_session(state, week=1, day=1, scheduled_on=date.min)
    interval_s = max(
        seg.duration_s for seg in first.segments if seg.direction is Direction.BACKWARD
    )
    notes = [
        f"First sessions: {_minutes_words(first.backward_s)} of backward walking in intervals "
        f"of {_minutes_words(interval_s)}, alternating with easy forward walking (product "
        "guidance: 1-2 minute intervals, about 5 minutes in all).",
    ]
    if session_length_s(state) > state.session_max_s + _EPS:
        notes.append(
            f"Your {_minutes_words(state.session_max_s)} a day are shorter than the full first "
            f"session ({_minutes_words(session_length_s(state))}), so every part is shortened "
            "in proportion; more minutes a day allow the full dose."
        )
    else:
        raised = min(
            state.backward_total_max_s,
            math.floor(state.backward_total_s * (1 + WEEKLY_INCREASE_MAX_FRACTION) / _ROUND_S)
            * _ROUND_S,
        )
        if (
            state.progression_allowed
            and raised > state.backward_total_s
            and (_next_duration(state) is None)
        ):
            needed_min = math.ceil(session_length_s(state, raised) / 60.0)
            notes.append(
                f"Your {_minutes_words(state.session_max_s)} a day hold this dose with its "
                "5 min warm-up, recoveries and 5 min cool-down; the next step (backward time "
                f"{_minutes_words(raised)}) needs {needed_min} min a day. Until then the plan "
                "holds the dose."
            )
    if state.progression_allowed:
        notes.append(
            "Later weeks assume the sessions before went well; your logs adjust them. Backward "
            f"time builds toward {_minutes_words(state.backward_total_max_s)} per session "
            f"(guidance: 5-10, then 10-15 minutes), rising at most "
            f"{WEEKLY_INCREASE_MAX_FRACTION:.0%} a week: novice runners who increased volume by "
            "more than 30% a week were injured more (Nielsen et al.), while the 10% rule showed "
            "no benefit (Buist 2008). That evidence comes from running, not walking: limited "
            "evidence."
        )
    if state.treadmill_speed_m_s is not None or state.supported_environment.is_treadmill:
        notes.append(
            f"Treadmill: start at {_mph_words(level.treadmill_start_m_s)}, never above "
            f"{_mph_words(state.treadmill_speed_max_m_s)} (guidance: about 1 mph first, under "
            "2 mph for beginners). The belt speed rises by 0.5 mph only after you report steady "
            "form, and only once the backward time has reached its target (duration before "
            "speed)."
        )
    if state.outdoor_environment is not None:
        notes.append(
            "Indoors before outdoors: backward intervals move to "
            f"{_ENV_WORDS[state.outdoor_environment].removeprefix('on ')} only after the "
            "indoor dose is reached with steady form. Outdoors: no phone or headphones, away "
            "from roads, stairs, water, edges and crowds."
        )
    else:
        notes.append("All backward walking stays indoors in this plan.")
    notes.append(
        "Aim for moderate effort: Borg 12-13 (CR10 3-4), able to talk in sentences but not sing. "
        "Stop at once on pain, dizziness or discomfort, and log it: the plan eases off after "
        "pain of 4/10 or more, rising pain, dizziness or a near-fall, and asks you to see a "
        "professional after a fall, chest pain, fainting or repeated dizziness."
    )
    if level.backward_total_max_s < BACKWARD_TOTAL_MAX_S and state.progression_allowed:
        notes.append(
            "With support the plan stays within the first stage (up to 10 minutes backward) "
            "until screening changes."
        )
    return tuple(notes)


def generate_plan(
    profile: Profile,
    screening: ScreeningResult,
    *,
    start_on: date,
    weeks: int = PLAN_WEEKS_DEFAULT,
    balance_risk: BalanceRisk = "unknown",
    history: Sequence[SessionOutcome] = (),
    acknowledged_risk: bool = False,
) -> Plan:
    """Make a plan of ``weeks`` weeks of backward-walking sessions starting on ``start_on``.

    Parameters
    ----------
    profile
        The validated profile (days per week, minutes per day, equipment, walking aid).
    screening
        The screening result for this profile.
    start_on
        First day of week 1.
    weeks
        Plan length, ``PLAN_WEEKS_MIN`` to ``PLAN_WEEKS_MAX`` (1-12: the trials' range).
    balance_risk
        Whether the 3MBWT baseline indicates a higher fall risk (``"higher"`` starts supported).
    history
        Sessions logged so far, oldest first; they are replayed through
        :func:`~retrowalk.plans.progression.adapt` to find the current state.
    acknowledged_risk
        The user explicitly acknowledged a ``see_professional_first`` screening.

    Returns
    -------
    Plan
        With ``acknowledged_risk`` true only when screening said ``see_professional_first``.
        Empty (``stopped``) when the history contains a stop event.

    Raises
    ------
    ProfessionalClearanceRequiredError
        ``see_professional_first`` without ``acknowledged_risk``.
    InvalidInputError
        ``weeks`` out of range or an unknown ``balance_risk``.
    """
    if isinstance(weeks, bool) or not PLAN_WEEKS_MIN <= weeks <= PLAN_WEEKS_MAX:
        raise InvalidInputError(
            "weeks", weeks, f"a whole number from {PLAN_WEEKS_MIN} to {PLAN_WEEKS_MAX}"
        )
    if balance_risk not in ("lower", "higher", "unknown"):
        raise InvalidInputError("balance_risk", balance_risk, "lower, higher or unknown")
    level, level_notes = choose_level(
        profile, screening, balance_risk=balance_risk, acknowledged_risk=acknowledged_risk
    )
    # With history, the plan (re)starts from the first logged session's date.
    first_day = min([start_on, *(o.performed_on for o in history)])
    state, setup_notes = initial_state(
        profile,
        level,
        screening_requires_supervision=screening.requires_supervision,
        start_on=first_day,
    )
    explanation = [*level_notes, *setup_notes, *_general_notes(state, level)]
    from retrowalk.plans.progression import adapt  # local: progression imports this module

    earlier: list[SessionOutcome] = []
    for outcome in sorted(history, key=lambda o: o.performed_on):
        change = adapt(state, outcome, earlier)
        if change.action != "hold" or change.after.stopped:
            explanation.append(f"{outcome.performed_on.isoformat()}: {change.reason}")
        state = change.after
        earlier.append(outcome)
    acknowledged = acknowledged_risk and screening.clearance is Clearance.SEE_PROFESSIONAL_FIRST
    plan_weeks = () if state.stopped else build_weeks(state, start_on=start_on, weeks=weeks)
    return Plan(
        start_on=start_on,
        weeks=plan_weeks,
        state=state,
        limits=_limits(state, profile.equipment),
        requires_support=state.support_required,
        requires_supervision=state.supervision_required,
        acknowledged_risk=acknowledged,
        stopped=state.stopped,
        explanation=tuple(explanation),
        rules_version=RULES_VERSION,
    )
