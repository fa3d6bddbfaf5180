"""``retrowalk screen``: readiness screening of a profile file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from retrowalk import __version__
from retrowalk.cli.app import app
from retrowalk.cli.render import console
from retrowalk.profile import load_profile
from retrowalk.screening import ScreeningResult, screen
from retrowalk.screening.model import HEADLINES


def _print_human(result: ScreeningResult) -> None:
    console.print(f"Outcome: {result.clearance.value}", markup=False, highlight=False)
    console.print(HEADLINES[result.clearance], markup=False, highlight=False)
    console.print("")
    console.print("Why:", markup=False, highlight=False)
    for reason in result.reasons:
        console.print(f"- [{reason.outcome.value}] {reason.text}", markup=False, highlight=False)
        console.print(
            f"  rule {reason.rule_id}; source: {reason.source}; evidence: {reason.evidence}",
            markup=False,
            highlight=False,
        )
    if result.recommend_3mbwt:
        console.print("")
        when = (
            " after you have talked to a professional"
            if result.clearance.value == "see_professional_first"
            else ""
        )
        console.print(
            f"We strongly recommend the 3-metre backward walk test{when}, with a helper behind "
            "you.",
            markup=False,
            highlight=False,
        )
    console.print(
        "This is a readiness check, not a diagnosis. "
        f"(rules {result.rules_version}, retrowalk {__version__})",
        markup=False,
        highlight=False,
    )


@app.command("screen")
def screen_command(
    profile: Annotated[Path, typer.Option("--profile", help="Profile JSON file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Screen a profile for backward walking: go, go with support, or see a professional first."""
    result = screen(load_profile(profile))
    if as_json:
        payload = {**result.to_dict(), "version": __version__}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _print_human(result)
