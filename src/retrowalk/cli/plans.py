"""``retrowalk plan new|show`` and ``retrowalk today``."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from retrowalk.cli.app import app
from retrowalk.cli.render import console, plan_table, print_session
from retrowalk.errors import InvalidInputError
from retrowalk.formatting import format_duration, localise
from retrowalk.plans import ProfessionalClearanceRequiredError
from retrowalk.profile import load_profile
from retrowalk.progress.completion import SessionState
from retrowalk.services.completion import PlannedSessionStatus, planned_session_statuses
from retrowalk.services.database import open_database
from retrowalk.services.plans import (
    SEEN_PROFESSIONAL_TEXT,
    create_plan,
    current_plan,
    plan_changes,
    require_plan,
    resume_plan,
    today,
)
from retrowalk.services.readiness import require_profile, save_profile
from retrowalk.services.settings import display_units
from retrowalk.timeutil import local_zone

plan_app = typer.Typer(help="Your multi-week plan.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")

ACKNOWLEDGEMENT = (
    "I have read the screening reasons. I have talked to a health professional, or I accept "
    "the risk of starting without doing so."
)


def parse_date(value: str | None, field: str) -> date:
    """An ISO date from the command line (today when not given)."""
    if value is None:
        return date.today()  # noqa: DTZ011 - the user's local calendar day
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(field, value, "a date as YYYY-MM-DD") from None


@plan_app.command("new")
def plan_new(
    profile_path: Annotated[
        Path | None,
        typer.Option(
            "--profile", help="Profile JSON file (default: the profile you already saved)."
        ),
    ] = None,
    weeks: Annotated[int, typer.Option(help="Plan length in weeks (1-12).")] = 4,
    start: Annotated[
        str | None, typer.Option(help="First day, YYYY-MM-DD (default today).")
    ] = None,
    acknowledge_risk: Annotated[
        bool,
        typer.Option(
            "--acknowledge-risk",
            help="Make a plan even though screening says to see a professional first "
            "(the acknowledgement is stored).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Replace the current plan without asking.")
    ] = False,
) -> None:
    """Screen your profile (a file, or the one you saved) and make a new plan."""
    profile = None if profile_path is None else load_profile(profile_path)
    start_on = parse_date(start, "--start")
    db = open_database()
    try:
        with db.transaction() as session:
            if profile is not None:
                save_profile(session, profile)
            else:
                require_profile(session)  # a clear message when nothing is saved yet
            existing = current_plan(session)
            if existing is not None and not yes and not as_json:
                typer.confirm(
                    "This replaces your current plan (its history is kept). Make a new plan?",
                    abort=True,
                )
            stored, screening = create_plan(
                session,
                start_on=start_on,
                weeks=weeks,
                acknowledgement=ACKNOWLEDGEMENT if acknowledge_risk else None,
            )
            document = stored.to_dict()
    except ProfessionalClearanceRequiredError as exc:
        raise InvalidInputError(
            "screening",
            "see_professional_first",
            "a professional's advice first; if you have it, rerun with --acknowledge-risk "
            f"(nothing was stored). Reasons: {' '.join(exc.reasons)}",
        ) from exc
    finally:
        db.dispose()
    if as_json:
        document["screening"] = screening.result.to_dict()
        typer.echo(json.dumps(document, indent=2))
        return
    console.print(f"Screening: [bold]{screening.result.clearance.value}[/bold]")
    for reason in screening.result.reasons:
        console.print(f"  - {reason.text}", markup=False, highlight=False)
    console.print(plan_table(stored.plan))
    for line in stored.plan.explanation:
        console.print(f"  {line}", markup=False, highlight=False)
    console.print("Next: 'retrowalk today' shows today's session.")


@plan_app.command("show")
def plan_show(
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    full: Annotated[bool, typer.Option("--full", help="List every session.")] = False,
) -> None:
    """Show the current plan, its weeks and the changes made to it."""
    zone = local_zone()
    db = open_database()
    try:
        with db.transaction() as session:
            stored = require_plan(session)
            changes = plan_changes(session, stored.id)
            states = planned_session_statuses(
                session, today=datetime.now(zone).date(), tz=zone, plan_id=stored.id
            )
            units = display_units(session)
    finally:
        db.dispose()
    if as_json:
        document = {**stored.to_dict(), "changes": changes}
        document["session_states"] = [s.to_dict() for s in states]
        typer.echo(json.dumps(document, indent=2))
        return
    console.print(plan_table(stored.plan))
    if stored.plan.stopped:
        console.print("[bold red]This plan is stopped: see a health professional first.[/bold red]")
        console.print(
            "Once one has seen you: 'retrowalk plan resume --seen-professional'.", highlight=False
        )
    this_year = datetime.now(zone).year
    for line in stored.plan.explanation:
        console.print(f"  {localise(line, units, this_year)}", markup=False, highlight=False)
    counts = Counter(s.state for s in states)
    console.print(
        "Sessions: "
        + ", ".join(f"{counts[state]} {state.label.lower()}" for state in SessionState),
        highlight=False,
    )
    if full:
        for line in _calendar(states):
            console.print(line, markup=False, highlight=False)
        for planned in stored.plan.sessions:
            print_session(console, planned, stored.session_id(planned), units)
    if changes:
        console.print("[bold]Changes[/bold]")
        for change in changes:
            console.print(
                f"  {change['created_at'][:10]} {change['action']}: {change['reason']}",
                markup=False,
                highlight=False,
            )


def _calendar(states: list[PlannedSessionStatus]) -> list[str]:
    """One line per planned session: day, state and backward time walked."""
    return [
        f"  {s.scheduled_on:%a %d %b}  {s.state.label:<11} "
        f"{format_duration(s.walked_backward_s)} of {format_duration(s.planned_backward_s)} "
        "backward"
        for s in states
    ]


@plan_app.command("resume")
def plan_resume(
    seen_professional: Annotated[
        bool,
        typer.Option(
            "--seen-professional",
            help="Confirm that a health professional has seen you since your plan stopped.",
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Continue a stopped plan once a health professional has seen you (recorded with its time)."""
    if not seen_professional:
        raise InvalidInputError(
            "--seen-professional",
            None,
            "this option: a stopped plan continues only after a health professional has seen "
            "you; see one first, then run 'retrowalk plan resume --seen-professional'",
        )
    if not yes:
        typer.echo(SEEN_PROFESSIONAL_TEXT)
        typer.confirm("Do you confirm this?", abort=True)
    db = open_database()
    try:
        with db.transaction() as session:
            revision = resume_plan(session)
    finally:
        db.dispose()
    console.print(revision.message, markup=False, highlight=False)
    console.print("Next: 'retrowalk today' shows today's session.")


@app.command("today")
def today_command(
    on: Annotated[str | None, typer.Option(help="Day to show, YYYY-MM-DD (default today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Today's session (or the next one), and why it is what it is."""
    zone = local_zone()
    day = parse_date(on, "--on") if on is not None else datetime.now(zone).date()
    db = open_database()
    try:
        with db.transaction() as session:
            view = today(session, day, tz=zone)
            units = display_units(session)
    finally:
        db.dispose()
    if as_json:
        typer.echo(json.dumps(view.to_dict(), indent=2))
        return
    if view.logged_today is not None:
        logged = view.logged_today
        console.print(
            f"[bold]Today's session is logged: {logged['state_label'].lower()}[/bold] "
            f"({format_duration(logged['walked_backward_s'])} of "
            f"{format_duration(logged['planned_backward_s'])} backward).",
            highlight=False,
        )
    if view.session is None:
        console.print("No session is planned from this day on.")
    else:
        when = "Today" if view.is_today else f"Next session ({view.session.scheduled_on:%a %d %b})"
        console.print(f"[bold]{when}[/bold]")
        print_session(console, view.session, view.session_id, units)
    console.print("[bold]Why[/bold]")
    this_year = datetime.now(zone).year
    for reason in view.reasons:
        console.print(f"  - {localise(reason, units, this_year)}", markup=False, highlight=False)


@plan_app.command("export-workout")
def plan_export_workout(
    session_id: Annotated[
        str | None, typer.Option("--session", help="Planned session id or prefix.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="The session on this day, YYYY-MM-DD (today).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: a name here).")
    ] = None,
) -> None:
    """Write a planned session as a FIT workout for your watch (it buzzes at each change)."""
    from retrowalk.services.plan_exports import workout_file

    day = None if session_id is not None else parse_date(on, "--date")
    db = open_database()
    try:
        with db.transaction() as session:
            name, data = workout_file(session, planned_id=session_id, on=day)
    finally:
        db.dispose()
    target = output or Path(name)
    target.write_bytes(data)
    console.print(f"Wrote {target} ({len(data)} bytes): copy it to your watch's workouts.")


@plan_app.command("calendar")
def plan_calendar_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write.")] = Path(
        "retrowalk-plan.ics"
    ),
    at: Annotated[
        str | None, typer.Option("--at", help="Time of day of your sessions, HH:MM (stored).")
    ] = None,
    remind: Annotated[
        int | None,
        typer.Option("--remind", help="Reminder, minutes before (stored); -1 for none."),
    ] = None,
    new_link: Annotated[
        bool,
        typer.Option("--new-link", help="Make a new private feed URL path for the web app."),
    ] = False,
) -> None:
    """Write the plan as an iCalendar file (with reminders); optionally a private feed link."""
    from retrowalk.services.plan_exports import (
        CalendarSettings,
        calendar_settings,
        new_calendar_token,
        parse_time_of_day,
        plan_ics,
        save_calendar_settings,
    )

    db = open_database()
    token = None
    try:
        with db.transaction() as session:
            settings = calendar_settings(session)
            if at is not None or remind is not None:
                settings = save_calendar_settings(
                    session,
                    at=settings.at if at is None else parse_time_of_day(at, "--at"),
                    remind_before_min=settings.remind_before_min
                    if remind is None
                    else (None if remind == -1 else remind),
                )
            data = plan_ics(session, CalendarSettings(settings.at, settings.remind_before_min))
            if new_link:
                token = new_calendar_token(session)
    finally:
        db.dispose()
    output.write_bytes(data)
    console.print(f"Wrote {output}: sessions at {settings.at:%H:%M}.", highlight=False)
    if token is not None:
        console.print(
            f"Private feed (subscribe in your calendar app): /calendar/{token}.ics on the web "
            "app's address. Anyone with this link can read your plan; --new-link replaces it.",
            highlight=False,
            markup=False,
        )
