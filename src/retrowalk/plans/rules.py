"""The plan engine's rules, as data: start levels, progression steps, adaptation rules and cues.

Every number the plan tells a user is a named constant here, with its source and evidence label,
and the same name appears in ``docs/evidence.md`` ("Plans and progression"). Labels follow the
research notes: ``[A]`` abstract, ``[S]`` secondary, ``[derived]`` arithmetic done here, and
``opinion`` for popular guidance or an expert tip without trial evidence. Where the evidence is
thin the rule takes the safer choice and says so.

The engine (:mod:`retrowalk.plans.start`, :mod:`retrowalk.plans.build`,
:mod:`retrowalk.plans.progression`) only interprets these records; to change the product's dose
or safety behaviour, change a record here and its row in ``docs/evidence.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Final, Literal

from retrowalk.units import MPH_IN_M_S
from retrowalk.vocabulary import RpeScale

if TYPE_CHECKING:
    from retrowalk.plans.progression import Logged

__all__ = [
    "ADAPTATION_RULES",
    "BACKWARD_INTERVAL_MAX_S",
    "BACKWARD_INTERVAL_START_S",
    "BACKWARD_INTERVAL_SUPPORTED_S",
    "BACKWARD_TOTAL_MAX_S",
    "BACKWARD_TOTAL_START_S",
    "BACKWARD_TOTAL_SUPPORTED_MAX_S",
    "COOL_DOWN_S",
    "CUES",
    "EFFORT_BANDS",
    "LEVELS",
    "MPH_TO_M_S",
    "PAIN_REGRESS_AT",
    "PLAN_WEEKS_DEFAULT",
    "PLAN_WEEKS_MAX",
    "PLAN_WEEKS_MIN",
    "PROGRESSION_RULES",
    "PROGRESS_MIN_DAYS_BETWEEN_CHANGES",
    "RECOVERY_TO_BACKWARD_RATIO",
    "RULES_VERSION",
    "SESSIONS_PER_WEEK_MAX",
    "SESSION_DAY_OFFSETS",
    "SPEED_STEP_M_S",
    "TREADMILL_BEGINNER_MAX_M_S",
    "TREADMILL_CONSERVATIVE_MAX_M_S",
    "TREADMILL_START_M_S",
    "WARM_UP_S",
    "WEEKLY_GOAL_MINUTES",
    "WEEKLY_INCREASE_MAX_FRACTION",
    "Action",
    "AdaptationRule",
    "Cue",
    "EffortBand",
    "Level",
    "LevelId",
    "ProgressionRule",
    "mph",
]

#: Version of this rule set; stored with every plan and change so old plans stay explainable.
RULES_VERSION: Final = "plans-2026.11-1"

#: m/s in one mile per hour (exact; defined once, in :mod:`retrowalk.units`).
MPH_TO_M_S: Final = MPH_IN_M_S


def mph(value_mph: float) -> float:
    """Convert miles per hour to metres per second (exact factor :data:`MPH_TO_M_S`)."""
    return value_mph * MPH_TO_M_S


# ---------------------------------------------------------------------------------------------
# Dose constants
# ---------------------------------------------------------------------------------------------

_BRIEF = "Product brief section 1, 'How people are told to do it' (popular articles)"

#: First backward intervals, standard beginner: the top of "1-2 minute intervals" (brief).
BACKWARD_INTERVAL_START_S: Final = 120.0
#: First backward intervals with support: the bottom of "1-2 minute intervals" (safer choice).
BACKWARD_INTERVAL_SUPPORTED_S: Final = 60.0
#: Longest backward interval the plan prescribes: the top of "1-2 minute intervals". Trials
#: prescribed 10-15 min per session (Alghadir 2019, supervised; Dufek 2011) without saying in the
#: abstracts whether in one bout; home use stays with the guidance (safer).
BACKWARD_INTERVAL_MAX_S: Final = 120.0
#: "About 5 minutes in all" of backward walking per first session (brief).
BACKWARD_TOTAL_START_S: Final = 300.0
#: "Build to 5-10 and then 10-15 minutes" (brief); 10-15 min sessions in trials (Dufek 2011 [A];
#: Whitley & Dufek [A]; Alghadir 2019 10 min [A]). The top of that range.
BACKWARD_TOTAL_MAX_S: Final = 900.0
#: With support the plan stays in the first stage, "5-10 minutes" (brief; Alghadir 2019 used
#: 10 min supervised sessions in knee OA [A]): the safer choice while balance is in question.
BACKWARD_TOTAL_SUPPORTED_MAX_S: Final = 600.0

#: Forward warm-up before the backward part: 5 min (Parikh & Desai 2022 [A]; Hadfield 2017 [A]).
WARM_UP_S: Final = 300.0
#: Forward cool-down after the backward part: 5 min (Parikh & Desai 2022 [A]).
COOL_DOWN_S: Final = 300.0
#: Forward recovery between backward intervals, as a multiple of the interval before it.
#: "Alternate forward and backward intervals" (brief); no source gives a ratio: 1:1 is the
#: project's choice (opinion) and the safer one of the simple choices (more rest, not less).
RECOVERY_TO_BACKWARD_RATIO: Final = 1.0

#: Backward-walking sessions per week at most: the trials' 3 d/wk (Alghadir 2019 [A]; Yang 2005
#: [A]; Parikh & Desai 2022 [A]); ACSM neuromotor exercise 2-3 d/wk (Garber 2011 [A]).
SESSIONS_PER_WEEK_MAX: Final = 3
#: Day offsets within a week for 1, 2 or 3 sessions: non-consecutive days (ACSM stage model,
#: "3x/week on non-consecutive days", ndec.info [S]).
SESSION_DAY_OFFSETS: Final[dict[int, tuple[int, ...]]] = {1: (0,), 2: (0, 3), 3: (0, 2, 4)}

#: Weekly activity goal in minutes of moderate activity (WHO 2020, Bull et al. [A]).
WEEKLY_GOAL_MINUTES: Final = 150

#: Largest increase of weekly backward minutes from one week to the next, as a fraction.
#: Nielsen et al. (novice runners): increases "above 30%" may become deleterious [S]; the 10% rule
#: showed no preventive effect (Buist 2008 [A]). Running evidence, not walking: limited evidence.
WEEKLY_INCREASE_MAX_FRACTION: Final = 0.30
#: Days that must pass between two progression steps: "change only one of frequency/intensity/
#: duration at a time and hold at least one week" (PT tip column [S], opinion).
PROGRESS_MIN_DAYS_BETWEEN_CHANGES: Final = 7

#: First treadmill speed: "about 1 mph for a first try" (brief).
TREADMILL_START_M_S: Final = mph(1.0)
#: Speed step: "raise in small steps (about 0.5 mph) only when form is steady" (brief).
SPEED_STEP_M_S: Final = mph(0.5)
#: Beginner ceiling: "under 2 mph" (brief); the highest 0.5 mph step under 2 mph is 1.5 mph.
TREADMILL_BEGINNER_MAX_M_S: Final = mph(1.5)
#: Ceiling when a user starts against a "see a professional first" advice: the first-try speed,
#: never raised by the app (safer choice; no source addresses this case).
TREADMILL_CONSERVATIVE_MAX_M_S: Final = mph(1.0)

#: Plan length in weeks. Trial protocols in the research notes ran 1-12 weeks (section 2); the
#: plan does not project beyond the longest of them (El-Basatiny 2015, 12 wk [A]).
PLAN_WEEKS_MIN: Final = 1
PLAN_WEEKS_MAX: Final = 12
#: Default plan length: the knee-OA and older-adult protocols ran 4-6 weeks (Parikh & Desai 2022
#: 4 wk [A]; Alghadir 2019 6 wk [A]); the shorter one.
PLAN_WEEKS_DEFAULT: Final = 4


# ---------------------------------------------------------------------------------------------
# Effort bands (perceived exertion)
# ---------------------------------------------------------------------------------------------


class EffortBand(StrEnum):
    """Perceived effort of a session, from the logged RPE."""

    LIGHT = "light"
    MODERATE = "moderate"
    HIGH = "high"
    UNKNOWN = "unknown"


#: Moderate effort bands (research notes 4.2): Borg 6-20 moderate 12-13, vigorous 14-17 (BJSM
#: table adapted from ACSM/Garber [S]); Borg CR10 moderate 3-4, vigorous 5-9 (Heliyon 2022 [S]).
#: Values are inclusive ``(low, high)`` bounds of the moderate band.
EFFORT_BANDS: Final[dict[RpeScale, tuple[float, float]]] = {
    RpeScale.BORG_6_20: (12.0, 13.0),
    RpeScale.CR10: (3.0, 4.0),
}


# ---------------------------------------------------------------------------------------------
# Start levels
# ---------------------------------------------------------------------------------------------

LevelId = Literal["acknowledged_risk", "supported", "beginner"]


@dataclass(frozen=True, slots=True)
class Level:
    """A start level: the first prescription and the ceilings of a kind of walker.

    Attributes
    ----------
    level_id
        Stable id stored in plans.
    title
        Plain words for the user.
    condition
        When the engine picks this level (plain words; the engine tests them in the order of
        :data:`LEVELS`, most cautious first).
    backward_interval_s, backward_interval_max_s
        First and longest backward interval, s.
    backward_total_s, backward_total_max_s
        First and largest backward time per session, s.
    treadmill_start_m_s, treadmill_max_m_s
        First treadmill belt speed and the level's ceiling, m/s.
    support_required
        Every backward segment is supported (rail, wall, treadmill rails or a spotter), indoors.
    supervision_required
        A spotter or walking buddy must be present. Always true with ``support_required``
        (issue 4: nobody flagged for support walks backward unsupervised; screening couples
        the two flags the same way).
    outdoor_allowed
        Whether the level may ever move to a track or park (never at the start).
    progression_allowed
        Whether the app may raise the dose on its own.
    source, evidence
        Citation and evidence label.
    """

    level_id: LevelId
    title: str
    condition: str
    backward_interval_s: float
    backward_interval_max_s: float
    backward_total_s: float
    backward_total_max_s: float
    treadmill_start_m_s: float
    treadmill_max_m_s: float
    support_required: bool
    supervision_required: bool
    outdoor_allowed: bool
    progression_allowed: bool
    source: str
    evidence: str


#: Start levels, most cautious first.
LEVELS: Final[dict[LevelId, Level]] = {
    "acknowledged_risk": Level(
        level_id="acknowledged_risk",
        title="Most cautious start (you chose to start before seeing a professional)",
        condition="screening says see_professional_first and the user acknowledged the risk",
        backward_interval_s=BACKWARD_INTERVAL_SUPPORTED_S,
        backward_interval_max_s=BACKWARD_INTERVAL_SUPPORTED_S,
        backward_total_s=BACKWARD_TOTAL_START_S,
        backward_total_max_s=BACKWARD_TOTAL_START_S,
        treadmill_start_m_s=TREADMILL_START_M_S,
        treadmill_max_m_s=TREADMILL_CONSERVATIVE_MAX_M_S,
        support_required=True,
        supervision_required=True,
        outdoor_allowed=False,
        progression_allowed=False,
        source=(
            f"{_BRIEF}: 1-2 min intervals, about 5 min, support, about 1 mph first; "
            "FP Notebook geriatric balance training: under supervision [S]"
        ),
        evidence="opinion; no source addresses exercising against advice: safest settings",
    ),
    "supported": Level(
        level_id="supported",
        title="Supported start",
        condition=(
            "screening requires support (go_with_support), or the 3MBWT baseline indicates "
            "higher fall risk, or the user walks with an aid"
        ),
        backward_interval_s=BACKWARD_INTERVAL_SUPPORTED_S,
        backward_interval_max_s=BACKWARD_INTERVAL_SUPPORTED_S,
        backward_total_s=BACKWARD_TOTAL_START_S,
        backward_total_max_s=BACKWARD_TOTAL_SUPPORTED_MAX_S,
        treadmill_start_m_s=TREADMILL_START_M_S,
        treadmill_max_m_s=TREADMILL_BEGINNER_MAX_M_S,
        support_required=True,
        supervision_required=True,
        outdoor_allowed=False,
        progression_allowed=True,
        source=(
            f"{_BRIEF}: support until balance improves, 5-10 min first stage, under 2 mph; "
            "Lifecurve home sheet: hold a bench, short bouts [S]"
        ),
        evidence="opinion and [S]",
    ),
    "beginner": Level(
        level_id="beginner",
        title="Beginner start",
        condition="screening says go and nothing above applies",
        backward_interval_s=BACKWARD_INTERVAL_START_S,
        backward_interval_max_s=BACKWARD_INTERVAL_MAX_S,
        backward_total_s=BACKWARD_TOTAL_START_S,
        backward_total_max_s=BACKWARD_TOTAL_MAX_S,
        treadmill_start_m_s=TREADMILL_START_M_S,
        treadmill_max_m_s=TREADMILL_BEGINNER_MAX_M_S,
        support_required=False,
        supervision_required=False,
        outdoor_allowed=True,
        progression_allowed=True,
        source=(
            f"{_BRIEF}: 1-2 min intervals, about 5 min, build to 10-15 min, under 2 mph; "
            "trials 10-15 min, 3 d/wk (Alghadir 2019 [A]; Dufek 2011 [A])"
        ),
        evidence="opinion for the start, [A] for the 10-15 min sessions",
    ),
}


# ---------------------------------------------------------------------------------------------
# Progression rules (what one "progress" step changes), tried in order: duration before speed
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgressionRule:
    """One kind of progression step.

    Attributes
    ----------
    rule_id
        Stable id recorded in every :class:`~retrowalk.plans.model.PlanChange`.
    condition
        When the step applies (plain words).
    step
        What the step changes and by how much.
    cap
        The bound the step never crosses.
    projected
        Whether the plan's later weeks assume this step (``False``: only applied from logs).
    source, evidence
        Citation and evidence label.
    """

    rule_id: str
    condition: str
    step: str
    cap: str
    projected: bool
    source: str
    evidence: str


#: Progression steps, in the order they are tried; one step per progression (one change at a
#: time), duration before speed, indoors before outdoors.
PROGRESSION_RULES: Final[tuple[ProgressionRule, ...]] = (
    ProgressionRule(
        rule_id="progress.interval_longer",
        condition="backward intervals shorter than the level's longest",
        step="backward intervals lengthen to the level's longest interval",
        cap="BACKWARD_INTERVAL_MAX_S (120 s) or the level's interval",
        projected=True,
        source=f"{_BRIEF}: '1-2 minute intervals'",
        evidence="opinion",
    ),
    ProgressionRule(
        rule_id="progress.duration",
        condition="backward time per session below the level's largest",
        step=(
            "backward time per session x (1 + WEEKLY_INCREASE_MAX_FRACTION), rounded down to 30 s"
        ),
        cap=(
            "the level's backward_total_max_s (600 s supported, 900 s beginner); weekly backward "
            "minutes never rise more than 30% over the week before"
        ),
        projected=True,
        source=(
            f"{_BRIEF}: 'build to 5-10 and then 10-15 minutes'; Nielsen et al. >30%/week [S]; "
            "Buist 2008 against the 10% rule [A]"
        ),
        evidence="opinion for the targets; running evidence [S]/[A] for the cap",
    ),
    ProgressionRule(
        rule_id="progress.speed",
        condition=(
            "on a treadmill, backward time already at the level's largest, and the user "
            "reported steady form in the session"
        ),
        step="belt speed + SPEED_STEP_M_S (0.5 mph)",
        cap="the level's treadmill_max_m_s (1.5 mph for beginners: under 2 mph)",
        projected=False,
        source=f"{_BRIEF}: 'raise in small steps (about 0.5 mph) only when form is steady'",
        evidence="opinion",
    ),
    ProgressionRule(
        rule_id="progress.outdoors",
        condition=(
            "level allows outdoors (never with support or supervision required), a track or "
            "park is available, backward time at the level's largest, treadmill speed at its "
            "ceiling if on a treadmill, and the user reported steady form"
        ),
        step="backward intervals move to the track (preferred: flat) or a flat park path",
        cap="never outdoors for anyone whose screening or logs call for support",
        projected=False,
        source=f"{_BRIEF}: 'start indoors ... later a walking track or flat park path'",
        evidence="opinion",
    ),
)


# ---------------------------------------------------------------------------------------------
# Adaptation rules (what a logged session does), tried in order: the most cautious first
# ---------------------------------------------------------------------------------------------

Action = Literal["progress", "hold", "regress", "stop"]


@dataclass(frozen=True, slots=True)
class AdaptationRule:
    """What the plan does after a logged session that meets ``condition``.

    Attributes
    ----------
    rule_id
        Stable id recorded in the change.
    action
        ``stop``, ``regress``, ``hold`` or ``progress``.
    condition
        When it fires (plain words).
    applies
        The condition as code, over the facts of the logged session (the engine tries the rules
        in the order of :data:`ADAPTATION_RULES` and the first that applies decides).
    effect
        What changes in the prescription.
    reason
        Plain words shown to the user; ``{detail}`` is filled in by ``detail``.
    source, evidence
        Citation and evidence label.
    detail
        The words for ``{detail}``, from the same facts (empty by default).
    """

    rule_id: str
    action: Action
    condition: str
    applies: Callable[[Logged], bool]
    effect: str
    reason: str
    source: str
    evidence: str
    detail: Callable[[Logged], str] = lambda facts: ""


#: Pain at or above this (0-10) regresses the plan (issue 4; Alghadir 2019 measured pain on a
#: 0-10 NRS [A]). The threshold itself is the project's choice: opinion.
PAIN_REGRESS_AT: Final = 4

_STOP_SOURCE = (
    "ACSM test-termination criteria via ExRx [S]; Allina Health and Geisinger patient pages [S] "
    "(stop on chest pain, fainting, dizziness; if symptoms recur with exercise see a physician); "
    "a previous fall is the strongest single predictor of another (Koenig 2014 [A])"
)


def _pain_high(facts: Logged) -> bool:
    return facts.outcome.pain_0_10 is not None and facts.outcome.pain_0_10 >= PAIN_REGRESS_AT


def _pain_rising(facts: Logged) -> bool:
    pain, previous = facts.outcome.pain_0_10, facts.previous_pain
    return pain is not None and previous is not None and pain > previous


def _effort_words(facts: Logged) -> str:
    borg, cr10 = facts.outcome.rpe_borg, facts.outcome.rpe_cr10
    rated = [f"Borg {borg}"] if borg is not None else []
    return ", ".join(rated + ([f"CR10 {cr10:g}"] if cr10 is not None else []))


def _sessions_needed(facts: Logged) -> int:
    return facts.state.sessions_per_week - facts.good.good_sessions_in_row


def _too_soon(facts: Logged) -> bool:
    days = facts.days_since_change
    return days is not None and days < PROGRESS_MIN_DAYS_BETWEEN_CHANGES


def _waits(facts: Logged) -> str:
    needed = _sessions_needed(facts)
    waits = []
    if needed > 0:
        waits.append(f"{needed} more good session{'s' if needed > 1 else ''} in a row")
    if _too_soon(facts):
        waits.append(
            f"{PROGRESS_MIN_DAYS_BETWEEN_CHANGES} days since the last change "
            f"({max(facts.days_since_change or 0, 0)} so far)"
        )
    return "The next step needs " + " and ".join(waits) + ": one change at a time."


def _at_top_words(facts: Logged) -> str:
    good = facts.good
    if facts.outcome.form_steady is not True and (
        good.environment.is_treadmill or good.outdoor_environment is not None
    ):
        return (
            "The backward time is at its target; the next step (speed or moving outdoors) "
            "needs you to report steady form."
        )
    if good.backward_total_s < good.backward_total_max_s:
        return (
            "Your minutes per day hold the current dose; more minutes a day would let the "
            "backward time build further."
        )
    return "You are at the top of this plan's dose; keep it up."


#: Adaptation rules in the order they are tried; the first that matches decides.
ADAPTATION_RULES: Final[tuple[AdaptationRule, ...]] = (
    AdaptationRule(
        rule_id="stop.pending_clearance",
        action="stop",
        applies=lambda facts: facts.state.stopped,
        condition="the plan was already stopped by an earlier session",
        effect="no further sessions until a professional has been seen",
        reason="The plan is stopped until a health professional has seen you; then screen "
        "again to get a new plan.{detail}",
        source=_STOP_SOURCE,
        evidence="[S]",
    ),
    AdaptationRule(
        rule_id="stop.fall",
        action="stop",
        applies=lambda facts: facts.outcome.fall,
        condition="the user fell during the session",
        effect="no further sessions until a professional has been seen",
        reason="You reported a fall. Please stop and see a health professional before walking "
        "backward again.{detail}",
        source=_STOP_SOURCE,
        evidence="[S]/[A]",
    ),
    AdaptationRule(
        rule_id="stop.chest_pain",
        action="stop",
        applies=lambda facts: facts.outcome.chest_pain,
        condition="chest pain during the session",
        effect="no further sessions until a professional has been seen",
        reason="You reported chest pain. Stop exercising and see a health professional; if it "
        "does not go away within a few minutes of stopping, call emergency services.{detail}",
        source=_STOP_SOURCE,
        evidence="[S]",
    ),
    AdaptationRule(
        rule_id="stop.fainting",
        action="stop",
        applies=lambda facts: facts.outcome.fainting,
        condition="fainting (loss of consciousness) during the session",
        effect="no further sessions until a professional has been seen",
        reason="You reported fainting. Please stop and see a health professional.{detail}",
        source=_STOP_SOURCE,
        evidence="[S]",
    ),
    AdaptationRule(
        rule_id="stop.repeated_dizziness",
        action="stop",
        applies=lambda facts: facts.outcome.dizziness and facts.earlier_dizziness,
        condition="dizziness in this session and in any earlier session of the plan",
        effect="no further sessions until a professional has been seen",
        reason="You reported dizziness again. When symptoms come back with exercise, see a "
        "health professional before going on.{detail}",
        source=_STOP_SOURCE,
        evidence="[S]",
    ),
    AdaptationRule(
        rule_id="regress.pain",
        action="regress",
        applies=_pain_high,
        detail=lambda facts: str(facts.outcome.pain_0_10),
        condition=f"pain of {PAIN_REGRESS_AT}/10 or more",
        effect="back to the supported start (60 s intervals, 5 min, 1 mph), support required, "
        "indoors",
        reason="You reported pain of {detail}/10. The plan goes back to the supported start, "
        "with support, until it settles.",
        source=f"Issue 4; {_BRIEF}: 'stop at once on pain'; Alghadir 2019 pain NRS [A]",
        evidence="opinion for the threshold",
    ),
    AdaptationRule(
        rule_id="regress.rising_pain",
        action="regress",
        applies=_pain_rising,
        detail=lambda facts: f"from {facts.previous_pain}/10 to {facts.outcome.pain_0_10}/10",
        condition="pain higher than in the previous session that reported pain",
        effect="back to the supported start, support required, indoors",
        reason="Your pain went up ({detail}). The plan goes back to the supported start, "
        "with support.",
        source=f"Issue 4; {_BRIEF}: 'stop at once on pain'; patient pages: new joint pain [S]",
        evidence="opinion",
    ),
    AdaptationRule(
        rule_id="regress.dizziness",
        action="regress",
        applies=lambda facts: facts.outcome.dizziness,
        condition="dizziness (first time in this plan)",
        effect="back to the supported start, support required, indoors",
        reason="You reported dizziness. The plan goes back to the supported start, with "
        "support. If it happens again, the plan will ask you to see a professional.{detail}",
        source=f"{_BRIEF}: 'stop at once on ... dizziness'; ACSM via ExRx [S]",
        evidence="[S]",
    ),
    AdaptationRule(
        rule_id="regress.near_fall",
        action="regress",
        applies=lambda facts: facts.outcome.near_fall,
        condition="a near-fall (a stumble or loss of balance recovered without falling)",
        effect="back to the supported start, support required, indoors",
        reason="You reported a near-fall. The plan goes back to the supported start and keeps "
        "you supported, indoors.{detail}",
        source=f"{_BRIEF}: support until balance improves; STEADI fall-risk screening [S]",
        evidence="opinion and [S]",
    ),
    AdaptationRule(
        rule_id="hold.incomplete",
        action="hold",
        applies=lambda facts: not facts.outcome.completed,
        condition="the session was not completed",
        effect="next sessions repeat the current dose",
        reason="The session was not completed, so the next sessions stay the same.{detail}",
        source="Issue 4; PT tip column: hold before the next change [S]",
        evidence="opinion",
    ),
    AdaptationRule(
        rule_id="hold.high_effort",
        action="hold",
        applies=lambda facts: facts.outcome.effort is EffortBand.HIGH,
        detail=_effort_words,
        condition="effort above moderate (Borg 14 or more, CR10 above 4)",
        effect="next sessions repeat the current dose",
        reason="Your effort was above moderate ({detail}), so the next sessions stay the same.",
        source="Issue 4; moderate = Borg 12-13 / CR10 3-4 (BJSM and Heliyon tables [S])",
        evidence="[S]",
    ),
    AdaptationRule(
        rule_id="hold.effort_unknown",
        action="hold",
        applies=lambda facts: facts.outcome.effort is EffortBand.UNKNOWN,
        condition="no effort rating logged",
        effect="next sessions repeat the current dose",
        reason="No effort rating was logged; the plan only steps up after sessions rated "
        "light or moderate.{detail}",
        source="Project rule: a missing input never counts as reassuring",
        evidence="safer choice",
    ),
    AdaptationRule(
        rule_id="hold.no_progression_allowed",
        action="hold",
        applies=lambda facts: not facts.state.progression_allowed,
        condition="the level never progresses on its own (started against advice)",
        effect="next sessions repeat the current dose",
        reason="Good session. The plan will not step up until a professional has cleared you; "
        "then screen again.{detail}",
        source="Safer choice for users who started against a see-a-professional advice",
        evidence="safer choice",
    ),
    AdaptationRule(
        rule_id="hold.consolidate",
        action="hold",
        applies=lambda facts: _sessions_needed(facts) > 0 or _too_soon(facts),
        detail=_waits,
        condition=(
            "a good session, but fewer good sessions in a row than sessions per week, or less "
            f"than {PROGRESS_MIN_DAYS_BETWEEN_CHANGES} days since the last change"
        ),
        effect="next sessions repeat the current dose",
        reason="Good session. {detail}",
        source="PT tip column: one change at a time, hold at least one week [S]",
        evidence="opinion",
    ),
    AdaptationRule(
        rule_id="hold.at_top",
        action="hold",
        applies=lambda facts: facts.step is None,
        detail=_at_top_words,
        condition="a good week, but no progression step applies",
        effect="next sessions repeat the current dose",
        reason="Good week. {detail}",
        source="Level caps above",
        evidence="see the level",
    ),
    AdaptationRule(
        rule_id="progress.step",
        action="progress",
        applies=lambda facts: facts.step is not None,
        detail=lambda facts: f"{facts.step[2]}." if facts.step else "",
        condition=(
            "a completed session at light or moderate effort, no symptoms, pain below "
            f"{PAIN_REGRESS_AT}/10 and not rising, a full week of such sessions in a row and "
            f"{PROGRESS_MIN_DAYS_BETWEEN_CHANGES} days since the last change"
        ),
        effect="one step of PROGRESSION_RULES (duration before speed, bounded weekly increase)",
        reason="A week of good sessions: {detail}",
        source="Issue 4; see PROGRESSION_RULES",
        evidence="see PROGRESSION_RULES",
    ),
)


# ---------------------------------------------------------------------------------------------
# Technique and safety cues
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """A spoken/printed cue with its source."""

    cue_id: str
    text: str
    source: str
    evidence: str


#: Cues, by id. Technique cues come from the popular guidance the product brief collects.
CUES: Final[dict[str, Cue]] = {
    cue.cue_id: cue
    for cue in (
        Cue(
            "eyes_forward", "Eyes forward on a fixed point; don't turn to look.", _BRIEF, "opinion"
        ),
        Cue("small_steps", "Small steps, feet close to the ground.", _BRIEF, "opinion"),
        Cue("posture", "Back straight, shoulders relaxed, stand tall.", _BRIEF, "opinion"),
        Cue("hand_on_rail", "Keep a hand on the wall or rail.", _BRIEF, "opinion"),
        Cue(
            "treadmill_rails",
            "Hands on the side rails; safety key clipped to your clothes.",
            f"{_BRIEF}; Consumer Reports treadmill safety [S]",
            "[S]",
        ),
        Cue(
            "treadmill_turn",
            "Stop the belt before you turn around; straddle the belt while it starts.",
            "Consumer Reports treadmill safety (straddle the belt when starting) [S]",
            "[S]",
        ),
        Cue(
            "spotter",
            "Your spotter stays right behind you.",
            f"{_BRIEF}; FP Notebook: balance training under supervision [S]",
            "[S]",
        ),
        Cue(
            "clear_space",
            "Flat, clear floor behind you: no rugs, stairs or furniture.",
            _BRIEF,
            "opinion",
        ),
        Cue(
            "outdoors",
            "No phone or headphones; stay away from roads, stairs, water, edges and crowds.",
            _BRIEF,
            "opinion",
        ),
        Cue(
            "talk_test",
            "Moderate effort: you can talk in sentences but not sing.",
            "Talk test (Heliyon 2022 table; HHS wording) [S]",
            "[S]",
        ),
        Cue(
            "stop_on_symptoms",
            "Stop at once on pain, dizziness or discomfort.",
            _BRIEF,
            "opinion",
        ),
        Cue("easy_forward", "Easy forward walking; let your breathing settle.", _BRIEF, "opinion"),
    )
}
