"""Progress report service time as the history grows, against the per-log method.

Stores two histories, each in a fresh SQLite database in a temporary folder, through the log
service (``retrowalk.services.logs.add_log``, with a profile and an active plan that adapts after
every log, as the web app does):

- **load**: ``--logs`` sessions (default 1300) logged by 50 clients, each at consecutive seconds
  from its own start (``bench/api_load.py``'s shape: many sessions in the same minutes, within
  8 weeks);
- **daily**: one session a day for ``--years`` years (default 3), alternating treadmill sessions
  with speeds and a rating with hallway sessions without speed (no energy figure).

For each it prints the median time of ``progress_report`` (8 weeks, Europe/Paris) with no group
kept from an earlier report (cold), with every group's entries kept but the grouped query run
(warm), with the grouped logs kept as well (kept: what a report finds after a new log on SQLite,
see ``retrowalk.services.loggroups``), the grouped logs query alone, and, as the baseline, the
per-log method: the same report with every
log's stored facts cleared (in a transaction that is rolled back), so that each log's facts are
derived from its segments, ratings and energy on every read, as before migration 0005. It also
checks that both give the same report. The databases are deleted at the end.

Target: the load history's report in under 5 ms of service time (cold).

Usage: ``python bench/progress_scale.py [--logs 1300] [--years 3] [--repeat 30]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session

from retrowalk.profile import example_profile_data
from retrowalk.services import loggroups, progress
from retrowalk.services.database import Database, open_database
from retrowalk.services.logs import LogInput, RatingsInput, SegmentInput, add_log
from retrowalk.services.plans import create_plan
from retrowalk.services.progress import (
    progress_report,
)
from retrowalk.services.readiness import (
    load_profile_data,
    save_profile,
)
from retrowalk.store import models

TARGET_MS = 5.0
CLIENTS = 50
WEEKS = 8
ZONE = ZoneInfo("Europe/Paris")
PROFILE = {
    **example_profile_data(),
    "age_years": 45,
    "mass_kg": 70.0,
    "height_m": 1.7,
    "equipment": ["treadmill_with_rails", "hallway_with_rail"],
}


# -- histories ---------------------------------------------------------------------------------


def treadmill_log(started: datetime, rpe: float = 12) -> LogInput:
    """``bench/api_load.py``'s session: 5 minutes on a treadmill with speeds, rated."""

    def segment(direction: str, duration_s: float, speed: float) -> SegmentInput:
        return SegmentInput(direction, duration_s, "treadmill", "treadmill_rails", speed)

    return LogInput(
        started_at=started,
        segments=(
            segment("forward", 120.0, 1.0),
            segment("backward", 60.0, 0.5),
            segment("forward", 120.0, 1.0),
        ),
        ratings=RatingsInput(rpe=rpe, pain_0_10=0),
        source="quick",
    )


def hallway_log(started: datetime, day: int) -> LogInput:
    """A hallway session without speeds (so without an energy figure), rated now and then."""
    return LogInput(
        started_at=started,
        segments=(
            SegmentInput("forward", 300.0, "hallway", "wall_or_rail"),
            SegmentInput("backward", 600.0, "hallway", "wall_or_rail"),
        ),
        ratings=RatingsInput(rpe=13, pain_0_10=day % 4, pain_location="right knee")
        if day % 3
        else None,
    )


def load_history(count: int, now: datetime) -> list[LogInput]:
    """``count`` sessions from 50 clients, each at consecutive seconds (as bench/api_load.py)."""
    base = now.replace(microsecond=0) - timedelta(days=60)
    return [
        treadmill_log(base + timedelta(seconds=(n % CLIENTS) * 100_000 + n // CLIENTS))
        for n in range(count)
    ]


def daily_history(years: int, now: datetime) -> list[LogInput]:
    """One session a day, at 17:30 UTC, for ``years`` years up to yesterday."""
    first = (now - timedelta(days=365 * years)).replace(hour=17, minute=30, second=0, microsecond=0)
    days = (now - first).days
    return [
        treadmill_log(first + timedelta(days=n), rpe=11 + n % 4)
        if n % 2
        else hallway_log(first + timedelta(days=n), n)
        for n in range(days)
    ]


def store(folder: Path, name: str, logs: list[LogInput]) -> tuple[Database, float]:
    """A new database with a profile, an 8-week plan and ``logs``; and the seconds it took."""
    began = time.perf_counter()
    db = open_database(f"sqlite:///{folder / f'{name}.sqlite3'}")
    with db.transaction() as session:
        save_profile(session, load_profile_data(PROFILE))
        create_plan(session, start_on=logs[0].started_at.date(), weeks=WEEKS)
    for start in range(0, len(logs), 100):
        with db.transaction() as session:
            for data in logs[start : start + 100]:
                add_log(session, data)
    return db, time.perf_counter() - began


def median_ms(
    db: Database,
    build: Callable[[Session], object],
    repeat: int,
    *,
    facts: bool,
    cold: bool = True,
    kept: bool = False,
) -> float:
    """Median time of ``build(session)``, ms, each in a new transaction (rolled back). Without
    ``facts`` every log's stored facts are cleared first, so the report derives them from each
    log's rows, as every report did before migration 0005. ``cold``: no group's entries are
    kept from the run before. ``kept``: the grouped logs are kept (a committed report read them
    and no log changed since); otherwise they are forgotten and the grouped query runs."""
    if kept:
        with db.transaction() as session:
            loggroups.grouped_logs(session)
    times = []
    for _ in range(repeat):
        with db.factory() as session:
            if not facts:
                session.execute(update(models.SessionLog).values(facts_version=None))
            if cold:
                progress._group_entries.cache_clear()
            if not kept:
                loggroups.clear_kept_groups()
            began = time.perf_counter()
            build(session)
            times.append((time.perf_counter() - began) * 1000)
            session.rollback()
    return statistics.median(times)


def measure(db: Database, today: date, repeat: int) -> tuple[int, bool, list[float]]:
    """(groups, same report, [per-log ms, grouped ms cold, warm and kept, grouped query ms])."""

    def report(session: Session) -> dict[str, Any]:
        data = progress_report(session, weeks=WEEKS, today=today, tz=ZONE).to_dict()
        del data["generated_at"]
        return data

    with db.factory() as session:
        groups = len(loggroups.grouped_logs(session))
        new = report(session)
        session.execute(update(models.SessionLog).values(facts_version=None))
        old = report(session)
        session.rollback()
    times = [
        median_ms(db, report, repeat, facts=False),
        median_ms(db, report, repeat, facts=True),
        median_ms(db, report, repeat, facts=True, cold=False),
        median_ms(db, report, repeat, facts=True, cold=False, kept=True),
        median_ms(db, loggroups.grouped_logs, repeat, facts=True),
    ]
    return groups, new == old, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=1300, help="sessions of the load history")
    parser.add_argument("--years", type=int, default=3, help="years of the daily history")
    parser.add_argument("--repeat", type=int, default=30, help="reports timed per method")
    args = parser.parse_args()
    now = datetime.now(UTC)
    today = now.astimezone(ZONE).date()
    histories = {
        "load": load_history(args.logs, now),
        "daily": daily_history(args.years, now),
    }
    print(f"progress_report, {WEEKS} weeks, {ZONE.key}, SQLite; median of {args.repeat} runs")
    print(
        f"{'history':<8}{'logs':>7}{'groups':>8}{'per-log ms':>12}{'cold ms':>10}"
        f"{'warm ms':>10}{'kept ms':>10}{'(query ms)':>12}{'same':>6}"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="retrowalk-progress-") as folder:
        for name, logs in histories.items():
            db, seconds = store(Path(folder), name, logs)
            try:
                groups, same, times = measure(db, today, args.repeat)
            finally:
                db.dispose()
            baseline, cold, warm, kept, query = times
            print(
                f"{name:<8}{len(logs):>7}{groups:>8}{baseline:>12.2f}{cold:>10.2f}{warm:>10.2f}"
                f"{kept:>10.2f}{query:>12.2f}{'yes' if same else 'NO':>6}"
                f"   (stored in {seconds:.0f} s)"
            )
            ok = ok and same and (name != "load" or cold < TARGET_MS)
    print(f"target: load history under {TARGET_MS:g} ms, same report -> ", end="")
    print("met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
