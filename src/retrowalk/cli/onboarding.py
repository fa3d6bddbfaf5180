"""``retrowalk start``: onboarding in the terminal.

Questions, the screening outcome with its reasons, the optional 3-metre backward walk test with
a timer, and a plan summary. Answers are validated by :func:`retrowalk.profile.parse_profile`;
a rejected answer is asked again with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.prompt import Confirm, Prompt

from retrowalk.assessments import PROTOCOL
from retrowalk.cli.app import app
from retrowalk.cli.plans import ACKNOWLEDGEMENT
from retrowalk.cli.render import console, plan_table, print_session
from retrowalk.errors import InvalidInputError
from retrowalk.formatting import format_number
from retrowalk.profile import Profile, example_profile_data, parse_profile
from retrowalk.screening import Clearance, screen
from retrowalk.screening.questions import QUESTIONS, AnswerKind, Question
from retrowalk.services.database import open_database
from retrowalk.services.plans import create_plan, today
from retrowalk.services.readiness import (
    current_profile,
    record_balance_test,
    save_profile,
    store_screening,
)
from retrowalk.services.settings import display_units
from retrowalk.units import parse_height_m, parse_mass_kg

ACK_PHRASE = "I understand"
#: Answers read as agreeing to the acknowledgement / declining it (anything else: ask again).
_ACK_YES = frozenset({ACK_PHRASE.lower(), "yes", "y", "i agree", "agree"})
_ACK_NO = frozenset({"", "no", "n"})
#: How many times an unclear acknowledgement is asked before the answer counts as "no".
ACK_ATTEMPTS = 3


def read_acknowledgement(typed: str) -> bool | None:
    """``True`` for "I understand" or "yes", ``False`` for no or nothing, ``None`` if unclear."""
    words = " ".join(typed.strip().strip(".!'\"").lower().split())
    if words in _ACK_YES:
        return True
    if words in _ACK_NO or words.split()[0] in _ACK_NO:  # "no thanks"
        return False
    return None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_answer(question: Question, text: str) -> Any:
    """Turn a typed answer into the JSON value the profile expects (validated later)."""
    text = text.strip()
    kind = question.kind
    try:
        if kind is AnswerKind.INTEGER:
            return int(text)
        if kind is AnswerKind.NUMBER:
            if question.field == "mass_kg" and any(c.isalpha() for c in text):
                return parse_mass_kg(text, field="mass_kg")
            if question.field == "height_m":  # "162 cm", "5 ft 4", "1,62" (issue 13)
                return parse_height_m(text, field="height_m")
            return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInputError(question.field, text, question.accepted) from None
    if kind is AnswerKind.YES_NO:
        lowered = text.lower()
        if lowered in ("y", "yes", "true"):
            return True
        if lowered in ("n", "no", "false"):
            return False
        raise InvalidInputError(question.field, text, "yes or no")
    if kind in (AnswerKind.CHOICE, AnswerKind.MULTI_CHOICE):
        values = [value for value, _label in question.choices]
        by_label = {label.lower(): value for value, label in question.choices}
        picked = []
        for part in _split(text) if kind is AnswerKind.MULTI_CHOICE else [text]:
            if part.isdigit() and 1 <= int(part) <= len(values):
                picked.append(values[int(part) - 1])
            elif part in values:
                picked.append(part)
            elif part.lower() in by_label:
                picked.append(by_label[part.lower()])
            elif len([v for v in values if v.startswith(part.lower())]) == 1 and part:
                picked.append(next(v for v in values if v.startswith(part.lower())))
            else:
                numbered = "; ".join(
                    f"{index} {label}" for index, (_v, label) in enumerate(question.choices, 1)
                )
                raise InvalidInputError(question.field, part, f"a number from the list: {numbered}")
        return picked if kind is AnswerKind.MULTI_CHOICE else picked[0]
    if kind is AnswerKind.PAIN_MAP:
        pain: dict[str, Any] = {}
        for part in _split(text):
            location, _, level = part.partition("=")
            try:
                pain[location.strip()] = int(level)
            except ValueError:
                raise InvalidInputError(
                    question.field, part, "location=level pairs, e.g. knee=3, back=2"
                ) from None
        return pain
    return _split(text)


#: A complete, valid profile used to check one answer at a time (never stored).
_PROBE: dict[str, Any] = example_profile_data()


def check_answer(field: str, value: Any) -> None:
    """Validate one answer now (so it is asked again at once), with the profile's own rules."""
    probe = {**_PROBE, "parq": dict(_PROBE["parq"])}
    _set(probe, field, value)
    try:
        parse_profile(probe)
    except InvalidInputError as exc:
        if exc.field == field or exc.field.startswith(field + "."):
            raise


#: How a quantity may be typed (the units are converted at this edge).
_UNIT_HINTS = {
    "height_m": " (e.g. 1.62, 162 cm or 5 ft 4)",
    "mass_kg": " (e.g. 70 or 154 lb)",
}


def _ask(question: Question, default: str | None = None) -> Any:
    if question.note:
        console.print(f"[dim]{question.note}[/dim]")
    for index, (_value, label) in enumerate(question.choices, start=1):
        console.print(f"  {index}. {label}", markup=False, highlight=False)
    hint = {
        AnswerKind.MULTI_CHOICE: " (numbers separated by commas; empty for none)",
        AnswerKind.PAIN_MAP: " (e.g. knee=3, back=2; empty for none)",
        AnswerKind.TEXT_LIST: " (separated by commas; may be empty)",
        AnswerKind.YES_NO: " (yes/no)",
    }.get(question.kind, "")
    hint += _UNIT_HINTS.get(question.field, "")
    while True:
        text = Prompt.ask(
            f"[bold]{question.text}[/bold]{hint}",
            console=console,
            default=default or "",
            show_default=bool(default),
        )
        if (
            not text
            and question.required
            and question.kind
            not in (
                AnswerKind.MULTI_CHOICE,
                AnswerKind.PAIN_MAP,
                AnswerKind.TEXT_LIST,
            )
        ):
            console.print(f"[red]An answer is needed: {question.accepted}.[/red]")
            continue
        if not text and not question.required:
            return None
        try:
            value = parse_answer(question, text)
            check_answer(question.field, value)
        except InvalidInputError as exc:
            console.print(f"[red]{exc}[/red]")
            continue
        return value


def _set(answers: dict[str, Any], field: str, value: Any) -> None:
    if value is None:
        return
    if field.startswith("parq."):
        answers.setdefault("parq", {})[field.removeprefix("parq.")] = value
    else:
        answers[field] = value


def saved_answer_text(question: Question, saved: Mapping[str, Any]) -> str | None:
    """A saved answer as text the question accepts (offered as its default), or ``None``."""
    value: Any = saved
    for part in question.field.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if value is None:
        return None
    labels = dict(question.choices)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):  # by number: labels may hold commas
        numbers = {code: str(index) for index, (code, _l) in enumerate(question.choices, 1)}
        return ", ".join(numbers.get(str(v), str(v)) for v in value)
    if isinstance(value, float):
        return format_number(value, 2)
    return labels.get(str(value), str(value))


def ask_profile(saved: Mapping[str, Any] | None = None) -> Profile:
    """Ask every question (offering ``saved`` answers as defaults), then re-ask any answer the
    profile rejects."""
    answers: dict[str, Any] = {}
    by_field = {q.field: q for q in QUESTIONS}
    for question in QUESTIONS:
        default = None if saved is None else saved_answer_text(question, saved)
        _set(answers, question.field, _ask(question, default))
    while True:
        try:
            return parse_profile(answers)
        except InvalidInputError as exc:
            console.print(f"[red]{exc}[/red]")
            field = exc.field
            retry = by_field.get(field) or by_field.get(field.split(".")[0])
            if retry is None:  # pragma: no cover - every profile field has a question
                raise
            _set(answers, retry.field, _ask(retry))


def _time_trial(number: int) -> float:
    console.print(
        f"Timed walk {number}: press Enter as you say 'go', and Enter again when a heel crosses "
        "the 3 m line. (Or type the stopwatch time in seconds.)"
    )
    typed = Prompt.ask("Ready", console=console, default="")
    if typed.strip():
        return float(typed)
    started = time.monotonic()
    typed = Prompt.ask("Walking... Enter to stop", console=console, default="")
    elapsed = time.monotonic() - started
    return float(typed) if typed.strip() else round(elapsed, 2)


def run_balance_test() -> list[float]:
    """Guide the 3MBWT; return the timed trials in seconds."""
    console.print(Panel(PROTOCOL.instruction, title="3-metre backward walk test"))
    console.print(f"[bold]Safety:[/bold] {PROTOCOL.spotter_advice}")
    console.print(PROTOCOL.footwear_note)
    for step in PROTOCOL.steps:
        console.print(f"- [bold]{step.title}[/bold]: {step.text}")
    Prompt.ask("Do the practice walk now (not timed). Press Enter when done", default="")
    trials: list[float] = []
    while len(trials) < PROTOCOL.timed_trials:
        try:
            trials.append(_time_trial(len(trials) + 1))
        except ValueError:
            console.print("[red]Type the time as a number of seconds, e.g. 4.2.[/red]")
            continue
        if len(trials) < PROTOCOL.timed_trials:
            Prompt.ask("Sit and rest until you feel ready. Press Enter to go on", default="")
    console.print(PROTOCOL.scoring)
    return trials


def _saved_or_asked() -> Profile:
    """The saved profile if the walker keeps it; otherwise the questions, saved answers offered."""
    db = open_database()
    try:
        with db.transaction() as session:
            stored = current_profile(session)
    finally:
        db.dispose()
    if stored is None:
        return ask_profile()
    p = stored.profile
    console.print(
        f"You have saved answers (age {p.age_years}, {format_number(p.mass_kg)} kg, "
        f"{p.days_per_week} days a week, {p.minutes_per_day} min a day).",
        highlight=False,
    )
    if Confirm.ask("Use your saved answers?", console=console, default=True):
        return p
    console.print("Each question shows your saved answer: press Enter to keep it.")
    return ask_profile(p.model_dump(mode="json"))


@app.command("start")
def start_command(
    weeks: Annotated[int, typer.Option(help="Plan length in weeks (1-12).")] = 4,
) -> None:
    """Onboarding: questions, readiness outcome, optional balance test, and your plan."""
    console.print(
        Panel(
            "RetroWalk asks a few questions to decide whether and how you may start walking "
            "backward. It never diagnoses; if in doubt it says to talk to a professional first.",
            title="Welcome to RetroWalk",
        )
    )
    profile = _saved_or_asked()
    preview = screen(profile)
    console.print(f"\nReadiness: [bold]{preview.clearance.value.replace('_', ' ')}[/bold]")
    for reason in preview.reasons:
        console.print(f"  - {reason.text} [dim]({reason.source})[/dim]")
    acknowledgement = None
    if preview.clearance is Clearance.SEE_PROFESSIONAL_FIRST:
        console.print(
            "\nPlease talk to your doctor or physiotherapist before starting. If a professional "
            f"has already cleared you, type '{ACK_PHRASE}' to make a cautious, supported plan; "
            "your acknowledgement is stored."
        )
        agreed: bool | None = None
        for _attempt in range(ACK_ATTEMPTS):
            agreed = read_acknowledgement(Prompt.ask("Acknowledge", console=console, default=""))
            if agreed is not None:
                break
            console.print(
                f"Please type exactly '{ACK_PHRASE}' (or yes) to go on, or press Enter to stop "
                "here without a plan."
            )
        if not agreed:
            db = open_database()
            try:
                with db.transaction() as session:
                    store_screening(session, save_profile(session, profile))
            finally:
                db.dispose()
            console.print("Your answers and the screening outcome are saved. No plan was made.")
            return
        acknowledgement = ACKNOWLEDGEMENT
    trials: list[float] = []
    advice = "strongly recommended for you" if preview.recommend_3mbwt else "optional"
    if Confirm.ask(
        f"\nMeasure your balance now with the 3-metre backward walk test ({advice})?",
        console=console,
        default=preview.recommend_3mbwt,
    ):
        trials = run_balance_test()
    db = open_database()
    try:
        with db.transaction() as session:
            stored_profile = save_profile(session, profile)
            if trials:
                test = record_balance_test(session, stored_profile, trials)
                console.print(
                    f"\n3MBWT score {test.score_s:.2f} s: {test.interpretation.text}",
                    highlight=False,
                )
            stored, _screening = create_plan(
                session,
                start_on=date.today(),  # noqa: DTZ011 - the user's calendar day
                weeks=weeks,
                acknowledgement=acknowledgement,
            )
            view = today(session, date.today())  # noqa: DTZ011
            units = display_units(session)
    finally:
        db.dispose()
    console.print(plan_table(stored.plan))
    if view.session is not None:
        print_session(console, view.session, view.session_id, units)
    console.print("Run 'retrowalk today' any day to see what is planned, and why.")
