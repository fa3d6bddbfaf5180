"""``progress_report`` reads the facts stored on each log: it must give the report built from
the logs' own rows exactly.

Random logs (several in the same minutes, around daylight-saving changes and local midnights,
every status, stop reasons, ratings on both scales, symptoms, segments with and without energy,
logs without session-level figures) are stored on each backend; the report must equal the one
built log by log from the ORM rows (:mod:`tests.services.progress_reference`) in UTC and in
zones whose offsets are not whole hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.services.database import Database
from retrowalk.services.logfacts import store_facts
from retrowalk.services.progress import progress_report
from retrowalk.store import models
from tests.services.progress_reference import per_log_report

ZONES = (
    UTC,
    ZoneInfo("Europe/Paris"),
    ZoneInfo("America/St_Johns"),  # -3:30, -2:30 in summer
    ZoneInfo("Asia/Kathmandu"),  # +5:45
)
#: Instants where a local day or an offset changes in one of the zones (UTC).
ANCHORS = (
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Paris: 02:00 CET -> 03:00 CEST
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # Paris: 03:00 CEST -> 02:00 CET
    datetime(2026, 3, 8, 5, 30, tzinfo=UTC),  # St John's: 02:00 NST -> 03:00 NDT
    datetime(2026, 3, 15, 18, 15, tzinfo=UTC),  # Kathmandu: Monday 00:00
    datetime(2026, 3, 15, 23, 0, tzinfo=UTC),  # Paris: Monday 00:00 (UTC a Sunday)
    datetime(2026, 3, 16, 3, 30, tzinfo=UTC),  # St John's: Monday 00:00
    datetime(2026, 2, 2, 12, 0, tzinfo=UTC),  # earlier weeks (streaks)
)
TODAYS = (date(2026, 3, 18), date(2026, 4, 1), date(2026, 3, 29), date(2026, 11, 2))
#: Weeks shown: from this week only to every anchor's week (streaks always see every week).
WEEKS = (1, 6, 12, 40)
STATUSES = ("completed", "stopped", "abandoned", "in_progress")
STOP_REASONS = (None, "dizziness", "near_fall", "pain", "fatigue")
LOCATIONS = (None, "", "right knee", " lower back ", "left knee")

# Energy figures are multiples of 1/4 and durations whole seconds, so that sums are exact
# whatever their order: the reports must then be equal to the last digit.
QUARTERS = st.integers(min_value=0, max_value=800).map(lambda n: n / 4)
METS = st.sampled_from([1.5, 2.5, 2.75, 3.0, 3.25, 4.5])


@st.composite
def kcal_ranges(draw: st.DrawFn) -> dict[str, float]:
    low, central, high = sorted(draw(st.tuples(QUARTERS, QUARTERS, QUARTERS)))
    broken = draw(st.integers(0, 11))  # now and then a range that is not one
    if broken == 0:
        low, central = central + 1, low
    elif broken == 1:
        central, high = high + 1, central
    elif broken == 2:
        low = -1.0
    return {"low": low, "central": central, "high": high}


def mets_range(central: float) -> dict[str, float]:
    return {"low": central - 0.5, "central": central, "high": central + 0.5}


@st.composite
def segment_energy(draw: st.DrawFn) -> dict[str, Any] | None:
    kind = draw(st.sampled_from(["none", "estimated", "blank", "kcal_only", "mets_only"]))
    if kind == "none":  # no profile when logged
        return None
    if kind == "blank":  # no speed
        return {"energy_kcal": None, "energy_net_kcal": None, "mets": None, "reason": "no speed"}
    return {
        "energy_kcal": None if kind == "mets_only" else draw(kcal_ranges()),
        "mets": None if kind == "kcal_only" else mets_range(draw(METS)),
        "speed_source": "given",
    }


@st.composite
def session_energy(draw: st.DrawFn) -> dict[str, Any] | None:
    kind = draw(st.sampled_from(["none", "full", "kcal_only", "mets_only", "no_speed", "empty"]))
    if kind == "none":
        return None
    if kind == "no_speed":
        return {"energy_kcal": None, "mets": None, "reason": "no total", "warnings": []}
    if kind == "empty":  # no segments: 0 kcal, no METs
        return {"energy_kcal": {"low": 0.0, "central": 0.0, "high": 0.0}, "warnings": []}
    document: dict[str, Any] = {"warnings": [], "mass_kg": 70.0}
    if kind != "mets_only":
        document["energy_kcal"] = draw(kcal_ranges())
    if kind != "kcal_only":  # stored before session METs existed: read from the segments
        document["mets"] = mets_range(draw(METS))
    return document


@st.composite
def ratings(draw: st.DrawFn) -> tuple[float | None, str | None]:
    scale = draw(st.sampled_from(["borg6_20", "cr10", None]))
    if scale is None:
        return None, None
    if scale == "borg6_20":
        return float(draw(st.integers(6, 20))), scale
    return draw(st.sampled_from([0.0, 1.0, 2.5, 3.0, 4.0, 7.0, 11.0])), scale


@dataclass(frozen=True)
class Report:
    minutes_after: int
    rpe: tuple[float | None, str | None]
    pain_0_10: int | None
    pain_location: str | None
    flags: tuple[bool, bool, bool, bool, bool]


REPORTS = st.builds(
    Report,
    st.integers(0, 3),  # minutes after the start: reports made at the same time happen
    ratings(),
    st.none() | st.integers(0, 10),
    st.sampled_from(LOCATIONS),
    st.tuples(*(st.integers(0, 5).map(lambda n: n == 0) for _ in range(5))),
)


@dataclass(frozen=True)
class Log:
    started_at: datetime
    status: str
    stop_reason: str | None
    segments: tuple[tuple[str, int, dict[str, Any] | None], ...]
    energy: dict[str, Any] | None
    reports: tuple[Report, ...]


START_TIMES = st.builds(
    lambda anchor, minutes, seconds, micro: (
        anchor + timedelta(minutes=minutes, seconds=seconds, microseconds=micro)
    ),
    st.sampled_from(ANCHORS),
    st.integers(-40, 40),
    st.sampled_from([0, 1, 30, 59]),
    st.sampled_from([0, 1, 500_000, 999_999]),
)


@dataclass(frozen=True)
class Kind:
    """Everything about a log but its start time: logs of one kind differ only in that."""

    status: str
    stop_reason: str | None
    segments: tuple[tuple[str, int, dict[str, Any] | None], ...]
    energy: dict[str, Any] | None
    reports: tuple[Report, ...]


KINDS = st.builds(
    Kind,
    st.sampled_from(STATUSES),
    st.sampled_from(STOP_REASONS),
    st.lists(
        st.tuples(
            st.sampled_from(["forward", "backward"]),
            st.sampled_from([0, 30, 300, 600, 1200, 2700]),
            segment_energy(),
        ),
        max_size=3,
    ).map(tuple),
    session_energy(),
    st.lists(REPORTS, max_size=4).map(tuple),
)


@st.composite
def log_lists(draw: st.DrawFn) -> list[Log]:
    """Up to 30 logs of a few kinds, so that alike logs share a slot now and then."""
    kinds = draw(st.lists(KINDS, min_size=1, max_size=5))
    starts = draw(st.lists(START_TIMES, min_size=1, max_size=30, unique=True))
    return [
        Log(start, k.status, k.stop_reason, k.segments, k.energy, k.reports)
        for start, k in ((start, draw(st.sampled_from(kinds))) for start in starts)
    ]


ALONE = st.lists(st.tuples(START_TIMES, REPORTS), max_size=3)


def store(
    session: Any,
    logs: list[Log],
    alone: list[tuple[datetime, Report]],
    facts: Sequence[bool] | None = None,
) -> None:
    """Store ``logs`` as rows; with their facts where ``facts`` says so (default: all), as the
    log service stores them, else without (as written before migration 0005)."""

    def report(at: datetime, r: Report) -> models.SymptomReport:
        dizziness, near_fall, fall, chest_pain, fainting = r.flags
        return models.SymptomReport(
            recorded_at=at + timedelta(minutes=r.minutes_after),
            rpe=r.rpe[0],
            rpe_scale=r.rpe[1],
            pain_0_10=r.pain_0_10,
            pain_location=r.pain_location,
            dizziness=dizziness,
            near_fall=near_fall,
            fall=fall,
            chest_pain=chest_pain,
            fainting=fainting,
        )

    rows = []
    for log in logs:
        row = models.SessionLog(
            started_at=log.started_at,
            status=log.status,
            stop_reason=log.stop_reason,
            energy=log.energy,
        )
        for position, (direction, duration_s, energy) in enumerate(log.segments):
            row.segments.append(
                models.SessionSegment(
                    position=position,
                    direction=direction,
                    duration_s=float(duration_s),
                    environment="hallway",
                    support="wall_or_rail",
                    energy=energy,
                )
            )
        row.symptoms.extend(report(log.started_at, r) for r in log.reports)
        session.add(row)
        rows.append(row)
    session.add_all(report(at, r) for at, r in alone)
    session.flush()
    for row, stored in zip(rows, facts or [True] * len(rows), strict=True):
        if stored:
            store_facts(row)
    session.flush()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    logs=log_lists(),
    alone=ALONE,
    today=st.sampled_from(TODAYS),
    weeks=st.sampled_from(WEEKS),
    data=st.data(),
)
def test_grouped_report_equals_the_per_log_report(
    db: Database,
    logs: list[Log],
    alone: list[tuple[datetime, Report]],
    today: date,
    weeks: int,
    data: st.DataObject,
) -> None:
    # Most logs have their stored facts; some lack them (written before migration 0005).
    facts = data.draw(st.lists(st.booleans(), min_size=len(logs), max_size=len(logs)))
    with db.factory() as session:
        try:  # each example's rows are rolled back
            store(session, logs, alone, facts)
            for tz in ZONES:
                grouped = progress_report(session, weeks=weeks, today=today, tz=tz).to_dict()
                expected = per_log_report(session, weeks=weeks, today=today, tz=tz).to_dict()
                del grouped["generated_at"], expected["generated_at"]
                assert grouped == expected, tz
        finally:
            session.rollback()


def test_alike_logs_in_the_same_minutes_are_counted_one_by_one(db: Database) -> None:
    """Fifty alike logs in the same minutes: each is counted."""
    start = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
    energy = {"energy_kcal": {"low": 8.0, "central": 10.0, "high": 12.0}, "mets": mets_range(3.5)}
    logs = [
        Log(
            start + timedelta(seconds=n),
            "completed",
            None,
            (("backward", 600, None),),
            energy,
            (Report(0, (12.0, "borg6_20"), 1, "knee", (n % 10 == 0, False, False, False, False)),),
        )
        for n in range(50)
    ]
    with db.factory() as session:
        store(session, logs, [])
        week = progress_report(session, weeks=1, today=date(2026, 3, 18)).to_dict()["weeks"][0]
        session.rollback()
    assert week["sessions_walked"] == 50
    assert week["days_walked"] == 1
    assert week["walking_minutes"] == week["moderate_by_rpe_minutes"] == 500.0
    assert week["backward_minutes"] == 500.0
    assert week["energy_kcal"] == {"low": 400, "central": 500, "high": 600}
    assert week["sessions_without_energy"] == 0
    assert week["symptoms"]["reports"] == 50
    assert week["symptoms"]["dizziness"] == 5
    assert week["symptoms"]["max_pain"] == 1
    assert week["goal_met"] is True


def test_a_start_just_before_local_midnight_stays_on_its_day(db: Database) -> None:
    """A start 1 microsecond before local midnight stays on its day (no rounding of seconds)."""
    kathmandu = ZoneInfo("Asia/Kathmandu")
    just_before = datetime(2026, 3, 15, 18, 14, 59, 999_999, tzinfo=UTC)  # Sunday 23:59:59.999999
    logs = [
        Log(just_before, "completed", None, (("forward", 600, None),), None, ()),
        Log(
            just_before + timedelta(microseconds=1),
            "completed",
            None,
            (("forward", 1200, None),),
            None,
            (),
        ),
    ]
    with db.factory() as session:
        store(session, logs, [])
        data = progress_report(session, weeks=2, today=date(2026, 3, 18), tz=kathmandu).to_dict()
        session.rollback()
    assert [w["walking_minutes"] for w in data["weeks"]] == [10.0, 20.0]


def estimated(kcal: float, mets: float) -> dict[str, Any]:
    return {
        "energy_kcal": {"low": kcal - 2, "central": kcal, "high": kcal + 2},
        "mets": mets_range(mets),
    }


BLANK: dict[str, Any] = {"energy_kcal": None, "energy_net_kcal": None, "mets": None}
NO_SPEED: dict[str, Any] = {"energy_kcal": None, "mets": None, "reason": "no total"}


@pytest.mark.parametrize(
    ("energy", "segments", "by_mets", "unknown", "kcal"),
    [
        pytest.param(estimated(50, 3.5), [(600, None)], 10.0, 0.0, 50, id="session figures"),
        pytest.param(
            {"energy_kcal": estimated(50, 1)["energy_kcal"]},
            [(300, estimated(20, 2.5)), (300, estimated(30, 3.5))],
            10.0,  # (2.5 + 3.5) / 2 = 3.0 METs
            0.0,
            50,
            id="no session METs: the segments' mean",
        ),
        pytest.param(None, [(600, None)], 0.0, 10.0, None, id="no profile"),
        pytest.param(
            NO_SPEED, [(300, estimated(20, 4)), (300, BLANK)], 0.0, 10.0, None, id="no speed"
        ),
        pytest.param(
            NO_SPEED,
            [(300, estimated(20, 4)), (300, {**BLANK, "mets": mets_range(4)})],
            10.0,
            0.0,
            None,
            id="a segment with METs but no kcal",
        ),
        pytest.param(
            NO_SPEED,
            [(300, estimated(20, 4)), (300, estimated(30, 2))],
            10.0,
            0.0,
            50,
            id="every segment costed: their sums",
        ),
        pytest.param(
            {"energy_kcal": {"low": 0.0, "central": 0.0, "high": 0.0}},
            [],
            0.0,
            0.0,
            0,
            id="no segments",
        ),
        pytest.param(
            {"energy_kcal": estimated(50, 1)["energy_kcal"]},
            [(0, BLANK), (600, estimated(50, 3.5))],
            10.0,  # a segment of 0 s does not count toward the mean
            0.0,
            50,
            id="blank segment of 0 s",
        ),
        pytest.param(
            {"mets": mets_range(3.5)},
            [(0, BLANK), (600, estimated(50, 2))],
            10.0,
            0.0,
            None,  # the 0 s segment has no kcal, so the segments have no total
            id="no session kcal, blank segment of 0 s",
        ),
        pytest.param(
            {"energy_kcal": {"low": 60, "central": 50, "high": 70}, "mets": mets_range(2)},
            [(600, estimated(40, 5))],
            0.0,
            0.0,
            40,  # the stored range is not one: the segment's is used
            id="invalid session range",
        ),
        pytest.param(
            {"energy_kcal": {"low": 40, "central": 70, "high": 60}, "mets": mets_range(3.5)},
            [(600, estimated(40, 2))],
            10.0,
            0.0,
            40,
            id="session range with central above high",
        ),
        pytest.param(
            {"energy_kcal": {"low": -1, "central": 50, "high": 60}, "mets": mets_range(3.5)},
            [(600, estimated(40, 2))],
            10.0,
            0.0,
            40,
            id="session range below 0",
        ),
        pytest.param(
            {"energy_kcal": estimated(50, 1)["energy_kcal"], "mets": mets_range(0)},
            [(600, estimated(40, 5))],
            10.0,  # METs of 0 are none: the segment's 5 METs
            0.0,
            50,
            id="session METs of 0",
        ),
    ],
)
def test_energy_fallback(
    db: Database,
    energy: dict[str, Any] | None,
    segments: list[tuple[int, dict[str, Any] | None]],
    by_mets: float,
    unknown: float,
    kcal: float | None,
) -> None:
    """Each way a log's METs and kcal are found, by the database or by Python."""
    log = Log(
        datetime(2026, 3, 16, 9, 0, tzinfo=UTC),
        "completed",
        None,
        tuple(("forward", duration_s, e) for duration_s, e in segments),
        energy,
        (),
    )
    with db.factory() as session:
        store(session, [log], [])
        report = progress_report(session, weeks=1, today=date(2026, 3, 18)).to_dict()
        expected = per_log_report(session, weeks=1, today=date(2026, 3, 18), tz=UTC).to_dict()
        session.rollback()
    week = report["weeks"][0]
    assert week["moderate_by_mets_minutes"] == by_mets
    assert week["unknown_effort_minutes"] == unknown
    assert (week["energy_kcal"] and week["energy_kcal"]["central"]) == kcal
    assert week["sessions_without_energy"] == (kcal is None)
    del report["generated_at"], expected["generated_at"]
    assert report == expected
