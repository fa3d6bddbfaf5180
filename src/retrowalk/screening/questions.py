"""The onboarding questions, in the order to ask them, as data for any front end.

A terminal or web form asks :data:`QUESTIONS` in order, builds a profile mapping (``parq.<id>``
answers go into the ``parq`` map) and passes it to :func:`retrowalk.profile.parse_profile`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from retrowalk.profile import PARQ_QUESTIONS, Condition, Equipment, Sex, accepted_values

__all__ = ["CONDITION_LABELS", "EQUIPMENT_LABELS", "QUESTIONS", "AnswerKind", "Question"]


class AnswerKind(StrEnum):
    """What kind of answer a question takes."""

    INTEGER = "integer"
    NUMBER = "number"
    YES_NO = "yes_no"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    PAIN_MAP = "pain_map"
    TEXT_LIST = "text_list"


@dataclass(frozen=True)
class Question:
    """One onboarding question.

    Attributes
    ----------
    field
        The profile field it fills; ``parq.<id>`` for a PAR-Q+ answer.
    text
        The question as asked.
    kind
        See :class:`AnswerKind`.
    accepted
        Plain words for the accepted answers (same words as the validation errors).
    choices
        ``(value, label)`` pairs for choice questions, else empty.
    required
        Whether the profile needs an answer (optional ones have documented defaults).
    note
        Clarifying note shown with the question, or ``""``.
    """

    field: str
    text: str
    kind: AnswerKind
    accepted: str
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    note: str = ""


CONDITION_LABELS: Final[dict[Condition, str]] = {
    Condition.KNEE_OSTEOARTHRITIS: "Knee osteoarthritis",
    Condition.PARKINSONS: "Parkinson's disease",
    Condition.STROKE: "Stroke (at any time)",
    Condition.MULTIPLE_SCLEROSIS: "Multiple sclerosis",
    Condition.VESTIBULAR_DISORDER: "Vestibular (inner-ear balance) disorder or vertigo diagnosis",
    Condition.PREGNANCY: "Pregnancy",
    Condition.RECENT_SURGERY: "Surgery recently",
    Condition.HEART_CONDITION: "A heart condition",
    Condition.LOW_VISION: "Low vision not corrected by glasses or lenses",
}

EQUIPMENT_LABELS: Final[dict[Equipment, str]] = {
    Equipment.TREADMILL_WITH_RAILS: "A treadmill with side rails and a safety key",
    Equipment.HALLWAY_WITH_RAIL: "A hallway with a rail or a wall to touch",
    Equipment.OPEN_ROOM: "A clear, flat room",
    Equipment.TRACK: "A walking track",
    Equipment.PARK: "A flat park path",
}

_SEX_LABELS: Final[dict[Sex, str]] = {
    Sex.FEMALE: "Female",
    Sex.MALE: "Male",
    Sex.OTHER: "Other / prefer not to say",
}

#: Every onboarding question in order: body, health and safety, PAR-Q+ page 1, then goals.
QUESTIONS: Final[tuple[Question, ...]] = (
    Question("age_years", "How old are you?", AnswerKind.INTEGER, accepted_values("age_years")),
    Question(
        "sex",
        "What is your sex?",
        AnswerKind.CHOICE,
        accepted_values("sex"),
        tuple((s.value, label) for s, label in _SEX_LABELS.items()),
        note="Only used to compare your balance test with norms for men or women.",
    ),
    Question("mass_kg", "What do you weigh, in kg?", AnswerKind.NUMBER, accepted_values("mass_kg")),
    Question(
        "height_m", "How tall are you, in metres?", AnswerKind.NUMBER, accepted_values("height_m")
    ),
    Question(
        "conditions",
        "Do any of these apply to you? Choose all that do, or none.",
        AnswerKind.MULTI_CHOICE,
        accepted_values("conditions"),
        tuple((c.value, label) for c, label in CONDITION_LABELS.items()),
    ),
    Question(
        "falls_past_year",
        "How many times have you fallen in the past 12 months?",
        AnswerKind.INTEGER,
        accepted_values("falls_past_year"),
    ),
    Question(
        "fear_of_falling",
        "Do you worry about falling?",
        AnswerKind.YES_NO,
        accepted_values("fear_of_falling"),
    ),
    Question(
        "dizziness",
        "Do you have dizziness, vertigo or spells of unsteadiness?",
        AnswerKind.YES_NO,
        accepted_values("dizziness"),
    ),
    Question(
        "pain",
        "Do you have pain now? For each place that hurts, name it and rate it from 0 (none) to "
        "10 (worst imaginable).",
        AnswerKind.PAIN_MAP,
        accepted_values("pain"),
    ),
    Question(
        "uses_walking_aid",
        "Do you use, or have you been advised to use, a cane, stick or walker?",
        AnswerKind.YES_NO,
        accepted_values("uses_walking_aid"),
    ),
    *(
        Question(f"parq.{q.id}", q.text, AnswerKind.YES_NO, "true or false", note=q.note)
        for q in PARQ_QUESTIONS
    ),
    Question(
        "equipment",
        "Where can you walk? Choose all that apply.",
        AnswerKind.MULTI_CHOICE,
        accepted_values("equipment"),
        tuple((e.value, label) for e, label in EQUIPMENT_LABELS.items()),
    ),
    Question(
        "goals",
        "What would you like backward walking to help with?",
        AnswerKind.TEXT_LIST,
        accepted_values("goals"),
        required=False,
    ),
    Question(
        "days_per_week",
        "On how many days a week can you walk?",
        AnswerKind.INTEGER,
        accepted_values("days_per_week"),
        required=False,
    ),
    Question(
        "minutes_per_day",
        "How many minutes can you spend on a walking day?",
        AnswerKind.INTEGER,
        accepted_values("minutes_per_day"),
        required=False,
    ),
)
