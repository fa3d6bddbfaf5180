"""Progress report time for a person's history of 1, 3 and 10 years of daily sessions.

One SQLite database in a temporary folder grows, through the log service
(``retrowalk.services.logs.add_log``, with a profile and an active plan that adapts after every
log, as the app does), to one session a day for 1, then 3, then 10 years: treadmill sessions with
speeds and a rating alternate with hallway sessions without speed (no energy figure).

At each size it prints the time of ``progress_report`` (8 weeks, Europe/Paris): **cold**, the
first report of a newly opened database (a new process's first request), and **warm**, repeated
reports (median and p99). The **baseline** is the same warm report with every log's stored
facts cleared (in a transaction that is rolled back), so that each log's facts are derived
from its segments, ratings and energy on every read, as before migration 0005; the bench checks
that both give the same report. The database is deleted at the end.

Target: p99 of the warm report under 50 ms at 10 years.

A **noise reference** is timed in the same run: a fixed pure-Python workload of about the
report's length, repeated as often. Its p99 against its p50 shows how much of a p99 the machine
itself adds (a shared virtual machine can add several times the p50).

Usage: ``python bench/progress_scale.py [--repeat 100]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session

from retrowalk.profile import example_profile_data
from retrowalk.services.database import Database, open_database
from retrowalk.services.logs import LogInput, RatingsInput, SegmentInput, add_log
from retrowalk.services.plans import create_plan
from retrowalk.services.progress import progress_report
from retrowalk.services.readiness import load_profile_data, save_profile
from retrowalk.store import models

TARGET_P99_MS = 50.0
YEARS = (1, 3, 10)
WEEKS = 8
ZONE = ZoneInfo("Europe/Paris")
PROFILE = {
    **example_profile_data(),
    "age_years": 45,
    "mass_kg": 70.0,
    "height_m": 1.7,
    "equipment": ["treadmill_with_rails", "hallway_with_rail"],
}


# -- history -----------------------------------------------------------------------------------


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


def daily_history(years: int, now: datetime) -> list[LogInput]:
    """One session a day, at 17:30 UTC, for ``years`` years up to yesterday, oldest first."""
    first = (now - timedelta(days=365 * years)).replace(hour=17, minute=30, second=0, microsecond=0)
    days = (now - first).days
    return [
        treadmill_log(first + timedelta(days=n), rpe=11 + n % 4)
        if n % 2
        else hallway_log(first + timedelta(days=n), n)
        for n in range(days)
    ]


def add(db: Database, logs: list[LogInput]) -> None:
    for start in range(0, len(logs), 100):
        with db.transaction() as session:
            for data in logs[start : start + 100]:
                add_log(session, data)


def start_history(url: str, history: list[LogInput]) -> Database:
    """A new database at ``url`` with the profile and a plan starting on ``history``'s first day."""
    db = open_database(url)
    with db.transaction() as session:
        save_profile(session, load_profile_data(PROFILE))
        create_plan(session, start_on=history[0].started_at.date(), weeks=WEEKS)
    return db


def grow(
    db: Database, history: list[LogInput], now: datetime, sizes: tuple[int, ...]
) -> Iterator[tuple[int, int]]:
    """For each size in years, in turn: store the newest that many years of ``history`` (adding
    the older days before those stored), then yield (years, logs stored)."""
    stored = 0
    for years in sizes:
        want = len(daily_history(years, now))
        add(db, history[len(history) - want : len(history) - stored])
        stored = want
        yield years, stored


# -- timing ------------------------------------------------------------------------------------


def timed_ms(
    db: Database, build: Callable[[Session], object], repeat: int, *, facts: bool
) -> list[float]:
    """Times of ``build(session)``, ms, each in a new transaction (rolled back). Without
    ``facts`` every log's stored facts are cleared first (the baseline)."""
    times = []
    for _ in range(repeat):
        with db.factory() as session:
            if not facts:
                session.execute(update(models.SessionLog).values(facts_version=None))
            began = time.perf_counter()
            build(session)
            times.append((time.perf_counter() - began) * 1000)
            session.rollback()
    return times


def noise_reference(repeat: int) -> list[float]:
    """Times (ms) of a fixed workload that touches no database: the machine's own spread."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        sorted(float(n * 7919 % 100_003) for n in range(150_000))
        times.append((time.perf_counter() - began) * 1000)
    return times


def p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[98]


def measure(url: str, today: date, repeat: int) -> tuple[bool, float, list[float], list[float]]:
    """(same report as the baseline, cold ms, warm times, baseline times)."""

    def report(session: Session) -> dict[str, Any]:
        data = progress_report(session, weeks=WEEKS, today=today, tz=ZONE).to_dict()
        del data["generated_at"]
        return data

    db = open_database(url, migrate=False)
    try:
        cold = timed_ms(db, report, 1, facts=True)[0]
        warm = timed_ms(db, report, repeat, facts=True)
        baseline = timed_ms(db, report, max(5, repeat // 10), facts=False)
        with db.factory() as session:
            new = report(session)
            session.execute(update(models.SessionLog).values(facts_version=None))
            old = report(session)
            session.rollback()
    finally:
        db.dispose()
    return new == old, cold, warm, baseline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="warm reports timed per size")
    args = parser.parse_args()
    now = datetime.now(UTC)
    today = now.astimezone(ZONE).date()
    history = daily_history(max(YEARS), now)
    print(f"progress_report, {WEEKS} weeks, {ZONE.key}, SQLite; warm: {args.repeat} reports")
    print(
        f"{'years':>5}{'logs':>7}{'cold ms':>9}{'warm p50':>10}{'warm p99':>10}"
        f"{'baseline p50':>14}{'same':>6}"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="retrowalk-progress-") as folder:
        url = f"sqlite:///{Path(folder) / 'history.sqlite3'}"
        db = start_history(url, history)
        for years, stored in grow(db, history, now, YEARS):
            same, cold, warm, baseline = measure(url, today, args.repeat)
            warm_p99 = p99(warm)
            print(
                f"{years:>5}{stored:>7}{cold:>9.1f}{statistics.median(warm):>10.1f}"
                f"{warm_p99:>10.1f}{statistics.median(baseline):>14.1f}{'yes' if same else 'NO':>6}"
            )
            ok = ok and same and (years != max(YEARS) or warm_p99 < TARGET_P99_MS)
        db.dispose()
    noise = noise_reference(args.repeat)
    print(
        f"noise reference (fixed workload, no database): p50 {statistics.median(noise):.1f} ms, "
        f"p99 {p99(noise):.1f} ms"
    )
    print(f"target: p99 under {TARGET_P99_MS:g} ms at {max(YEARS)} years, same report -> ", end="")
    print("met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
