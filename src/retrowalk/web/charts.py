"""Server-rendered charts (inline SVG, no chart library) and the plan calendar.

Every chart has a ``<title>`` and ``<desc>`` and the page shows the same figures as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from markupsafe import Markup, escape

from retrowalk.formatting import format_number

WIDTH: Final = 420
HEIGHT: Final = 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 8, 28, 40
#: What a hatched part of an energy bar is.
ASSUMED_LABEL: Final = "estimate from an assumed speed"


@dataclass(frozen=True)
class Series:
    """One set of bars: a name, values (``None``: no data) and a CSS class."""

    name: str
    values: Sequence[float | None]
    css: str
    low: Sequence[float | None] | None = None
    high: Sequence[float | None] | None = None
    #: The part of each bar that is an estimate from an assumed speed (drawn hatched).
    assumed: Sequence[float | None] | None = None


#: Tick steps of the value axis: four steps from 0 to the top, each a whole, round number (no
#: ticks like 3.8 or 7.5, issue 13).
_TICK_STEPS: Final = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)


def _nice_max(value: float) -> float:
    """The top of the value axis: four round steps covering ``value``."""
    for step in _TICK_STEPS:
        if value <= step * 4:
            return float(step * 4)
    return float(math.ceil(value / 40000) * 40000)


#: Width of one character of axis text, in chart units (0.75rem text is 12 units at the default
#: size; a digit or letter is about 0.6 em wide), and the least gap between two x-axis labels.
_CHAR_W: Final = 7.5
_LABEL_GAP: Final = 12.0


def _labelled(labels: Sequence[str], slot_w: float) -> set[int]:
    """The indexes of the x-axis labels drawn: every n-th one, counted back from the latest, so
    that labels ``slot_w`` apart never overlap on a 390-px phone (issue 13)."""
    widest = max((len(label) for label in labels), default=0) * _CHAR_W + _LABEL_GAP
    every = max(1, math.ceil(widest / max(slot_w, 1.0)))
    last = len(labels) - 1
    return {i for i in range(len(labels)) if (last - i) % every == 0}


def _x_label(x: float, label: str) -> str:
    return (
        f'<text class="axis x-label" x="{x:.1f}" y="{HEIGHT - _BOTTOM + 16}" '
        f'text-anchor="middle">{escape(label)}</text>'
    )


def _fmt(value: float) -> str:
    return format_number(value, 0 if abs(value) >= 10 else 1)


def _frame(chart_id: str, title: str, desc: str, top: float, unit: str) -> list[str]:
    plot_h = HEIGHT - _TOP - _BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" id="{chart_id}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for i in range(5):
        value = top * i / 4
        y = _TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_fmt(value)}</text>"
        )
    parts.append(f'<text class="axis" x="4" y="12" text-anchor="start">{escape(unit)}</text>')
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str,
    goal: float | None = None,
    goal_label: str = "",
) -> Markup:
    """Grouped bars per label, optional low-high whiskers and a goal line."""
    highest = max(
        [v for s in series for v in (s.high or s.values) if v is not None] + [goal or 0, 1.0]
    )
    top = _nice_max(highest)
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM
    parts = _frame(chart_id, title, desc, top, unit)
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.7 / max(len(series), 1)
    shown = _labelled(labels, group_w)

    def y_of(value: float) -> float:
        return _TOP + plot_h - plot_h * value / top

    for index, label in enumerate(labels):
        x0 = _LEFT + index * group_w + group_w * 0.15
        for k, one in enumerate(series):
            value = one.values[index]
            x = x0 + k * bar_w
            if value is None:
                continue
            parts.append(
                f'<rect class="{one.css}" x="{x:.1f}" y="{y_of(value):.1f}" '
                f'width="{bar_w * 0.92:.1f}" height="{plot_h * value / top:.1f}">'
                f"<title>{escape(label)}: {escape(one.name)} {_fmt(value)} {escape(unit)}</title>"
                "</rect>"
            )
            part = None if one.assumed is None else one.assumed[index]
            if part:
                part = min(part, value)
                parts.append(
                    f'<rect class="bar-assumed" fill="url(#{chart_id}-hatch)" x="{x:.1f}" '
                    f'y="{y_of(part):.1f}" width="{bar_w * 0.92:.1f}" '
                    f'height="{plot_h * part / top:.1f}">'
                    f"<title>{escape(label)}: {_fmt(part)} {escape(unit)} of it "
                    f"{ASSUMED_LABEL}</title></rect>"
                )
            if one.low is not None and one.high is not None:
                low, high = one.low[index], one.high[index]
                if low is not None and high is not None:
                    cx = x + bar_w * 0.46
                    parts.append(
                        f'<path class="whisker" d="M{cx:.1f},{y_of(low):.1f}V{y_of(high):.1f}'
                        f'M{cx - 5:.1f},{y_of(low):.1f}h10M{cx - 5:.1f},{y_of(high):.1f}h10"/>'
                    )
        if index in shown:
            parts.append(_x_label(_LEFT + index * group_w + group_w / 2, label))
    if goal is not None:
        y = y_of(goal)
        parts.append(
            f'<line class="goal" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="goal-label" x="{WIDTH - _RIGHT - 4}" y="{y - 5:.1f}" '
            f'text-anchor="end">{escape(goal_label)}</text>'
        )
    parts.append(_legend(series, HEIGHT - 8))
    if any(v for one in series for v in (one.assumed or ())):
        parts.append(_assumed_legend(chart_id))
    parts.append("</svg>")
    return Markup("".join(parts))


def _assumed_legend(chart_id: str) -> str:
    """The hatch pattern and its legend entry (top right)."""
    right = WIDTH - _RIGHT
    return (
        f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="6" '
        f'height="6" patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6"/>'
        f'<line class="hatch" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
        f'<rect class="bar-assumed legend-assumed" fill="url(#{chart_id}-hatch)" '
        f'x="{right - 14:.0f}" y="4" width="10" height="10"/>'
        f'<text class="axis" x="{right - 18:.0f}" y="13" text-anchor="end">{ASSUMED_LABEL}</text>'
    )


def _legend(series: Sequence[Series], y: float) -> str:
    out = []
    x = float(_LEFT)
    for one in series:
        out.append(
            f'<rect class="{one.css}" x="{x:.0f}" y="{y - 9:.0f}" width="10" height="10"/>'
            f'<text class="axis" x="{x + 14:.0f}" y="{y:.0f}">{escape(one.name)}</text>'
        )
        x += 24 + 7.5 * len(one.name)
    return "".join(out)


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    unit: str,
    cutoff: float | None,
    cutoff_label: str,
) -> Markup:
    """Points joined by a line, with a dashed cut-off line."""
    top = _nice_max(max([*values, cutoff or 0, 1.0]))
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM
    parts = _frame(chart_id, title, desc, top, unit)
    step = plot_w / max(len(values), 1)
    points = [
        (_LEFT + step * (i + 0.5), _TOP + plot_h - plot_h * v / top) for i, v in enumerate(values)
    ]
    if len(points) > 1:
        path = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<path class="trend" d="{path}"/>')
    shown = _labelled(labels, step)
    for index, ((x, y), label, value) in enumerate(zip(points, labels, values, strict=True)):
        parts.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="5">'
            f"<title>{escape(label)}: {_fmt(value)} {escape(unit)}</title></circle>"
        )
        if index in shown:
            parts.append(_x_label(x, label))
    if cutoff is not None:
        y = _TOP + plot_h - plot_h * cutoff / top
        parts.append(
            f'<line class="cutoff" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="goal-label" x="{WIDTH - _RIGHT - 4}" y="{y - 5:.1f}" '
            f'text-anchor="end">{escape(cutoff_label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(day: str) -> str:
    parsed = date.fromisoformat(day)
    return f"{parsed.day} {parsed:%b}"


def progress_charts(report: dict[str, Any]) -> dict[str, Markup | None]:
    """The four progress charts from a progress report's JSON."""
    weeks = report["weeks"]
    labels = [_short(w["week_start"]) for w in weeks]
    goal = float(weeks[0]["goal_minutes"]) if weeks else 150.0
    minutes = bar_chart(
        "chart-minutes",
        "Weekly walking minutes against the goal",
        f"Minutes walked each week and the minutes of moderate or more effort, against the goal "
        f"of {goal:g} minutes a week.",
        labels,
        [
            Series("all walking", [w["walking_minutes"] for w in weeks], "bar-light"),
            Series("moderate or more", [w["moderate_or_more_minutes"] for w in weeks], "bar"),
        ],
        unit="min",
        goal=goal,
        goal_label=f"goal {goal:g} min",
    )
    backward = bar_chart(
        "chart-backward",
        "Weekly backward minutes",
        "Minutes walked backward each week.",
        labels,
        [Series("backward", [w["backward_minutes"] for w in weeks], "bar-back")],
        unit="min",
    )
    energy_of = [w["energy_kcal"] for w in weeks]
    energy = bar_chart(
        "chart-energy",
        "Weekly energy with its range",
        "Estimated energy each week in kcal: the bar is the central estimate, the whisker the "
        f"range from low to high; the hatched part is the {ASSUMED_LABEL} (no speed was known).",
        labels,
        [
            Series(
                "energy (central, range)",
                [None if e is None else e["central"] for e in energy_of],
                "bar-energy",
                low=[None if e is None else e["low"] for e in energy_of],
                high=[None if e is None else e["high"] for e in energy_of],
                assumed=[
                    None
                    if w.get("energy_assumed_kcal") is None
                    else w["energy_assumed_kcal"]["central"]
                    for w in weeks
                ],
            )
        ],
        unit="kcal",
    )
    tests = report.get("balance_tests", [])
    trend: Markup | None = None
    if tests:
        cutoff = tests[-1].get("cutoff_s")
        trend = line_chart(
            "chart-3mbwt",
            "3-metre backward walk test over time",
            "Seconds to walk 3 metres backward at each test (lower is better)"
            + (f", with the cut-off of {cutoff:g} s for your group." if cutoff else "."),
            [_short(t["performed_at"][:10]) for t in tests],
            [float(t["score_s"]) for t in tests],
            unit="s",
            cutoff=cutoff,
            cutoff_label="" if cutoff is None else f"cut-off {cutoff:g} s",
        )
    return {"minutes": minutes, "backward": backward, "energy": energy, "trend": trend}


def calendar(
    plan: dict[str, Any], today: date, states: dict[str, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The plan's weeks as rows of seven days, each with its sessions; ``states`` (by session
    id, :meth:`~retrowalk.services.completion.PlannedSessionStatus.to_dict`) adds to each
    session whether it was done, partly done or missed."""
    states = states or {}
    start = date.fromisoformat(plan["start_on"])
    out = []
    for week in plan["weeks"]:
        first = start + timedelta(weeks=week["number"] - 1)
        by_day: dict[str, list[dict[str, Any]]] = {}
        for item in week["sessions"]:
            state = states.get(item.get("id", ""))
            by_day.setdefault(item["scheduled_on"], []).append(
                item if state is None else {**item, "completion": state}
            )
        days = []
        for offset in range(7):
            day = first + timedelta(days=offset)
            days.append(
                {
                    "date": day.isoformat(),
                    "label": f"{day:%a} {day.day} {day:%b}",
                    "is_today": day == today,
                    "past": day < today,
                    "sessions": by_day.get(day.isoformat(), []),
                }
            )
        out.append({**{k: v for k, v in week.items() if k != "sessions"}, "days": days})
    return out


def history_calendar(
    walked: Sequence[dict[str, Any]], first: date, last: date
) -> list[dict[str, Any]]:
    """Weeks (Monday first) from the week of ``first`` to the week of ``last``, each day marked
    with what was walked that day (``walked``: :meth:`~retrowalk.services.completion.WalkedDay.
    to_dict` items) or ``None``; days after ``last`` are ``future``."""
    by_day = {item["day"]: item for item in walked}
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        days = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            days.append(
                {
                    "date": day.isoformat(),
                    "label": f"{day:%a} {day.day} {day:%b}",
                    "walked": by_day.get(day.isoformat()),
                    "future": day > last,
                }
            )
        weeks.append(
            {"monday": monday.isoformat(), "short": _short(monday.isoformat()), "days": days}
        )
        monday += timedelta(weeks=1)
    return weeks
