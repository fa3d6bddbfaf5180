"""Reading the pages' HTML forms into the plain data the services take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from starlette.datastructures import FormData

from retrowalk.errors import InvalidInputError, quote
from retrowalk.screening.questions import QUESTIONS, AnswerKind
from retrowalk.services.logs import RatingsInput, SegmentInput, check_moment, segments_from_spec
from retrowalk.vocabulary import Environment, RpeScale, Support, Symptom

#: Rows for pain locations on the onboarding form.
PAIN_ROWS: Final = 3


def text(form: FormData, name: str) -> str:
    """A text field, stripped ("" when missing)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(raw: str, kind: AnswerKind) -> Any:
    try:
        return int(raw) if kind is AnswerKind.INTEGER else float(raw)
    except ValueError:
        return raw  # the profile validation names the field and what it accepts


def profile_from_form(form: FormData) -> dict[str, Any]:
    """The onboarding form as profile data for :func:`retrowalk.profile.parse_profile`.

    Unanswered required questions are left out, so validation reports them as missing.
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
        if question.kind in (AnswerKind.INTEGER, AnswerKind.NUMBER):
            value = _number(raw, question.kind)
        elif question.kind is AnswerKind.YES_NO:
            value = {"yes": True, "no": False}.get(raw, raw)
        if name.startswith("parq."):
            parq[name.removeprefix("parq.")] = value
        else:
            data[name] = value
    data["parq"] = parq
    return data


def profile_to_form(profile: dict[str, Any]) -> dict[str, Any]:
    """Stored profile data as form values (to edit the profile)."""
    values: dict[str, Any] = {}
    for key, value in profile.items():
        if key == "parq":
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
        return float(raw)
    except ValueError:
        raise InvalidInputError(name, raw, accepted) from None


def ratings_from_form(form: FormData) -> RatingsInput:
    """The ratings part of a log form."""
    rpe = float_field(form, "rpe", "a whole number from 6 to 20 (Borg)", required=False)
    pain = float_field(form, "pain_0_10", "a whole number from 0 to 10", required=False)
    steady = text(form, "form_steady")
    return RatingsInput(
        rpe=rpe,
        rpe_scale=RpeScale.BORG_6_20,
        pain_0_10=None if pain is None else (int(pain) if pain.is_integer() else pain),  # type: ignore[arg-type]
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


#: The quick-session form's fields as its labels name them, for error messages.
QUICK_FIELD_LABELS: Final = {
    "quick": "Intervals",
    "quick_spec": "Intervals",
    "environment": "Where",
    "support": "Support",
}
#: The form input each service error field points at.
QUICK_FIELD_INPUTS: Final = {
    "quick": "quick_spec",
    "quick_spec": "quick_spec",
    "environment": "environment",
    "support": "support",
}


def quick_from_form(form: FormData) -> QuickForm:
    """The quick-session form (the spec itself is checked by the service that starts it)."""
    environment, support = _place(form)
    return QuickForm(quick_spec=text(form, "quick_spec"), environment=environment, support=support)


def quick_problem(exc: InvalidInputError) -> dict[str, str]:
    """A quick-form error naming the field by its label, what was given and what is accepted."""
    if exc.value is None or exc.value == "":
        message = "Nothing was typed."
    else:
        message = f"{quote(exc.value)} is not accepted."
    return {
        "field": QUICK_FIELD_LABELS.get(exc.field, exc.field),
        "input": QUICK_FIELD_INPUTS.get(exc.field, ""),
        "message": message,
        "accepted": exc.accepted,
    }


def segments_from_form(form: FormData) -> tuple[SegmentInput, ...]:
    """The walked segments of the manual log form: a quick spec plus where and how."""
    return segments_from_spec(
        text(form, "spec"),
        environment=text(form, "environment") or Environment.HALLWAY.value,
        support=text(form, "support") or None,
        speed=text(form, "speed") or None,
    )


def local_datetime(form: FormData, name: str) -> datetime:
    """A ``datetime-local`` field (the computer's zone) as an aware time."""
    raw = text(form, name)
    try:
        naive = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInputError(name, raw, "a date and time as YYYY-MM-DDTHH:MM") from None
    return check_moment(naive, name, naive_is_local=True)  # local wall time when naive
