"""Pure progress summaries: weeks, effort, adherence, energy, symptoms and streaks."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.energy import Range
from retrowalk.errors import InvalidInputError
from retrowalk.plans.rules import EFFORT_BANDS, WEEKLY_GOAL_MINUTES, EffortBand
from retrowalk.progress import (
    GOAL_MINUTES,
    MODERATE_METS_MIN,
    EffortBasis,
    PlannedEntry,
    SymptomEntry,
    WalkedSession,
    build_report,
    effort_from_rpe,
    goal_week_streaks,
    planned_session_streaks,
    summarise_week,
    summarise_weeks,
    week_start,
)
from retrowalk.services.logfacts import energy_range, mets_central
from retrowalk.vocabulary import RpeScale

TODAY = date(2026, 3, 18)  # a Wednesday
MONDAY = date(2026, 3, 16)
GENERATED = datetime(2026, 3, 18, 12, tzinfo=UTC)


def walked(
    day: date,
    minutes: float,
    *,
    backward: float = 0.0,
    effort: EffortBand = EffortBand.UNKNOWN,
    mets: float | None = None,
    kcal: Range | None = None,
) -> WalkedSession:
    return WalkedSession(day, minutes * 60, backward * 60, effort, mets, kcal)


# -- building blocks -------------------------------------------------------------------------


def test_goal_is_the_plans_weekly_goal() -> None:
    assert GOAL_MINUTES == WEEKLY_GOAL_MINUTES == 150
    assert MODERATE_METS_MIN == 3.0


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 3, 16), date(2026, 3, 16)),
        (date(2026, 3, 22), date(2026, 3, 16)),
        (date(2026, 3, 23), date(2026, 3, 23)),
        (date(2026, 1, 1), date(2025, 12, 29)),
    ],
)
def test_week_start_is_the_monday(day: date, monday: date) -> None:
    assert week_start(day) == monday


@pytest.mark.parametrize(
    ("rpe", "scale", "band"),
    [
        (11, "borg6_20", EffortBand.LIGHT),
        (12, "borg6_20", EffortBand.MODERATE),
        (13, "borg6_20", EffortBand.MODERATE),
        (14, "borg6_20", EffortBand.HIGH),
        (20, "borg6_20", EffortBand.HIGH),
        (2.5, "cr10", EffortBand.LIGHT),
        (3, "cr10", EffortBand.MODERATE),
        (4, "cr10", EffortBand.MODERATE),
        (7, "cr10", EffortBand.HIGH),
        (None, "borg6_20", EffortBand.UNKNOWN),
        (13, None, EffortBand.UNKNOWN),
        (13, "percent", EffortBand.UNKNOWN),
        (25, "borg6_20", EffortBand.UNKNOWN),
        (11, "cr10", EffortBand.UNKNOWN),
        (math.nan, "cr10", EffortBand.UNKNOWN),
    ],
)
def test_effort_from_rpe_uses_the_plan_bands(
    rpe: float | None, scale: str | None, band: EffortBand
) -> None:
    assert effort_from_rpe(rpe, scale) is band


def test_effort_band_edges_come_from_the_plan_constants() -> None:
    borg_low, borg_high = EFFORT_BANDS[RpeScale.BORG_6_20]
    cr10_low, _ = EFFORT_BANDS[RpeScale.CR10]
    assert effort_from_rpe(borg_low, "borg6_20") is EffortBand.MODERATE
    assert effort_from_rpe(borg_low - 1, "borg6_20") is EffortBand.LIGHT
    assert effort_from_rpe(borg_high + 1, "borg6_20") is EffortBand.HIGH
    assert effort_from_rpe(cr10_low, "cr10") is EffortBand.MODERATE


@pytest.mark.parametrize(
    ("effort", "mets", "counted", "basis"),
    [
        (EffortBand.MODERATE, None, True, EffortBasis.RPE),
        (EffortBand.HIGH, 2.0, True, EffortBasis.RPE),
        (EffortBand.LIGHT, 5.0, False, EffortBasis.RPE),  # the person's own rating wins
        (EffortBand.UNKNOWN, 3.0, True, EffortBasis.METS),
        (EffortBand.UNKNOWN, 2.99, False, EffortBasis.METS),
        (EffortBand.UNKNOWN, None, None, EffortBasis.UNKNOWN),
    ],
)
def test_what_counts_as_moderate(
    effort: EffortBand, mets: float | None, counted: bool | None, basis: EffortBasis
) -> None:
    session = walked(TODAY, 10, effort=effort, mets=mets)
    assert session.moderate_or_more is counted
    assert session.effort_basis is basis


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"walking_s": -1.0}, "walking_s"),
        ({"walking_s": math.inf}, "walking_s"),
        ({"walking_s": 60.0, "backward_s": 61.0}, "backward_s"),
        ({"walking_s": 60.0, "backward_s": -1.0}, "backward_s"),
        ({"walking_s": 60.0, "mets_central": 0.0}, "mets_central"),
    ],
)
def test_walked_session_refuses_impossible_values(kwargs: dict[str, float], field: str) -> None:
    values: dict[str, float] = {"backward_s": 0.0} | kwargs
    with pytest.raises(InvalidInputError, match=field):
        WalkedSession(TODAY, **values)  # type: ignore[arg-type]


# -- stored energy JSON ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"energy_kcal": {"low": 40, "central": 50, "high": 60}}, Range(40, 50, 60)),
        ({"energy_kcal": None, "reason": "no speed"}, None),
        ({"energy_kcal": {"low": 60, "central": 50, "high": 40}}, None),
        ({"energy_kcal": {"low": -1, "central": 50, "high": 60}}, None),
        ({"energy_kcal": {"low": True, "central": 50, "high": 60}}, None),
        ({"energy_kcal": {"central": 50}}, None),
        ({"kcal": {"low": 1, "central": 2, "high": 3}}, Range(1, 2, 3)),
        ({"warnings": []}, None),
        (None, None),
    ],
)
def test_energy_range_reads_only_complete_ranges(
    document: dict[str, object] | None, expected: Range | None
) -> None:
    assert energy_range(document) == expected


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"mets": {"low": 2.5, "central": 3.2, "high": 4.0}}, 3.2),
        ({"mets": None}, None),
        ({"mets": {"central": -1}}, None),
        ({"mets_central": 4}, 4.0),
        ({}, None),
        (None, None),
    ],
)
def test_mets_central(document: dict[str, object] | None, expected: float | None) -> None:
    assert mets_central(document) == expected


# -- one week ---------------------------------------------------------------------------------


def test_a_week_in_detail() -> None:
    sessions = [
        walked(MONDAY, 20, backward=8, effort=EffortBand.MODERATE, kcal=Range(80, 100, 120)),
        walked(MONDAY, 10, backward=5, effort=EffortBand.LIGHT, kcal=Range(30, 40, 50)),
        walked(MONDAY + timedelta(days=1), 15, backward=6, mets=3.4),
        walked(MONDAY + timedelta(days=2), 5, backward=5),  # no RPE, no METs
        walked(MONDAY - timedelta(days=1), 99, effort=EffortBand.HIGH),  # previous week
    ]
    planned = [
        PlannedEntry(MONDAY, done=True),
        PlannedEntry(MONDAY + timedelta(days=2), done=False),
        PlannedEntry(MONDAY + timedelta(days=4), done=False),  # Friday: not due yet
    ]
    symptoms = [
        SymptomEntry(MONDAY, pain_0_10=3, pain_location="right knee"),
        SymptomEntry(MONDAY + timedelta(days=1), pain_0_10=5, pain_location="lower back"),
        SymptomEntry(MONDAY + timedelta(days=2), dizziness=True, near_fall=True),
        SymptomEntry(MONDAY - timedelta(days=1), fall=True),  # previous week
    ]
    week = summarise_week(MONDAY, sessions, planned, symptoms, today=TODAY)
    assert week.walking_s == 50 * 60
    assert week.moderate_by_rpe_s == 20 * 60
    assert week.moderate_by_mets_s == 15 * 60
    assert week.moderate_or_more_s == 35 * 60
    assert week.light_s == 10 * 60
    assert week.unknown_effort_s == 5 * 60
    assert week.backward_s == 24 * 60
    assert (week.sessions_walked, week.days_walked) == (4, 3)
    assert (week.sessions_done, week.sessions_planned, week.sessions_upcoming) == (1, 2, 1)
    assert week.adherence == 0.5
    assert week.energy_kcal == Range(110, 140, 170)
    assert week.sessions_without_energy == 2
    assert not week.complete
    assert not week.goal_met
    s = week.symptoms
    assert (s.entries, s.max_pain, s.dizziness, s.near_falls, s.falls) == (3, 5, 1, 1, 0)
    assert s.pain_locations == ("lower back", "right knee")
    data = week.to_dict()
    assert data["walking_minutes"] == 50.0
    assert data["moderate_or_more_minutes"] == 35.0
    assert data["unknown_effort_minutes"] == 5.0
    assert data["goal_minutes"] == 150
    assert data["adherence"] == 0.5
    assert data["energy_kcal"] == {"low": 110, "central": 140, "high": 170}
    assert data["symptoms"]["max_pain"] == 5


def test_an_empty_week_has_no_adherence_and_no_energy() -> None:
    week = summarise_week(MONDAY, [], [], [], today=TODAY)
    assert week.adherence is None
    assert week.energy_kcal is None
    assert week.to_dict()["energy_kcal"] is None
    assert week.to_dict()["adherence"] is None
    assert week.symptoms.max_pain is None


def test_a_week_without_any_energy_estimate_has_none_not_zero() -> None:
    week = summarise_week(
        MONDAY, [walked(MONDAY, 30, effort=EffortBand.MODERATE)], [], [], today=TODAY
    )
    assert week.energy_kcal is None
    assert week.sessions_without_energy == 1


def test_goal_met_at_exactly_150_moderate_minutes() -> None:
    sessions = [
        walked(MONDAY + timedelta(days=i), 30, effort=EffortBand.MODERATE) for i in range(5)
    ]
    week = summarise_week(MONDAY, sessions, [], [], today=MONDAY + timedelta(days=7))
    assert week.complete
    assert week.goal_met
    assert week.to_dict()["goal_met"] is True


def test_unknown_effort_never_reaches_the_goal() -> None:
    sessions = [walked(MONDAY + timedelta(days=i), 60) for i in range(7)]
    week = summarise_week(MONDAY, sessions, [], [], today=MONDAY + timedelta(days=7))
    assert week.moderate_or_more_s == 0
    assert week.unknown_effort_s == 420 * 60
    assert not week.goal_met


def test_week_must_start_on_monday() -> None:
    with pytest.raises(InvalidInputError, match="start"):
        summarise_week(TODAY, [], [], [], today=TODAY)


@pytest.mark.parametrize("weeks", [0, -1, 105])
def test_weeks_out_of_range(weeks: int) -> None:
    with pytest.raises(InvalidInputError, match="weeks"):
        summarise_weeks([], [], [], today=TODAY, weeks=weeks)


def test_sessions_after_the_report_day_are_not_counted() -> None:
    sessions = [walked(TODAY, 10), walked(TODAY + timedelta(days=1), 20)]
    symptoms = [SymptomEntry(TODAY + timedelta(days=1), fall=True)]
    week = summarise_week(MONDAY, sessions, [], symptoms, today=TODAY)
    assert week.walking_s == 600
    assert week.symptoms.falls == 0


def test_weeks_are_consecutive_mondays_ending_with_this_week() -> None:
    weeks = summarise_weeks([], [], [], today=TODAY, weeks=3)
    assert [w.week_start for w in weeks] == [date(2026, 3, 2), date(2026, 3, 9), MONDAY]
    assert [w.complete for w in weeks] == [True, True, False]


# -- streaks ----------------------------------------------------------------------------------


def test_planned_session_streaks() -> None:
    days = [MONDAY - timedelta(days=n) for n in range(10, 0, -1)]
    done = [True, True, True, False, True, True, True, True, False, True]
    planned = [PlannedEntry(d, f) for d, f in zip(days, done, strict=True)]
    assert planned_session_streaks(planned, today=TODAY) == (1, 4)


def test_todays_session_does_not_break_the_streak_until_the_day_is_over() -> None:
    planned = [PlannedEntry(TODAY - timedelta(days=2), True), PlannedEntry(TODAY, False)]
    assert planned_session_streaks(planned, today=TODAY) == (1, 1)
    assert planned_session_streaks(planned, today=TODAY + timedelta(days=1)) == (0, 1)
    planned_done = [PlannedEntry(TODAY - timedelta(days=2), True), PlannedEntry(TODAY, True)]
    assert planned_session_streaks(planned_done, today=TODAY) == (2, 2)


def test_goal_week_streaks() -> None:
    def week_of(monday: date, minutes: float) -> list[WalkedSession]:
        return [walked(monday, minutes, effort=EffortBand.MODERATE)]

    mondays = [MONDAY - timedelta(weeks=n) for n in range(5, 0, -1)]
    minutes = [150, 160, 10, 150, 200]
    sessions = [s for m, n in zip(mondays, minutes, strict=True) for s in week_of(m, n)]
    # This week (in progress) has not met the goal yet: the run ends with last week.
    assert goal_week_streaks(sessions, today=TODAY) == (2, 2)
    # Once this week meets the goal it extends the run.
    more = [*sessions, *week_of(MONDAY, 150)]
    assert goal_week_streaks(more, today=TODAY) == (3, 3)
    # A missed complete week resets it.
    assert goal_week_streaks(sessions, today=TODAY + timedelta(weeks=1)) == (0, 2)
    assert goal_week_streaks([], today=TODAY) == (0, 0)


def test_report_dict_shape() -> None:
    sessions = [walked(MONDAY, 30, backward=10, effort=EffortBand.MODERATE, kcal=Range(1, 2, 3))]
    report = build_report(
        sessions,
        [PlannedEntry(MONDAY, True)],
        [],
        [],
        today=TODAY,
        weeks=2,
        generated_at=GENERATED,
        time_zone="Europe/Paris",
    )
    data = report.to_dict()
    assert set(data) >= {
        "generated_at",
        "as_of",
        "time_zone",
        "goal_minutes",
        "weeks",
        "balance_tests",
        "streaks",
        "notes",
        "retrowalk_version",
    }
    assert data["generated_at"] == GENERATED.isoformat()
    assert data["time_zone"] == "Europe/Paris"
    assert len(data["weeks"]) == 2
    assert set(data["weeks"][0]) >= {
        "week_start",
        "walking_minutes",
        "moderate_or_more_minutes",
        "unknown_effort_minutes",
        "goal_minutes",
        "backward_minutes",
        "sessions_done",
        "sessions_planned",
        "adherence",
        "energy_kcal",
        "symptoms",
    }
    assert data["streaks"] == {
        "planned_sessions": {"current": 1, "longest": 1},
        "goal_weeks": {"current": 0, "longest": 0},
    }
    assert any("not a statistical interval" in n for n in data["notes"])
    assert any("still in progress" in n for n in data["notes"])


# -- properties -------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 4, 30))
EFFORTS = st.sampled_from(list(EffortBand))
METS = st.none() | st.floats(min_value=1.0, max_value=12.0)
RANGES = st.none() | st.tuples(st.floats(0, 500), st.floats(0, 500), st.floats(0, 500)).map(
    lambda t: Range(*sorted(t))
)


@st.composite
def walked_sessions(draw: st.DrawFn) -> WalkedSession:
    total_s = draw(st.floats(min_value=0, max_value=4 * 3600))
    backward_s = draw(st.floats(min_value=0, max_value=1)) * total_s
    return WalkedSession(draw(DAYS), total_s, backward_s, draw(EFFORTS), draw(METS), draw(RANGES))


SESSIONS = st.lists(walked_sessions(), max_size=30)
PLANNED = st.lists(st.builds(PlannedEntry, DAYS, st.booleans()), max_size=30)
WEEKS = st.integers(min_value=1, max_value=20)


@settings(max_examples=150, deadline=None)
@given(SESSIONS, DAYS, WEEKS)
def test_minutes_add_up_across_weeks(
    sessions: list[WalkedSession], today: date, weeks: int
) -> None:
    summaries = summarise_weeks(sessions, [], [], today=today, weeks=weeks)
    first = summaries[0].week_start
    end = summaries[-1].week_start + timedelta(days=7)
    inside = [s for s in sessions if first <= s.day < end and s.day <= today]
    assert math.isclose(
        sum(w.walking_s for w in summaries), sum(s.walking_s for s in inside), abs_tol=1e-6
    )
    assert math.isclose(
        sum(w.backward_s for w in summaries), sum(s.backward_s for s in inside), abs_tol=1e-6
    )
    assert sum(w.sessions_walked for w in summaries) == len(inside)


@settings(max_examples=150, deadline=None)
@given(SESSIONS, DAYS, WEEKS)
def test_effort_split_is_a_partition_and_moderate_never_exceeds_walking(
    sessions: list[WalkedSession], today: date, weeks: int
) -> None:
    for week in summarise_weeks(sessions, [], [], today=today, weeks=weeks):
        parts = week.moderate_or_more_s + week.light_s + week.unknown_effort_s
        assert math.isclose(parts, week.walking_s, abs_tol=1e-6)
        assert week.moderate_or_more_s <= week.walking_s + 1e-6
        assert week.backward_s <= week.walking_s + 1e-6
        data = week.to_dict()
        assert data["moderate_or_more_minutes"] <= data["walking_minutes"] + 0.1


@settings(max_examples=150, deadline=None)
@given(SESSIONS, DAYS)
def test_unknown_effort_is_never_counted_as_moderate(
    sessions: list[WalkedSession], today: date
) -> None:
    unknown = [
        WalkedSession(s.day, s.walking_s, s.backward_s, EffortBand.UNKNOWN, None, s.energy_kcal)
        for s in sessions
    ]
    for week in summarise_weeks(unknown, [], [], today=today, weeks=20):
        assert week.moderate_or_more_s == 0
        assert week.light_s == 0
        assert math.isclose(week.unknown_effort_s, week.walking_s)
        assert not week.goal_met or week.goal_minutes == 0


@settings(max_examples=150, deadline=None)
@given(PLANNED, DAYS, WEEKS)
def test_adherence_is_between_0_and_1(planned: list[PlannedEntry], today: date, weeks: int) -> None:
    for week in summarise_weeks([], planned, [], today=today, weeks=weeks):
        assert 0 <= week.sessions_done <= week.sessions_planned
        if week.sessions_planned == 0:
            assert week.adherence is None
        else:
            assert week.adherence is not None
            assert 0.0 <= week.adherence <= 1.0
    current, longest = planned_session_streaks(planned, today=today)
    assert 0 <= current <= longest <= len(planned)


@settings(max_examples=150, deadline=None)
@given(SESSIONS, walked_sessions(), st.integers(0, 6))
def test_energy_sums_are_ordered_and_monotone(
    sessions: list[WalkedSession], extra: WalkedSession, days_later: int
) -> None:
    monday = week_start(extra.day)
    today = extra.day + timedelta(days=days_later)
    before = summarise_week(monday, sessions, [], [], today=today)
    after = summarise_week(monday, [*sessions, extra], [], [], today=today)
    for week in (before, after):
        if week.energy_kcal is not None:
            e = week.energy_kcal
            assert e.low <= e.central + 1e-9 <= e.high + 2e-9
    if before.energy_kcal is not None:
        assert after.energy_kcal is not None
        for end in ("low", "central", "high"):
            assert getattr(after.energy_kcal, end) >= getattr(before.energy_kcal, end) - 1e-9
    if extra.energy_kcal is None:
        assert after.energy_kcal == before.energy_kcal
        assert after.sessions_without_energy == before.sessions_without_energy + 1


@settings(max_examples=100, deadline=None)
@given(SESSIONS, DAYS)
def test_goal_week_streaks_are_consistent(sessions: list[WalkedSession], today: date) -> None:
    current, longest = goal_week_streaks(sessions, today=today)
    assert 0 <= current <= longest
