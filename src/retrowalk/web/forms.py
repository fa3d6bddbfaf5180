"""Reading the pages' HTML forms into the plain data the services take."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from starlette.datastructures import FormData

from retrowalk.energy.model import SPEED_M_S_MAX
from retrowalk.errors import InvalidInputError, quote
from retrowalk.formatting import format_length, format_mass, format_speed
from retrowalk.limits import HEIGHT_M_MAX, HEIGHT_M_MIN, MASS_KG_MAX, MASS_KG_MIN
from retrowalk.profile import example_profile_data, parse_profile
from retrowalk.screening.questions import QUESTIONS, AnswerKind, Question
from retrowalk.services.logs import (
    RatingsInput,
    SegmentInput,
    SpecFields,
    check_moment,
    segments_from_spec,
)
from retrowalk.sessions.quick import QUICK_GRAMMAR
from retrowalk.units import lb_to_kg, parse_height_m, parse_mass_kg
from retrowalk.vocabulary import (
    DEFAULT_SPEED_UNIT,
    Environment,
    RpeScale,
    SpeedUnit,
    Support,
    Symptom,
)
from retrowalk.web.views import walker_zone

#: Rows for pain locations on the onboarding form.
PAIN_ROWS: Final = 3
#: Effort (Borg 6-20) and pain (0-10) as the forms take them.
RPE_RANGE: Final = (6, 20)
PAIN_RANGE: Final = (0, 10)

#: The label every web form field shows, by the field's name: the one place for them. The
#: templates read it (``labels``) and the error messages name a field by it (issue 13).
#: Onboarding questions are labelled by their question text (:data:`QUESTIONS`), except the two
#: asked in the walker's units.
FIELD_LABELS: Final[dict[str, str]] = {
    "quick_spec": "Intervals",
    "environment": "Where",
    "support": "Support for backward parts",
    "started_at": "Started at",
    "spec": "What you walked",
    "speed": "Speed",
    "stop_reason": "Stopped early?",
    "rpe": "Effort",
    "pain_0_10": "Worst pain",
    "pain_location": "Where it hurt",
    "form_steady": "Did your form feel steady?",
    "notes": "Notes",
    "weeks": "Weeks",
    "start_on": "First day",
    "acknowledge_risk": "I have read the reasons",
    "units": "Units",
    "file": "Export file",
    "merge": "Merge with what is here",
    "mass_kg": "What do you weigh?",
    "height_m": "How tall are you?",
    "trial_1": "Timed walk 1",
    "trial_2": "Timed walk 2",
    "trial_3": "Timed walk 3",
}
_QUESTION_OF: Final[dict[str, Question]] = {q.field: q for q in QUESTIONS}
#: Service field names that are not a form's own: the form field the walker typed them in.
_INPUT_OF: Final[dict[str, str]] = {
    "quick": "quick_spec",
    "speed_m_s": "speed",
    "duration_s": "spec",
    "direction": "spec",
    "ratings.rpe": "rpe",
    "ratings.pain_0_10": "pain_0_10",
    "ratings.pain_location": "pain_location",
}
#: The quick-session syntax in plain words (the parser's own words are a grammar).
QUICK_IN_WORDS: Final = (
    "parts such as '2m back' or '90s fwd' (s for seconds, m for minutes; back or fwd), "
    "separated by commas; repeat parts with a count, e.g. '5x(1m back, 1m fwd)'"
)
_SEGMENT_FIELD_RE: Final = re.compile(r"^segments\[\d+\]\.")


def input_of(field: str) -> str:
    """The form field a service's error ``field`` came from: ``segments[0].speed_m_s`` ->
    ``speed``, ``pain.left knee`` -> ``pain``, ``parq.chest_pain`` stays."""
    bare = _SEGMENT_FIELD_RE.sub("", field)
    if bare in _INPUT_OF:
        return _INPUT_OF[bare]
    top = bare.split(".", 1)[0].split("[", 1)[0]
    return top if top in _QUESTION_OF and top != "parq" else bare


def label_of(field: str) -> str:
    """The label the walker sees for ``field`` (a form or service field name)."""
    name = input_of(field)
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    if name in _QUESTION_OF:
        return _QUESTION_OF[name].text
    return name.replace("_", " ")


def _example_speed(units: SpeedUnit) -> str:
    return "1.2 mph" if units.imperial else "2 km/h"


def accepted_words(field: str, units: SpeedUnit = DEFAULT_SPEED_UNIT) -> str | None:
    """What a form field accepts, in plain words and the walker's units (``None``: the service's
    own words say it)."""
    name = input_of(field)
    if name == "rpe":
        return f"a whole number from {RPE_RANGE[0]} (no effort at all) to {RPE_RANGE[1]} (maximal)"
    if name == "pain_0_10":
        return f"a whole number from {PAIN_RANGE[0]} (none) to {PAIN_RANGE[1]} (worst)"
    if name == "speed":
        top = format_speed(SPEED_M_S_MAX, units)
        return f"a speed with its unit, up to {top}, e.g. {_example_speed(units)!r}"
    if name == "mass_kg":
        low, high = format_mass(MASS_KG_MIN, units), format_mass(MASS_KG_MAX, units)
        return f"your weight from {low} to {high}, e.g. '64 kg' or '141 lb'"
    if name == "height_m":
        low, high = format_length(HEIGHT_M_MIN, units), format_length(HEIGHT_M_MAX, units)
        return f"your height from {low} to {high}, e.g. '162 cm', '1.62 m', '1,62' or '5 ft 4'"
    if name in ("environment", "support", "stop_reason"):
        return "one of the choices listed"
    question = _QUESTION_OF.get(name)
    if question is None:
        return None
    if question.kind is AnswerKind.YES_NO:
        return "Yes or No"
    if question.kind is AnswerKind.CHOICE:
        return "one of: " + ", ".join(label for _, label in question.choices)
    if question.kind is AnswerKind.MULTI_CHOICE:
        return "any of the choices, or none" if name == "conditions" else "at least one choice"
    if question.kind is AnswerKind.PAIN_MAP:
        return (
            f"a place (e.g. 'left knee') and a whole number from {PAIN_RANGE[0]} to "
            f"{PAIN_RANGE[1]} on each row you fill"
        )
    return None


def form_problem(
    exc: InvalidInputError, form: FormData | None = None, units: SpeedUnit = DEFAULT_SPEED_UNIT
) -> dict[str, str]:
    """A form error for the walker: the field by its label, what they typed (short, quoted) and
    what is accepted in their units; ``input`` is the form field to mark and focus."""
    name = input_of(exc.field)
    typed: object = exc.value
    if form is not None and isinstance(form.get(name), str):
        typed = text(form, name)
    if typed is None or typed == "" or typed == [] or typed == {}:
        message = "Not answered." if name in _QUESTION_OF else "Nothing was typed."
    else:
        message = f"{quote(typed)} is not accepted."
    accepted = accepted_words(exc.field, units) or exc.accepted.removeprefix("required: ")
    return {
        "field": label_of(exc.field),
        "input": name,
        "message": message,
        "accepted": QUICK_IN_WORDS if exc.accepted == QUICK_GRAMMAR else accepted,
    }


def text(form: FormData, name: str) -> str:
    """A text field, stripped ("" when missing)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(raw: str, kind: AnswerKind) -> Any:
    try:
        return int(raw) if kind is AnswerKind.INTEGER else float(raw)
    except ValueError:
        return raw  # the profile validation names the field and what it accepts


_BARE_NUMBER_RE: Final = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?\s*$")


def _body_value(raw: str, field: str, units: SpeedUnit) -> Any:
    """Weight or height typed with or without its unit ("64", "141 lb", "162 cm", "5 ft 4",
    "1,62"): SI, or the text as typed when it is not one (validation then names it)."""
    try:
        if field == "mass_kg":
            if _BARE_NUMBER_RE.match(raw):  # a bare number is in the walker's units
                value = float(raw.replace(",", "."))
                return lb_to_kg(value) if units.imperial else value
            return parse_mass_kg(raw, field)
        return parse_height_m(raw, field)
    except InvalidInputError:
        return raw


def profile_from_form(form: FormData, units: SpeedUnit = DEFAULT_SPEED_UNIT) -> dict[str, Any]:
    """The onboarding form as profile data for :func:`retrowalk.profile.parse_profile`.

    Unanswered required questions are left out, so validation reports them as missing. Weight
    and height are read in the walker's ``units`` (or the unit typed with them).
    """
    data: dict[str, Any] = {}
    parq: dict[str, bool] = {}
    for question in QUESTIONS:
        name = question.field
        if question.kind is AnswerKind.MULTI_CHOICE:
            data[name] = [v for v in form.getlist(name) if isinstance(v, str)]
            continue
        if question.kind is AnswerKind.PAIN_MAP:
            pain: dict[str, Any] = {}
            for row in range(PAIN_ROWS):
                location = text(form, f"pain_location_{row}")
                level = text(form, f"pain_level_{row}")
                if location or level:
                    pain[location] = _number(level, AnswerKind.INTEGER) if level else None
            data[name] = pain
            continue
        if question.kind is AnswerKind.TEXT_LIST:
            lines = [line.strip() for line in text(form, name).splitlines() if line.strip()]
            if lines:
                data[name] = lines
            continue
        raw = text(form, name)
        if not raw:
            continue
        value: Any = raw
        if name in ("mass_kg", "height_m"):
            value = _body_value(raw, name, units)
        elif question.kind in (AnswerKind.INTEGER, AnswerKind.NUMBER):
            value = _number(raw, question.kind)
        elif question.kind is AnswerKind.YES_NO:
            value = {"yes": True, "no": False}.get(raw, raw)
        if name.startswith("parq."):
            parq[name.removeprefix("parq.")] = value
        else:
            data[name] = value
    data["parq"] = parq
    return data


def onboarding_problems(
    form: FormData, units: SpeedUnit = DEFAULT_SPEED_UNIT
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The onboarding form as profile data, and every problem in it at once, in page order.

    The profile's own validation finds one problem at a time: each one found is noted and its
    answer replaced by a valid one, until the rest passes (so nothing is checked twice).
    """
    data = profile_from_form(form, units)
    trial = {**data, "parq": dict(data["parq"])}
    example = example_profile_data()
    problems: list[dict[str, str]] = []
    seen: set[str] = set()
    for _ in range(len(QUESTIONS) + 2):
        try:
            parse_profile(trial)
            break
        except InvalidInputError as exc:
            problem = form_problem(exc, form, units)
            name = problem["input"]
            if name in seen:
                break
            seen.add(name)
            problems.append(problem)
            if name.startswith("parq."):
                trial["parq"][name.removeprefix("parq.")] = False
            elif name in example:
                trial[name] = example[name]
            else:
                trial.pop(name, None)
    order = {q.field: index for index, q in enumerate(QUESTIONS)}
    problems.sort(key=lambda p: order.get(p["input"], len(order)))
    return data, problems


def profile_to_form(
    profile: dict[str, Any], units: SpeedUnit = DEFAULT_SPEED_UNIT
) -> dict[str, Any]:
    """Stored profile data as form values (to edit the profile), in the walker's units."""
    values: dict[str, Any] = {}
    for key, value in profile.items():
        if key == "mass_kg":
            values[key] = format_mass(value, units)
        elif key == "height_m":
            values[key] = format_length(value, units)
        elif key == "parq":
            for qid, answer in value.items():
                values[f"parq.{qid}"] = "yes" if answer else "no"
        elif isinstance(value, bool):
            values[key] = "yes" if value else "no"
        elif key == "goals":
            values[key] = "\n".join(value)
        elif key == "pain":
            for row, (location, level) in enumerate(sorted(value.items())[:PAIN_ROWS]):
                values[f"pain_location_{row}"] = location
                values[f"pain_level_{row}"] = str(level)
        else:
            values[key] = value
    return values


def float_field(form: FormData, name: str, accepted: str, *, required: bool = True) -> float | None:
    """A number typed in a form."""
    raw = text(form, name)
    if not raw:
        if required:
            raise InvalidInputError(name, None, accepted)
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise InvalidInputError(name, raw, accepted) from None
    if not math.isfinite(value):  # "nan", "inf": not a number a person means
        raise InvalidInputError(name, raw, accepted)
    return value


def whole_field(form: FormData, name: str, bounds: tuple[int, int]) -> int | None:
    """An optional whole number in ``bounds`` typed in a form (e.g. effort, pain)."""
    accepted = accepted_words(name) or f"a whole number from {bounds[0]} to {bounds[1]}"
    value = float_field(form, name, accepted, required=False)
    if value is None:
        return None
    if not value.is_integer() or not bounds[0] <= value <= bounds[1]:
        raise InvalidInputError(name, text(form, name), accepted)
    return int(value)


def ratings_from_form(form: FormData) -> RatingsInput:
    """The ratings part of a log form."""
    rpe = whole_field(form, "rpe", RPE_RANGE)
    pain = whole_field(form, "pain_0_10", PAIN_RANGE)
    steady = text(form, "form_steady")
    return RatingsInput(
        rpe=None if rpe is None else float(rpe),
        rpe_scale=RpeScale.BORG_6_20,
        pain_0_10=pain,
        pain_location=text(form, "pain_location") or None,
        **{symptom.value: bool(form.get(symptom.value)) for symptom in Symptom},
        form_steady={"yes": True, "no": False}.get(steady),
        notes="",
    )


def _place(form: FormData) -> tuple[Environment, Support | None]:
    """The ``environment`` and ``support`` fields (empty support: the usual one for the place)."""
    environment = text(form, "environment") or Environment.HALLWAY.value
    support = text(form, "support") or None
    try:
        env = Environment(environment)
    except ValueError:
        raise InvalidInputError(
            "environment", environment, "one of " + ", ".join(e.value for e in Environment)
        ) from None
    sup: Support | None = None
    if support is not None:
        try:
            sup = Support(support)
        except ValueError:
            raise InvalidInputError(
                "support", support, "one of " + ", ".join(s.value for s in Support)
            ) from None
    return env, sup


@dataclass(frozen=True)
class QuickForm:
    """The quick-session form: what :func:`retrowalk.services.guided.start_guided` takes."""

    quick_spec: str
    environment: Environment
    support: Support | None


def quick_from_form(form: FormData) -> QuickForm:
    """The quick-session form (the spec itself is checked by the service that starts it)."""
    environment, support = _place(form)
    return QuickForm(quick_spec=text(form, "quick_spec"), environment=environment, support=support)


def quick_problem(exc: InvalidInputError) -> dict[str, str]:
    """A quick-form error naming the field by its label, what was given and what is accepted."""
    return form_problem(exc)


def segments_from_form(
    form: FormData, units: SpeedUnit = DEFAULT_SPEED_UNIT
) -> tuple[SegmentInput, ...]:
    """The walked segments of the manual log form: a quick spec plus where and how (a speed
    typed as a bare number is in the walker's ``units``; "3,5 km/h" has a decimal comma)."""
    speed = text(form, "speed")
    if _BARE_NUMBER_RE.match(speed):
        speed = f"{speed} {units.value}"
    return segments_from_spec(
        text(form, "spec"),
        environment=text(form, "environment") or Environment.HALLWAY.value,
        support=text(form, "support") or None,
        speed=speed or None,
        fields=SpecFields(spec="spec"),
    )


def local_datetime(form: FormData, name: str) -> datetime:
    """A ``datetime-local`` field (the walker's wall clock, :func:`walker_zone`) as an aware
    time."""
    raw = text(form, name)
    try:
        naive = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInputError(name, raw, "a date and time as YYYY-MM-DDTHH:MM") from None
    if naive.tzinfo is None:  # the walker's wall clock (the range is checked before any sum)
        naive = naive.replace(tzinfo=walker_zone())
    return check_moment(naive, name)
