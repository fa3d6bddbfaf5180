"""Rich rendering helpers shared by CLI commands (presentation only)."""

from __future__ import annotations

import unicodedata

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from retrowalk.formatting import format_duration, format_speed
from retrowalk.plans import Plan, PlannedSession
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import DEFAULT_SPEED_UNIT, SpeedUnit

#: Where every command prints.
console = Console()

SUPPORT_WORDS = {
    "none": "no support",
    "wall_or_rail": "hand on wall or rail",
    "treadmill_rails": "hands on treadmill rails",
    "spotter": "spotter beside you",
}


def safe_text(text: str) -> str:
    """User text made safe to print with Rich: control and format characters (escape codes,
    carriage returns, bidirectional overrides) shown as ``\\x1b``-style escapes, and Rich markup
    escaped, so a note cannot restyle the terminal, move its cursor or forge a line."""
    shown = "".join(
        repr(ch)[1:-1] if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text
    )
    return escape(shown)


def minutes(seconds: float) -> str:
    """``90`` -> ``1:30`` (a clock, for countdowns; descriptions use ``format_duration``)."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def describe_segment(segment: PlannedSegment, units: SpeedUnit = DEFAULT_SPEED_UNIT) -> str:
    """One line for a segment: direction, time, place, support, speed (in ``units``)."""
    speed = ""
    if segment.speed_target_m_s is not None and segment.speed_limit_m_s is not None:
        speed = (
            f", belt {format_speed(segment.speed_target_m_s, units)} "
            f"(limit {format_speed(segment.speed_limit_m_s, units)})"
        )
    return (
        f"{segment.kind.value.replace('_', ' ')}: {segment.direction.value} "
        f"{format_duration(segment.duration_s)}, {segment.environment.value.replace('_', ' ')}, "
        f"{SUPPORT_WORDS.get(segment.support.value, segment.support.value)}{speed}"
    )


def print_session(
    console: Console,
    planned: PlannedSession,
    session_id: str | None,
    units: SpeedUnit = DEFAULT_SPEED_UNIT,
) -> None:
    """A planned session with its segments."""
    title = f"{planned.scheduled_on:%a %d %b}: {planned.title}"
    if session_id:
        title += f"  [dim](id {session_id[:8]})[/dim]"
    console.print(f"[bold]{title}[/bold]")
    console.print(
        f"  {format_duration(planned.backward_s)} backward, "
        f"{format_duration(planned.total_s)} in all",
        highlight=False,
    )
    for segment in planned.segments:
        console.print(f"  - {describe_segment(segment, units)}", markup=False, highlight=False)


def plan_table(plan: Plan) -> Table:
    """Weeks with backward and walking minutes toward the 150-minute goal."""
    table = Table(title="Your plan", show_lines=False)
    table.add_column("week", justify="right")
    table.add_column("sessions", justify="right")
    table.add_column("backward min", justify="right")
    table.add_column("walking min (goal 150)", justify="right")
    for week in plan.weeks:
        table.add_row(
            str(week.number),
            str(len(week.sessions)),
            f"{week.backward_minutes:.0f}",
            f"{week.walking_minutes:.0f} / {week.goal_minutes}",
        )
    return table
