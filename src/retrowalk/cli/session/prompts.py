"""The questions after a guided session: exertion, pain, red flags, form and notes."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

from rich.prompt import Confirm, Prompt

from retrowalk.cli.render import console
from retrowalk.errors import InvalidInputError
from retrowalk.services.logs import RatingsInput, check_ratings
from retrowalk.sessions import StopReason
from retrowalk.vocabulary import Symptom

#: The red flags asked after a session, as the web player asks them (from the one list,
#: :class:`~retrowalk.vocabulary.Symptom`): the field of :class:`RatingsInput` and the question.
#: A fall, chest pain or fainting stops the plan.
RED_FLAGS = tuple((symptom.value, symptom.question) for symptom in Symptom)


def _ask_checked(ask: Callable[[], Any], check: Callable[[Any], object]) -> Any:
    while True:
        value = ask()
        try:
            check(value)
        except InvalidInputError as exc:
            console.print(f"[red]{exc}[/red]", highlight=False)
            continue
        return value


def ask_ratings(stop_reason: StopReason | None) -> RatingsInput:
    """Ask RPE (with its scale), pain and where, the red flags, form and notes; check answers."""
    console.print("[bold]How did it go?[/bold] (press Enter to skip a question)")
    scale = Prompt.ask("RPE scale", choices=["borg", "cr10"], default="borg", console=console)
    rpe_scale = "borg6_20" if scale == "borg" else "cr10"
    hint = "6-20" if rpe_scale == "borg6_20" else "0-10"

    def number(text: str) -> float | None:
        return None if not text.strip() else float(text)

    def ask_number(question: str) -> Callable[[], float | None]:
        def ask() -> float | None:
            answer = Prompt.ask(question, default="", show_default=False, console=console)
            try:
                return number(answer)
            except ValueError:
                return math.nan

        return ask

    rpe = _ask_checked(
        ask_number(f"Exertion (RPE {hint})"),
        lambda v: check_ratings(RatingsInput(rpe=v, rpe_scale=rpe_scale)),
    )
    pain = _ask_checked(
        ask_number("Worst pain (0-10)"), lambda v: check_ratings(RatingsInput(pain_0_10=v))
    )
    location = None
    if pain:
        location = Prompt.ask("Where did it hurt", default="", console=console) or None
    flags: dict[str, Any] = {  # field name -> answer, for dataclasses.replace below
        name: Confirm.ask(question, default=stop_reason == name, console=console)
        for name, question in RED_FLAGS
    }
    form = Confirm.ask(
        "Did your form feel steady (eyes forward, small even steps)", default=True, console=console
    )
    notes = Prompt.ask("Notes", default="", console=console)
    ratings = RatingsInput(
        rpe=rpe,
        rpe_scale=rpe_scale,
        pain_0_10=None if pain is None else int(pain),
        pain_location=location,
        form_steady=form,
        notes=notes,
    )
    return dataclasses.replace(ratings, **flags)
