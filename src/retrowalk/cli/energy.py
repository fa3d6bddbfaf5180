"""``retrowalk energy``: what a walk costs, forward or backward, with its range."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from retrowalk import __version__
from retrowalk.cli.app import app
from retrowalk.cli.render import console
from retrowalk.energy import Comparison, EnergyEstimate, Range, compare, estimate
from retrowalk.energy.model import DURATION_S_MAX
from retrowalk.errors import InvalidInputError
from retrowalk.units import m_s_to_mph, parse_grade_pct, parse_mass_kg, parse_speed_m_s
from retrowalk.vocabulary import Direction

#: Library field -> CLI option, so that errors name what the user typed.
_OPTION_FOR_FIELD = {
    "speed_m_s": "--speed",
    "grade_pct": "--grade",
    "mass_kg": "--mass",
    "duration_s": "--minutes",
    "backward_practice_sessions": "--practice-sessions",
}
_DIGITS = 4


def _range_json(value: Range | None) -> dict[str, float] | None:
    return None if value is None else value.rounded(_DIGITS).as_dict()


def _estimate_json(result: EnergyEstimate) -> dict[str, Any]:
    return {
        "vo2_ml_kg_min": _range_json(result.vo2_ml_kg_min),
        "mets": _range_json(result.mets),
        "energy_kcal": _range_json(result.energy_kcal),
        "energy_net_kcal": _range_json(result.energy_net_kcal),
        "backward_ratio": _range_json(result.backward_ratio),
        "forward_equation": result.forward_equation,
        "regime": result.regime,
        "inputs": {
            k: (round(v, 6) if isinstance(v, float) else v) for k, v in result.inputs_si.items()
        },
        "warnings": list(result.warnings),
    }


def _comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "backward": _estimate_json(comparison.backward),
        "forward_same_speed": _estimate_json(comparison.forward_same),
        "forward_brisk": _estimate_json(comparison.forward_brisk),
        "vs_forward_pct": _range_json(comparison.vs_forward_pct),
        "vs_forward_net_pct": _range_json(comparison.vs_forward_net_pct),
        "vs_brisk_pct": _range_json(comparison.vs_brisk_pct),
        "claims": [
            {
                "key": v.claim.key,
                "claim": v.claim.text,
                "compared_with": v.claim.baseline,
                "your_ratio": _range_json(v.your_ratio),
                "verdict": v.verdict,
                "explanation": v.explanation,
            }
            for v in comparison.verdicts
        ],
        "notes": list(comparison.notes),
    }


def _fmt(value: Range, digits: int) -> tuple[str, str, str]:
    return (f"{value.low:.{digits}f}", f"{value.central:.{digits}f}", f"{value.high:.{digits}f}")


def _print_estimate(result: EnergyEstimate, title: str) -> None:
    table = Table(title=title)
    table.add_column("figure")
    for column in ("low", "central", "high"):
        table.add_column(column, justify="right")
    table.add_row("VO2 (mL/kg/min)", *_fmt(result.vo2_ml_kg_min, 1))
    table.add_row("METs (gross)", *_fmt(result.mets, 2))
    table.add_row("energy (kcal, gross)", *_fmt(result.energy_kcal, 0))
    table.add_row("energy (kcal, net of rest)", *_fmt(result.energy_net_kcal, 0))
    console.print(table)


def _print_warnings(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        console.print(f"warning: {warning}", markup=False, highlight=False)


def _print_comparison(comparison: Comparison) -> None:
    table = Table(title="Backward compared with forward walking (per minute)")
    table.add_column("backward vs")
    for column in ("low", "central", "high"):
        table.add_column(column, justify="right")

    def pct(value: Range) -> tuple[str, str, str]:
        return (f"{value.low:+.0f}%", f"{value.central:+.0f}%", f"{value.high:+.0f}%")

    table.add_row("forward, same speed and grade (gross)", *pct(comparison.vs_forward_pct))
    table.add_row("forward, same speed and grade (net)", *pct(comparison.vs_forward_net_pct))
    table.add_row("brisk forward, 3.5 mph level (gross)", *pct(comparison.vs_brisk_pct))
    console.print(table)
    console.print("How the popular claims hold up for you:", markup=False, highlight=False)
    for verdict in comparison.verdicts:
        console.print(f"- {verdict.explanation}", markup=False, highlight=False)
    for note in comparison.notes:
        console.print(f"note: {note}", markup=False, highlight=False)


def _for_cli(exc: InvalidInputError, given: dict[str, str]) -> InvalidInputError:
    option = _OPTION_FOR_FIELD.get(exc.field, exc.field)
    if exc.field == "duration_s":
        accepted = f"minutes above 0 and at most {DURATION_S_MAX / 60:g}"
        return InvalidInputError(option, given[option], accepted)
    return InvalidInputError(option, given.get(option, exc.value), exc.accepted)


@app.command("energy")
def energy_command(
    speed: Annotated[
        str, typer.Option("--speed", help="Speed with a unit: 2.5mph, 4km/h, 4kph, 1.2m/s.")
    ],
    mass: Annotated[str, typer.Option("--mass", help="Body mass with a unit: 70kg, 154lb.")],
    minutes: Annotated[float, typer.Option("--minutes", help="Duration in minutes.")],
    direction: Annotated[
        Direction, typer.Option("--direction", help="Walking direction.")
    ] = Direction.BACKWARD,
    grade: Annotated[
        str, typer.Option("--grade", help="Grade in percent (negative = downhill): 0, 5%.")
    ] = "0",
    practice_sessions: Annotated[
        int,
        typer.Option(
            "--practice-sessions",
            help="Backward walking sessions done before (lowers the backward cost).",
        ),
    ] = 0,
    compare_directions: Annotated[
        bool,
        typer.Option("--compare", help="Compare backward with forward and brisk forward walking."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Estimate oxygen uptake, METs and kcal of a walk, with the range the evidence allows."""
    given = {
        "--speed": speed,
        "--mass": mass,
        "--minutes": str(minutes),
        "--grade": grade,
        "--practice-sessions": str(practice_sessions),
        "--direction": direction.value,
    }
    speed_m_s = parse_speed_m_s(speed, "--speed")
    mass_kg = parse_mass_kg(mass, "--mass")
    grade_pct = parse_grade_pct(grade, "--grade")
    duration_s = minutes * 60.0
    try:
        result = estimate(
            direction,
            speed_m_s,
            grade_pct,
            mass_kg,
            duration_s,
            backward_practice_sessions=practice_sessions,
        )
        comparison = (
            compare(
                speed_m_s,
                grade_pct,
                mass_kg,
                duration_s,
                backward_practice_sessions=practice_sessions,
            )
            if compare_directions
            else None
        )
    except InvalidInputError as exc:
        raise _for_cli(exc, given) from exc
    if as_json:
        payload: dict[str, Any] = {
            "retrowalk_version": __version__,
            "command": "energy",
            "arguments": {"compare": compare_directions, **given},
            **_estimate_json(result),
        }
        if comparison is not None:
            payload["comparison"] = _comparison_json(comparison)
        typer.echo(json.dumps(payload, indent=2))
        return
    title = (
        f"{direction.value.capitalize()} walking at {speed_m_s:.2f} m/s "
        f"({m_s_to_mph(speed_m_s):.1f} mph), {grade_pct:g}% grade, {mass_kg:.1f} kg, "
        f"{minutes:g} min"
    )
    _print_estimate(result, title)
    _print_warnings(result.warnings)
    if comparison is not None:
        _print_comparison(comparison)
    console.print(
        "The range reflects the published spread; see docs/energy.md.",
        markup=False,
        highlight=False,
    )
