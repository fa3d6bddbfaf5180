"""Screening rules, as data: one :class:`Rule` per risk, each with its outcome and source.

The engine (:mod:`retrowalk.screening.engine`) fires every rule whose condition holds and takes the
most cautious outcome. Every rule id, threshold and source is listed in ``docs/evidence.md``
("Screening"). Changing any rule means bumping :data:`RULES_VERSION`.

How the outcomes were chosen (research notes section 3):

* **PAR-Q+ page 1, any YES** -> ``see_professional_first``. On the PAR-Q+ a YES leads to pages
  2-3 and, if any follow-up is YES, to the ePARmed-X+ or a qualified exercise professional.
  RetroWalk does not implement pages 2-3, so the safe reading of any page-1 YES is to talk to a
  professional (or complete the ePARmed-X+) first.
* **Declared conditions** that are chronic medical conditions (heart condition, Parkinson's,
  stroke, MS, vestibular disorder, knee osteoarthritis) would make PAR-Q+ question 4 (or 1) a YES,
  so they get the same outcome; pregnancy is a PAR-Q+ "delay and consult"; recent surgery is a
  change in health (PAR-Q+ "delay if your health changes") with unknown restrictions.
* **Fall-risk signs** (a fall in the past year, fear of falling, a walking aid, low vision, age 65+,
  mild pain, a slow 3MBWT) -> ``go_with_support``: indoors, always holding a rail, wall or treadmill
  rails, with a helper present. A fall plus a walking aid already scores 4 on the STEADI "Stay
  Independent" brochure (2 + 2 points, at risk at >= 4) -> ``see_professional_first``.
* **Pain** thresholds are the project's conservative choice (no source gives a screening pain
  threshold for walking): pain >= ``PAIN_SEE_PROFESSIONAL_MIN`` (4/10, the level at which the plan
  engine eases a plan off) -> ``see_professional_first``; any lower pain -> ``go_with_support``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from retrowalk.assessments.three_metre_backward_walk import (
    OLDER_ADULT_AGE_YEARS,
    interpret,
    population_for,
)
from retrowalk.profile import PARQ_QUESTIONS, Condition, ParqQuestion, Profile
from retrowalk.screening.model import Clearance

__all__ = [
    "AGE_OLDER_ADULT_YEARS",
    "AGE_PARQ_VIGOROUS_CAVEAT_YEARS",
    "DEFAULT_RULE",
    "PAIN_SEE_PROFESSIONAL_MIN",
    "RULES",
    "RULES_VERSION",
    "STEADI_AT_RISK_SCORE",
    "STEADI_FALLEN_POINTS",
    "STEADI_WALKING_AID_POINTS",
    "Rule",
    "baseline_3mbwt_slow",
]

#: Version of this rule set, stored with every screening result.
RULES_VERSION: Final = "screening-2025.1"

#: WHO 2020 older adults (>= 65 years) [A]; backward-walking deficits grow with age more than
#: forward ones (Fritz 2013 [A]; Laufer 2005 [A]).
AGE_OLDER_ADULT_YEARS: Final = OLDER_ADULT_AGE_YEARS
#: PAR-Q+: "If you are over the age of 45 yr and NOT accustomed to regular vigorous to maximal
#: effort exercise, consult a qualified exercise professional before engaging in this
#: intensity" [S].
AGE_PARQ_VIGOROUS_CAVEAT_YEARS: Final = 45
#: Project's conservative choice (limited evidence): pain at or above this level is the plan
#: engine's regression threshold, so a plan should not start there without professional advice.
PAIN_SEE_PROFESSIONAL_MIN: Final = 4
#: STEADI "Stay Independent" brochure: "I have fallen in the past year" = 2 points; "I use, or have
#: been advised to use, a cane or walker" = 2 points; at risk if the score is >= 4 [S].
STEADI_FALLEN_POINTS: Final = 2
STEADI_WALKING_AID_POINTS: Final = 2
STEADI_AT_RISK_SCORE: Final = 4

_PARQ = (
    "PAR-Q+ 2020-2023, page 1 and decision logic (PAR-Q+ Collaboration; third-party reproductions)"
)
_ACSM = "ACSM pre-participation screening (Riebe et al. 2015; ACSM GETP 10th ed., ch. 2)"
_STEADI = "CDC STEADI; König et al. 2014; Loonlawong et al. BMC Med 2022"
_PRODUCT = "RetroWalk product brief, section 1 (the popular guidance)"


@dataclass(frozen=True)
class Rule:
    """One screening rule.

    Attributes
    ----------
    id
        Stable identifier (shown in results and in ``docs/evidence.md``).
    outcome
        The clearance this rule asks for.
    condition
        Plain words for when the rule fires (for docs and review).
    applies
        The condition as code.
    reason
        Plain words to the user: why, and what to do. Never a diagnosis.
    source
        Citation.
    evidence
        Evidence label (``[A]``, ``[S]``, ``[A]/[S]``, ``limited evidence``...).
    """

    id: str
    outcome: Clearance
    condition: str
    applies: Callable[[Profile], bool]
    reason: str
    source: str
    evidence: str


def _parq_yes(question: ParqQuestion) -> Callable[[Profile], bool]:
    def applies(profile: Profile) -> bool:
        return profile.parq.get(question.id, False)

    return applies


def _has(*conditions: Condition) -> Callable[[Profile], bool]:
    wanted = frozenset(conditions)

    def applies(profile: Profile) -> bool:
        return bool(profile.conditions & wanted)

    return applies


def _steadi_points(profile: Profile) -> int:
    return (STEADI_FALLEN_POINTS if profile.falls_past_year > 0 else 0) + (
        STEADI_WALKING_AID_POINTS if profile.uses_walking_aid else 0
    )


def baseline_3mbwt_slow(profile: Profile) -> bool:
    """Whether the profile's baseline 3MBWT is at or above its population's primary cut-off."""
    if profile.baseline_3mbwt_s is None:
        return False
    return interpret(profile.baseline_3mbwt_s, population_for(profile)).slower_than_cutoff


_PARQ_REASONS: Final[dict[str, str]] = {
    "heart_condition_or_high_bp": (
        "You said a doctor has told you that you have a heart condition or high blood pressure."
    ),
    "chest_pain": (
        "You said you feel pain in your chest at rest, in daily activities or when active. "
        "Chest pain is a warning sign: please see a doctor before starting any new exercise."
    ),
    "dizziness_or_lost_consciousness": (
        "You said you lose balance because of dizziness or have lost consciousness in the last "
        "12 months. Walking backward needs good balance."
    ),
    "other_chronic_condition": "You said you have another chronic medical condition.",
    "prescribed_medication": (
        "You said you take prescribed medication for a chronic medical condition."
    ),
    "bone_joint_soft_tissue_problem": (
        "You said you have a bone, joint or soft-tissue problem that more activity could make "
        "worse."
    ),
    "medically_supervised_only": (
        "You said a doctor told you to do only medically supervised physical activity. "
        "Please follow that advice for backward walking too."
    ),
}
_PARQ_FOLLOW_UP = (
    " On the PAR-Q+ this answer leads to more questions that RetroWalk does not ask, so please "
    "talk to your doctor or a qualified exercise professional (or complete the ePARmed-X+ at "
    "eparmedx.com) before you start."
)


def _parq_rule(question: ParqQuestion) -> Rule:
    extra = _ACSM if question.id in {"heart_condition_or_high_bp", "chest_pain"} else ""
    return Rule(
        id=f"parq_{question.id}",
        outcome=Clearance.SEE_PROFESSIONAL_FIRST,
        condition=f"PAR-Q+ question {question.number} answered YES",
        applies=_parq_yes(question),
        reason=_PARQ_REASONS[question.id] + _PARQ_FOLLOW_UP,
        source=_PARQ + (f"; {extra}" if extra else ""),
        evidence="[S]",
    )


_SEE = Clearance.SEE_PROFESSIONAL_FIRST
_SUPPORT = Clearance.GO_WITH_SUPPORT

#: Every screening rule, in display order within each outcome.
RULES: Final[tuple[Rule, ...]] = (
    *(_parq_rule(q) for q in PARQ_QUESTIONS),
    Rule(
        "pregnancy",
        _SEE,
        "conditions include pregnancy",
        _has(Condition.PREGNANCY),
        "You are pregnant. The PAR-Q+ says to talk to your health-care practitioner (or complete "
        "the ePARmed-X+) before becoming more active. Your balance changes as pregnancy "
        "progresses, which makes falls more likely, so backward walking would need support.",
        f"{_PARQ}; ACOG Committee Opinion 804 (2020); pregopower patient page",
        "[S]/[A]",
    ),
    Rule(
        "recent_surgery",
        _SEE,
        "conditions include recent_surgery",
        _has(Condition.RECENT_SURGERY),
        "You had surgery recently. Ask your surgeon or physiotherapist whether and when backward "
        "walking is right for you; RetroWalk does not know your restrictions (limited evidence, "
        "so RetroWalk takes the safer choice).",
        f"{_PARQ} ('delay becoming more active if your health changes'); project's conservative "
        "choice",
        "limited evidence",
    ),
    Rule(
        "heart_condition",
        _SEE,
        "conditions include heart_condition",
        _has(Condition.HEART_CONDITION),
        "You have a heart condition. Guidelines recommend talking to your doctor before starting "
        "a new exercise programme when you have known heart disease.",
        f"{_ACSM}; {_PARQ} (question 1)",
        "[S]",
    ),
    Rule(
        "neurological_condition",
        _SEE,
        "conditions include parkinsons, stroke or multiple_sclerosis",
        _has(Condition.PARKINSONS, Condition.STROKE, Condition.MULTIPLE_SCLEROSIS),
        "You have a neurological condition (Parkinson's, stroke or multiple sclerosis). Walking "
        "backward is harder with these conditions, and the studies that used it did so under "
        "supervision. Please talk to your doctor or physiotherapist first; if they agree, walk "
        "with support and a helper.",
        f"{_PARQ} (question 4); Hackney & Earhart 2009; Rose et al. 2018; Kapan et al. 2023",
        "[S]/[A]",
    ),
    Rule(
        "vestibular_disorder",
        _SEE,
        "conditions include vestibular_disorder",
        _has(Condition.VESTIBULAR_DISORDER),
        "You have a vestibular (inner-ear balance) disorder. Backward walking is part of the "
        "tests used to find gait instability in vestibular disorders, and no guidance on a safe "
        "dose for you was found (limited evidence). Please talk to your doctor or physiotherapist "
        "first.",
        f"{_PARQ} (question 4); Wrisley et al. 2004 (Functional Gait Assessment)",
        "[S]/[A]",
    ),
    Rule(
        "knee_osteoarthritis",
        _SEE,
        "conditions include knee_osteoarthritis",
        _has(Condition.KNEE_OSTEOARTHRITIS),
        "You have knee osteoarthritis. Backward walking has helped knee pain in supervised "
        "trials, but people with knee problems are advised to consult a professional before "
        "starting, and it is a chronic condition on the PAR-Q+.",
        f"{_PRODUCT}; {_PARQ} (questions 4 and 6); Alghadir et al. 2019",
        "[S]/[A]",
    ),
    Rule(
        "dizziness",
        _SEE,
        "dizziness is true",
        lambda p: p.dizziness,
        "You said you have dizziness or vertigo. Dizziness is a warning sign to stop exercise "
        "and a reason to see a doctor first, and walking backward needs good balance.",
        f"{_ACSM} (signs and symptoms); {_PARQ} (question 3); {_PRODUCT}",
        "[S]",
    ),
    Rule(
        "pain_4_or_more",
        _SEE,
        f"pain at any location >= {PAIN_SEE_PROFESSIONAL_MIN}/10",
        lambda p: p.max_pain >= PAIN_SEE_PROFESSIONAL_MIN,
        f"You reported pain of {PAIN_SEE_PROFESSIONAL_MIN}/10 or more. RetroWalk eases a plan "
        "off at this level, so please have the pain checked by a doctor or physiotherapist "
        "before you start. (The threshold is RetroWalk's cautious choice: limited evidence.)",
        f"{_PRODUCT} ('people with knee pain ... should consult a professional'); "
        f"{_PARQ} (question 6); project's conservative choice",
        "limited evidence",
    ),
    Rule(
        "steadi_fall_and_walking_aid",
        _SEE,
        "falls_past_year >= 1 and uses_walking_aid (STEADI Stay Independent score >= 4)",
        lambda p: _steadi_points(p) >= STEADI_AT_RISK_SCORE,
        "You fell in the past year and you use a walking aid. Together these put you at risk of "
        "falling on the CDC's STEADI check. Please have your balance checked by your doctor or "
        "physiotherapist before trying backward walking.",
        f"{_STEADI}; Stay Independent brochure scoring (Rubenstein et al. 2011)",
        "[S]",
    ),
    Rule(
        "fall_past_year",
        _SUPPORT,
        "falls_past_year >= 1",
        lambda p: p.falls_past_year > 0,
        "You fell in the past year. A previous fall is the strongest single sign of a future "
        "fall, so walk backward only indoors, holding a rail or wall, with a helper. If your "
        "doctor does not know about the fall, tell them.",
        _STEADI,
        "[A]/[S]",
    ),
    Rule(
        "fear_of_falling",
        _SUPPORT,
        "fear_of_falling is true",
        lambda p: p.fear_of_falling,
        "You worry about falling. Worrying about falls is one of the three key fall-risk "
        "questions, so start indoors, holding a rail or wall, with a helper nearby.",
        _STEADI,
        "[A]/[S]",
    ),
    Rule(
        "walking_aid",
        _SUPPORT,
        "uses_walking_aid is true",
        lambda p: p.uses_walking_aid,
        "You use a walking aid. The backward-walk norms were made with people who walk without "
        "one, so walk backward only holding a rail or treadmill rails, with a helper.",
        f"Carter et al. 2019 (sample without aids, via review); {_STEADI}",
        "[S]",
    ),
    Rule(
        "low_vision",
        _SUPPORT,
        "conditions include low_vision",
        _has(Condition.LOW_VISION),
        "You have low vision. No evidence on backward walking with low vision was found "
        "(limited evidence), so RetroWalk takes the safer choice: indoors, holding a rail or "
        "wall, with a helper.",
        "None found (research notes 3.4); trials excluded visual problems (NCT04981964); "
        "project's conservative choice",
        "limited evidence",
    ),
    Rule(
        "pain_1_to_3",
        _SUPPORT,
        f"pain at any location from 1 to {PAIN_SEE_PROFESSIONAL_MIN - 1}/10",
        lambda p: 0 < p.max_pain < PAIN_SEE_PROFESSIONAL_MIN,
        "You reported some pain. Start gently, with support, and stop at once if the pain "
        "increases. If the pain comes from a problem that limits your activity, answer YES to "
        "PAR-Q+ question 6 instead. (RetroWalk's cautious choice: limited evidence.)",
        f"{_PRODUCT} ('stop at once on pain'); {_PARQ} (question 6); project's conservative choice",
        "limited evidence",
    ),
    Rule(
        "age_65_plus",
        _SUPPORT,
        f"age_years >= {AGE_OLDER_ADULT_YEARS}",
        lambda p: p.age_years >= AGE_OLDER_ADULT_YEARS,
        f"You are {AGE_OLDER_ADULT_YEARS} or older. Walking backward gets harder with age, more "
        "than walking forward, so start indoors, holding a rail or wall, with a helper, and "
        "take the 3-metre backward walk test to see where you start.",
        "Fritz et al. Gait Posture 2013; Laufer 2005; WHO 2020 (older adults); FP Notebook "
        "(balance training under supervision)",
        "[A]/[S]",
    ),
    Rule(
        "baseline_3mbwt_slow",
        _SUPPORT,
        "baseline_3mbwt_s at or above the primary cut-off of the person's 3MBWT population",
        baseline_3mbwt_slow,
        "Your 3-metre backward walk time is at or above the cut-off for people like you. Train "
        "with support and a helper, and repeat the test later to see your progress.",
        "3MBWT presets in docs/evidence.md (Carter 2019/2020, Söke 2022, Nigerian norms)",
        "[A]/[S]",
    ),
    Rule(
        "age_over_45_vigorous",
        Clearance.GO,
        f"age_years > {AGE_PARQ_VIGOROUS_CAVEAT_YEARS}",
        lambda p: p.age_years > AGE_PARQ_VIGOROUS_CAVEAT_YEARS,
        f"You are over {AGE_PARQ_VIGOROUS_CAVEAT_YEARS}. RetroWalk plans stay at light to "
        "moderate effort; if you are not used to vigorous exercise and want to go harder, talk "
        "to a qualified exercise professional first.",
        _PARQ,
        "[S]",
    ),
)

#: Shown when no other rule asks for more than ``go``, so the user always sees why.
DEFAULT_RULE: Final = Rule(
    "no_risk_found",
    Clearance.GO,
    "no rule with outcome go_with_support or see_professional_first fired",
    lambda _p: True,
    "You answered NO to every PAR-Q+ question and none of RetroWalk's backward-walking risks "
    "applies. Start slowly and build up gradually, and stop at once if you feel pain, dizziness "
    "or discomfort.",
    f"{_PARQ} ('all NO: start slowly and build up gradually'); {_PRODUCT}",
    "[S]",
)
