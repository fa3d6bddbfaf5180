"""Grouped sessions and symptom entries (``count`` above 1) summarise like that many singles."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.energy import Range
from retrowalk.errors import InvalidInputError
from retrowalk.plans.rules import EffortBand
from retrowalk.services.progress import (
    SymptomEntry,
    WalkedSession,
    goal_week_streaks,
    summarise_weeks,
)

TODAY = date(2026, 3, 18)
DAYS = st.dates(min_value=date(2026, 1, 5), max_value=date(2026, 3, 22))
# Whole minutes and whole kcal: sums are exact in any order.
SESSIONS = st.lists(
    st.builds(
        lambda day, minutes, back, effort, mets, kcal: WalkedSession(
            day,
            minutes * 60.0,
            min(back, minutes) * 60.0,
            effort,
            mets,
            None if kcal is None else Range(kcal, kcal + 5, kcal + 9),
        ),
        DAYS,
        st.integers(0, 90),
        st.integers(0, 90),
        st.sampled_from(list(EffortBand)),
        st.sampled_from([None, 2.5, 3.0, 4.0]),
        st.none() | st.integers(0, 300).map(float),
    ),
    max_size=40,
)
ENTRIES = st.lists(
    st.builds(
        SymptomEntry,
        DAYS,
        st.none() | st.integers(0, 10),
        st.sampled_from([None, "knee", "back"]),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    max_size=30,
)


def grouped_sessions(sessions: list[WalkedSession]) -> list[WalkedSession]:
    groups: dict[tuple[object, ...], list[WalkedSession]] = defaultdict(list)
    for s in sessions:
        groups[(s.day, s.rpe_effort, s.mets_central, s.energy_kcal is None)].append(s)
    out = []
    for (day, effort, mets, _), members in groups.items():
        kcal = [m.energy_kcal for m in members if m.energy_kcal is not None]
        out.append(
            WalkedSession(
                day,
                sum(m.walking_s for m in members),
                sum(m.backward_s for m in members),
                effort,
                mets,
                Range(*(sum(getattr(k, end) for k in kcal) for end in ("low", "central", "high")))
                if kcal
                else None,
                count=len(members),
            )
        )
    return out


def grouped_entries(entries: list[SymptomEntry]) -> list[SymptomEntry]:
    counts: dict[SymptomEntry, int] = defaultdict(int)
    for e in entries:
        counts[e] += 1
    return [
        SymptomEntry(
            e.day,
            e.pain_0_10,
            e.pain_location,
            e.dizziness,
            e.near_fall,
            e.fall,
            e.chest_pain,
            e.fainting,
            e.stopped_for_pain,
            count=n,
        )
        for e, n in counts.items()
    ]


@settings(max_examples=100, deadline=None)
@given(SESSIONS, ENTRIES, DAYS, st.integers(1, 12))
def test_groups_summarise_like_their_sessions(
    sessions: list[WalkedSession], entries: list[SymptomEntry], today: date, weeks: int
) -> None:
    singles = summarise_weeks(sessions, [], entries, today=today, weeks=weeks)
    groups = summarise_weeks(
        grouped_sessions(sessions), [], grouped_entries(entries), today=today, weeks=weeks
    )
    assert [w.to_dict() for w in groups] == [w.to_dict() for w in singles]
    assert goal_week_streaks(grouped_sessions(sessions), today=today) == goal_week_streaks(
        sessions, today=today
    )


def test_a_group_counts_its_sessions_and_reports() -> None:
    monday = TODAY - timedelta(days=2)
    week = summarise_weeks(
        [WalkedSession(monday, 1800.0, 600.0, EffortBand.MODERATE, None, None, count=3)],
        [],
        [SymptomEntry(monday, pain_0_10=2, fall=True, count=4)],
        today=TODAY,
        weeks=1,
    )[0]
    assert (week.sessions_walked, week.days_walked, week.sessions_without_energy) == (3, 1, 3)
    assert (week.symptoms.entries, week.symptoms.falls, week.symptoms.max_pain) == (4, 4, 2)


@pytest.mark.parametrize("count", [0, -1])
def test_a_group_has_at_least_one_member(count: int) -> None:
    with pytest.raises(InvalidInputError, match="count"):
        WalkedSession(TODAY, 60.0, 0.0, count=count)
    with pytest.raises(InvalidInputError, match="count"):
        SymptomEntry(TODAY, count=count)
