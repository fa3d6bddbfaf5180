"""Where a plan starts: the level, the setup and the first state, and the plan made from them.

Nothing here reads the clock, a file or a database: the caller passes ``start_on`` and the
history. Sessions and weeks are built by :mod:`retrowalk.plans.build`, the words by
:mod:`retrowalk.plans.explain`; logged sessions are replayed through
:func:`~retrowalk.plans.progression.adapt`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from retrowalk.errors import InvalidInputError
from retrowalk.plans import explain, rules
from retrowalk.plans.build import build_session, build_weeks, held_step, session_length_s
from retrowalk.plans.model import (
    Plan,
    PlanLimits,
    ProfessionalClearanceRequiredError,
    ProgressionState,
    SessionOutcome,
)
from retrowalk.plans.progression import adapt
from retrowalk.plans.rules import Level
from retrowalk.profile import Equipment, Profile
from retrowalk.screening.model import Clearance, ScreeningResult
from retrowalk.vocabulary import Environment, Support

__all__ = ["BalanceRisk", "choose_level", "choose_setup", "generate_plan", "initial_state"]

#: The 3MBWT baseline as the plan needs it: does it indicate higher fall risk? (The
#: interpretation, with population-specific cut-offs, belongs to :mod:`retrowalk.assessments`.)
BalanceRisk = Literal["lower", "higher", "unknown"]


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
        return rules.LEVELS["acknowledged_risk"], (explain.ACKNOWLEDGED_RISK_START,)
    because = {
        "screening": screening.clearance is Clearance.GO_WITH_SUPPORT or screening.requires_support,
        "balance": balance_risk == "higher",
        "walking_aid": profile.uses_walking_aid,
    }
    why = [explain.SUPPORTED_BECAUSE[reason] for reason, holds in because.items() if holds]
    if why:
        return rules.LEVELS["supported"], (explain.supported_start(why),)
    return rules.LEVELS["beginner"], (explain.BEGINNER_START,)


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
        return Environment.OPEN_ROOM, Support.SPOTTER, explain.NO_RAIL_SETUP
    if Equipment.TREADMILL_WITH_RAILS in have:
        return Environment.TREADMILL, Support.TREADMILL_RAILS, ""
    if Equipment.HALLWAY_WITH_RAIL in have:
        return Environment.HALLWAY, Support.WALL_OR_RAIL, ""
    if Equipment.OPEN_ROOM in have:
        return Environment.OPEN_ROOM, Support.NONE, ""
    return Environment.OPEN_ROOM, Support.NONE, explain.START_INDOORS_SETUP


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
    sessions = min(profile.days_per_week, rules.SESSIONS_PER_WEEK_MAX)
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
    frequency = explain.frequency_note(profile.days_per_week, sessions)
    if frequency is not None:
        notes.append(frequency)
    return state, tuple(notes)


def _limits(state: ProgressionState, equipment: Iterable[Equipment] | None) -> PlanLimits:
    uses_treadmill = state.environment.is_treadmill or state.supported_environment.is_treadmill
    if equipment is not None:
        uses_treadmill = uses_treadmill or Equipment.TREADMILL_WITH_RAILS in set(equipment)
    return PlanLimits(
        treadmill_speed_max_m_s=state.treadmill_speed_max_m_s if uses_treadmill else None,
        backward_interval_max_s=state.backward_interval_max_s,
        backward_total_max_s=state.backward_total_max_s,
        weekly_increase_max_fraction=rules.WEEKLY_INCREASE_MAX_FRACTION,
        sessions_per_week=state.sessions_per_week,
        session_max_s=state.session_max_s,
        outdoor_allowed=state.outdoor_environment is not None,
    )


def generate_plan(
    profile: Profile,
    screening: ScreeningResult,
    *,
    start_on: date,
    weeks: int = rules.PLAN_WEEKS_DEFAULT,
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
    if isinstance(weeks, bool) or not rules.PLAN_WEEKS_MIN <= weeks <= rules.PLAN_WEEKS_MAX:
        raise InvalidInputError(
            "weeks", weeks, f"a whole number from {rules.PLAN_WEEKS_MIN} to {rules.PLAN_WEEKS_MAX}"
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
    first = build_session(state, week=1, day=1, scheduled_on=date.min)
    general_notes = explain.plan_notes(
        state, level, first=first, full_s=session_length_s(state), held=held_step(state)
    )
    explanation = [*level_notes, *setup_notes, *general_notes]

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
        rules_version=rules.RULES_VERSION,
    )
