"""What a plan tells its walker, in words: why this start, and what to expect.

Every number in these texts comes from :mod:`retrowalk.plans.rules` (spelled ``rules.NAME`` here)
or from the state, level or session it describes; none is restated by hand. Speeds are given in
mph and m/s: a plan's text is stored with the plan, before any display unit is known; the pages
and the CLI show them in the walker's units (:func:`retrowalk.formatting.localise`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from retrowalk.plans import rules
from retrowalk.plans.model import PlannedSession, PlanWeek, ProgressionState
from retrowalk.plans.rules import Level
from retrowalk.vocabulary import Direction, Environment, RpeScale, Support

__all__ = [
    "ACKNOWLEDGED_RISK_START",
    "BEGINNER_START",
    "ENV_WORDS",
    "NO_RAIL_SETUP",
    "START_INDOORS_SETUP",
    "SUPPORTED_BECAUSE",
    "SUPPORT_WORDS",
    "frequency_note",
    "minutes_words",
    "plan_notes",
    "session_words",
    "speed_words",
    "supported_start",
    "trimmed_note",
    "week_note",
]

_EPS = 1e-9

SUPPORT_WORDS = {
    Support.NONE: "no support needed",
    Support.WALL_OR_RAIL: "a hand on the wall or rail",
    Support.TREADMILL_RAILS: "hands on the treadmill rails",
    Support.SPOTTER: "a spotter right behind you",
}
ENV_WORDS = {
    Environment.TREADMILL: "on the treadmill",
    Environment.HALLWAY: "in the hallway",
    Environment.OPEN_ROOM: "in a clear open room",
    Environment.TRACK: "on the walking track",
    Environment.PARK: "on a flat park path",
}


def speed_words(speed_m_s: float) -> str:
    """A speed in mph and m/s, e.g. ``"1.0 mph (0.45 m/s)"``."""
    return f"{speed_m_s / rules.MPH_TO_M_S:.1f} mph ({speed_m_s:.2f} m/s)"


def minutes_words(seconds: float) -> str:
    """A duration in minutes and seconds, e.g. ``"6 min 30 s"``."""
    minutes, rest = divmod(round(seconds), 60)
    if rest == 0:
        return f"{minutes} min"
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min {rest} s"


def _range(low: float, high: float) -> str:
    return f"{low:g}-{high:g}"


def _range_min(low_s: float, high_s: float) -> str:
    return _range(low_s / 60, high_s / 60)


# ---------------------------------------------------------------------------------------------
# The start: level and setup
# ---------------------------------------------------------------------------------------------

ACKNOWLEDGED_RISK_START = (
    "Screening advised seeing a health professional first. You chose to start anyway; this "
    "acknowledgement is recorded with the plan. The plan keeps the most cautious settings "
    "(support, a spotter, indoors, the slowest belt speed) and will not step up on its own: "
    "screen again once a professional has cleared you."
)
#: Why a plan starts supported, by reason (see :func:`~retrowalk.plans.start.choose_level`).
SUPPORTED_BECAUSE = {
    "screening": "screening asks for support",
    "balance": "your 3-metre backward walk test suggests a higher fall risk",
    "walking_aid": (
        "you use a walking aid (the 3MBWT norms and most trials only included people walking "
        "without one)"
    ),
}
BEGINNER_START = (
    "Beginner start: screening found no reason for extra support. Support is still offered "
    "where you have it, until balance improves (product guidance; opinion)."
)
NO_RAIL_SETUP = (
    "You have no hallway rail or treadmill with rails, so every backward interval is planned in "
    "a clear open room with a spotter (a walking buddy) right behind you. Do not walk backward "
    "alone."
)
START_INDOORS_SETUP = (
    "Start indoors before outdoors: clear a flat, obstacle-free space at home for the first "
    "weeks; the track or park comes later."
)


def supported_start(why: Sequence[str]) -> str:
    """The supported start, with its reasons (values of :data:`SUPPORTED_BECAUSE`)."""
    return (
        "Supported start because " + "; ".join(why) + ". Every backward interval is indoors "
        "with support until balance improves, with a spotter or walking buddy present (product "
        "guidance; FP Notebook: balance training under supervision)."
    )


def frequency_note(days_per_week: int, sessions: int) -> str | None:
    """Why ``sessions`` a week when the user offered ``days_per_week`` (``None``: nothing)."""
    if days_per_week > rules.SESSIONS_PER_WEEK_MAX:
        return (
            f"You offered {days_per_week} days a week; backward walking is planned on "
            f"{rules.SESSIONS_PER_WEEK_MAX} non-consecutive days, the dose the trials used "
            "(Alghadir 2019; Yang 2005) and within ACSM's 2-3 days of balance work (Garber "
            "2011). Walk forward on the other days."
        )
    if sessions < rules.SESSIONS_PER_WEEK_MAX:
        return (
            f"{sessions} session(s) a week as you asked; the trials used "
            f"{rules.SESSIONS_PER_WEEK_MAX} a week and WHO 2020 advises balance activity on 3 or "
            "more days for older adults."
        )
    return None


# ---------------------------------------------------------------------------------------------
# Sessions, weeks and the plan
# ---------------------------------------------------------------------------------------------


def session_words(
    state: ProgressionState, *, week: int, count: int, interval_s: float, full_s: float
) -> tuple[str, str]:
    """A session's title and rationale: ``count`` backward intervals of ``interval_s`` (after
    any shortening) in a session whose unshortened length is ``full_s``."""
    env = state.environment
    title = (
        f"Week {week}: {minutes_words(interval_s * count)} backward in {count} interval"
        f"{'s' if count > 1 else ''}, {ENV_WORDS[env]}"
    )
    parts = [
        f"{count} x {minutes_words(interval_s)} backward with {SUPPORT_WORDS[state.support]}, "
        f"{ENV_WORDS[env]}, with easy forward walking between intervals; "
        f"{minutes_words(rules.WARM_UP_S)} forward warm-up and "
        f"{minutes_words(rules.COOL_DOWN_S)} cool-down (Parikh & Desai 2022)."
    ]
    if env.is_treadmill and state.treadmill_speed_m_s is not None:
        parts.append(
            f"Belt at {speed_words(state.treadmill_speed_m_s)}, never above "
            f"{speed_words(state.treadmill_speed_max_m_s)}."
        )
    if state.session_max_s / full_s < 1.0:
        parts.append(
            f"Shortened to fit your {minutes_words(state.session_max_s)} a day "
            f"(the full session is {minutes_words(full_s)})."
        )
    if state.supervision_required:
        parts.append("Only with a spotter or walking buddy present.")
    return title, " ".join(parts)


def plan_notes(
    state: ProgressionState,
    level: Level,
    *,
    first: PlannedSession,
    full_s: float,
    held: tuple[float, float] | None,
) -> tuple[str, ...]:
    """The plan's general notes.

    ``first`` is the first session, ``full_s`` its unshortened length and ``held`` the next
    backward time with the session length it needs when the user's minutes per day hold it back
    (:func:`~retrowalk.plans.build.held_step`).
    """
    interval_s = max(s.duration_s for s in first.segments if s.direction is Direction.BACKWARD)
    notes = [
        f"First sessions: {minutes_words(first.backward_s)} of backward walking in intervals "
        f"of {minutes_words(interval_s)}, alternating with easy forward walking (product guidance: "
        f"{_range_min(rules.BACKWARD_INTERVAL_SUPPORTED_S, rules.BACKWARD_INTERVAL_MAX_S)} minute "
        f"intervals, about {rules.BACKWARD_TOTAL_START_S / 60:g} minutes in all).",
    ]
    if full_s > state.session_max_s + _EPS:
        notes.append(
            f"Your {minutes_words(state.session_max_s)} a day are shorter than the full first "
            f"session ({minutes_words(full_s)}), so every part is shortened in proportion; more "
            "minutes a day allow the full dose."
        )
    elif held is not None:
        raised, needed_s = held
        notes.append(
            f"Your {minutes_words(state.session_max_s)} a day hold this dose with its "
            f"{minutes_words(rules.WARM_UP_S)} warm-up, recoveries and "
            f"{minutes_words(rules.COOL_DOWN_S)} cool-down; the next step (backward time "
            f"{minutes_words(raised)}) needs {math.ceil(needed_s / 60.0)} min a day. Until then "
            "the plan holds the dose."
        )
    weekly = f"{rules.WEEKLY_INCREASE_MAX_FRACTION:.0%}"
    first_stage_s = rules.BACKWARD_TOTAL_SUPPORTED_MAX_S
    if state.progression_allowed:
        notes.append(
            "Later weeks assume the sessions before went well; your logs adjust them. Backward "
            f"time builds toward {minutes_words(state.backward_total_max_s)} per session "
            f"(guidance: {_range_min(rules.BACKWARD_TOTAL_START_S, first_stage_s)}, then "
            f"{_range_min(first_stage_s, rules.BACKWARD_TOTAL_MAX_S)} minutes), "
            f"rising at most {weekly} a week: novice runners who increased volume by more than "
            f"{weekly} a week were injured more (Nielsen et al.), while the 10% rule showed no "
            "benefit (Buist 2008). That evidence comes from running, not walking: limited "
            "evidence."
        )
    if state.treadmill_speed_m_s is not None or state.supported_environment.is_treadmill:
        notes.append(
            f"Treadmill: start at {speed_words(level.treadmill_start_m_s)}, never above "
            f"{speed_words(state.treadmill_speed_max_m_s)} (guidance: a slow first try, under "
            f"2 mph for beginners). The belt speed rises by {speed_words(rules.SPEED_STEP_M_S)} "
            "only after you report steady form, and only once the backward time has reached its "
            "target (duration before speed)."
        )
    if state.outdoor_environment is not None:
        notes.append(
            "Indoors before outdoors: backward intervals move to "
            f"{ENV_WORDS[state.outdoor_environment].removeprefix('on ')} only after the "
            "indoor dose is reached with steady form. Outdoors: no phone or headphones, away "
            "from roads, stairs, water, edges and crowds."
        )
    else:
        notes.append("All backward walking stays indoors in this plan.")
    notes.append(
        "Aim for moderate effort, able to talk in sentences but not sing "
        f"(Borg {_range(*rules.EFFORT_BANDS[RpeScale.BORG_6_20])}, "
        f"CR10 {_range(*rules.EFFORT_BANDS[RpeScale.CR10])}). Stop at once on pain, dizziness or "
        f"discomfort, and log it: the plan eases off after pain of {rules.PAIN_REGRESS_AT}/10 or "
        "more, rising pain, dizziness or a near-fall, and asks you to see a professional after a "
        "fall, chest pain, fainting or repeated dizziness."
    )
    if level.backward_total_max_s < rules.BACKWARD_TOTAL_MAX_S and state.progression_allowed:
        notes.append(
            "With support the plan stays within the first stage (up to "
            f"{minutes_words(level.backward_total_max_s)} backward) until screening changes."
        )
    return tuple(notes)


def trimmed_note() -> str:
    """Said of a week trimmed to the weekly cap."""
    return (
        f"Trimmed so weekly backward minutes rise at most {rules.WEEKLY_INCREASE_MAX_FRACTION:.0%} "
        "(Nielsen et al.)."
    )


def week_note(week: PlanWeek, note: str) -> str:
    """``note`` followed by the week's totals against the weekly goal."""
    totals = (
        f"{week.backward_minutes:.1f} min backward, {week.walking_minutes:.1f} min walking in all "
        f"toward the {rules.WEEKLY_GOAL_MINUTES} min a week of moderate activity (WHO 2020)."
    )
    if week.walking_minutes < rules.WEEKLY_GOAL_MINUTES:
        totals += " Forward walking on other days counts toward the rest."
    return f"{note} {totals}".strip()
