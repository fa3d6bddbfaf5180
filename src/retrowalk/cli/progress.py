"""``retrowalk progress``: minutes toward 150, adherence, energy, symptoms, 3MBWT, streaks."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from retrowalk.cli.app import app
from retrowalk.cli.plans import parse_date
from retrowalk.cli.render import console
from retrowalk.formatting import format_test_time
from retrowalk.progress import GOAL_MINUTES, ProgressReport, WeekSummary
from retrowalk.progress.steadiness import SteadinessTrend
from retrowalk.services.database import open_database
from retrowalk.services.progress import progress_report, steadiness_report
from retrowalk.timeutil import local_zone

BAR_WIDTH = 10


def goal_bar(minutes: float, goal: int = GOAL_MINUTES, width: int = BAR_WIDTH) -> str:
    """``#####..... 75/150`` (the bar stops at full; the number does not)."""
    filled = min(width, int(width * minutes / goal)) if goal > 0 else width
    return f"{'#' * filled}{'.' * (width - filled)} {minutes:.0f}/{goal}"


def _energy_text(week: WeekSummary) -> str:
    if week.energy_kcal is None:
        return "-" if week.sessions_walked == 0 else "not estimated"
    low, central, high = (
        round(v) for v in (week.energy_kcal.low, week.energy_kcal.central, week.energy_kcal.high)
    )
    text = f"{central} ({low}-{high})"
    if week.sessions_without_energy:
        text += f", {week.sessions_without_energy} not estimated"
    return text


def _symptoms_text(week: WeekSummary) -> str:
    s = week.symptoms
    parts = []
    if s.max_pain is not None:
        where = f" ({', '.join(s.pain_locations)})" if s.pain_locations else ""
        parts.append(f"pain max {s.max_pain}/10{where}")
    for count, word in (
        (s.stopped_for_pain, "stopped for pain"),
        (s.dizziness, "dizzy"),
        (s.near_falls, "near-fall"),
        (s.falls, "fall"),
        (s.chest_pain, "chest pain"),
        (s.fainting, "fainting"),
    ):
        if count:
            parts.append(f"{word} x{count}")
    return "; ".join(parts) if parts else "-"


def _adherence_text(week: WeekSummary) -> str:
    adherence = week.adherence
    if adherence is None:
        text = "nothing due"
    else:
        text = f"{week.sessions_done}/{week.sessions_planned} ({adherence:.0%})"
    if week.sessions_upcoming:
        text += f", {week.sessions_upcoming} to come"
    return text


def _week_label(week: WeekSummary) -> str:
    label = f"{week.week_start:%d %b %Y}"
    return label if week.complete else label + " (so far)"


def minutes_table(report: ProgressReport) -> Table:
    """Minutes per week toward the goal, oldest first."""
    table = Table(title=f"Minutes per week (goal: {GOAL_MINUTES} at moderate effort or more)")
    table.add_column("week of")
    table.add_column("walked", justify="right")
    table.add_column(f"moderate+ / {GOAL_MINUTES}")
    table.add_column("unknown", justify="right")
    table.add_column("backward", justify="right")
    for week in report.weeks:
        table.add_row(
            _week_label(week),
            f"{week.walking_s / 60:.0f}",
            goal_bar(week.moderate_or_more_s / 60),
            f"{week.unknown_effort_s / 60:.0f}",
            f"{week.backward_s / 60:.0f}",
        )
    return table


def sessions_table(report: ProgressReport) -> Table:
    """Adherence, energy and symptoms per week, oldest first."""
    table = Table(title="Sessions, energy and symptoms per week")
    table.add_column("week of")
    table.add_column("done / planned")
    table.add_column("energy kcal (range)")
    table.add_column("symptoms")
    for week in report.weeks:
        table.add_row(
            _week_label(week), _adherence_text(week), _energy_text(week), _symptoms_text(week)
        )
    return table


def print_steadiness(trend: SteadinessTrend) -> None:
    """Backward steadiness per week with a figure, the change and the smallest real change."""
    console.print("[bold]Steadiness walking backward[/bold] (step regularity, higher is steadier)")
    for week in trend.weeks:
        if week.step_regularity is not None:
            console.print(
                f"  week of {week.week_start:%d %b %Y}: {week.step_regularity:.2f} "
                f"({week.sessions} session{'s' if week.sessions != 1 else ''} recorded)",
                markup=False,
                highlight=False,
            )
    console.print(f"  {trend.sentence}", markup=False, highlight=False)
    console.print(f"  {trend.mdc_note}", markup=False, highlight=False)


def print_report(report: ProgressReport, steadiness: SteadinessTrend | None = None) -> None:
    """The human-readable report."""
    console.print(minutes_table(report))
    console.print(sessions_table(report))
    console.print(f"Weeks are Monday to Sunday, {report.time_zone}.", highlight=False)
    console.print("[bold]3-metre backward walk test[/bold]")
    if not report.balance_tests:
        console.print("  none yet", highlight=False)
    for test in report.balance_tests:
        line = (
            f"  {test.performed_at:%d %b %Y}: {format_test_time(test.score_s)}, "
            f"{test.interpretation.verdict.value.replace('_', ' ')}"
        )
        if test.interpretation.cutoff_s is not None:
            line += f" (cut-off {test.interpretation.cutoff_s:g} s)"
        if test.change is not None:
            line += (
                f"; change {test.change.difference_s:+.2f} s: "
                f"{test.change.verdict.value.replace('_', ' ')}"
            )
            if test.change.mdc_s is not None:
                line += f" (MDC {test.change.mdc_s:g} s)"
        console.print(line, markup=False, highlight=False)
    streaks = report.streaks
    if steadiness is not None:
        print_steadiness(steadiness)
    console.print("[bold]Streaks[/bold]")
    console.print(
        f"  planned sessions done in a row: {streaks.planned_sessions_current} now, "
        f"{streaks.planned_sessions_longest} longest",
        highlight=False,
    )
    console.print(
        f"  weeks meeting {GOAL_MINUTES} min in a row: {streaks.goal_weeks_current} now, "
        f"{streaks.goal_weeks_longest} longest",
        highlight=False,
    )
    console.print("[bold]Notes[/bold]")
    for note in report.notes:
        console.print(f"  - {note}", markup=False, highlight=False)


@app.command("progress")
def progress_command(
    weeks: Annotated[int, typer.Option(help="Calendar weeks to show (1-104).")] = 8,
    on: Annotated[
        str | None, typer.Option(help="Show progress as of this day, YYYY-MM-DD (default today).")
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Time zone for days and weeks, e.g. Europe/Paris (default: this computer's).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Weekly minutes toward 150, adherence, energy, symptoms, balance tests and streaks."""
    zone = local_zone(tz)
    day = parse_date(on, "--on") if on is not None else datetime.now(zone).date()
    db = open_database()
    try:
        with db.transaction() as session:
            report = progress_report(session, weeks=weeks, today=day, tz=zone)
            steadiness = steadiness_report(session, weeks=weeks, today=day, tz=zone)
    finally:
        db.dispose()
    if as_json:
        typer.echo(json.dumps(report.to_dict() | {"steadiness": steadiness.to_dict()}, indent=2))
        return
    print_report(report, steadiness)
