"""Hypothesis strategies for whole, consistent data sets (rows per table, parents first)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
SHORT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=10
)
FLOAT = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
POSITIVE = st.floats(min_value=0.5, max_value=3600, allow_nan=False)
JSON_SCALAR = st.none() | st.booleans() | st.integers(-(10**9), 10**9) | FLOAT | TEXT
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SHORT, inner, max_size=3),
    max_leaves=8,
)
JSON_OBJECT = st.dictionaries(SHORT, JSON_VALUE, max_size=4)
ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-7, minutes=-30))]
)


@st.composite
def aware_datetimes(draw: st.DrawFn, max_value: datetime = datetime(2100, 1, 1)) -> datetime:  # noqa: DTZ001
    naive = draw(st.datetimes(min_value=datetime(2000, 1, 2), max_value=max_value))  # noqa: DTZ001
    return naive.replace(tzinfo=UTC).astimezone(draw(ZONES))


#: Session logs are walked in the past (import applies the log checks of the API).
PAST = datetime(2025, 1, 1)  # noqa: DTZ001


def ids() -> st.SearchStrategy[str]:
    return st.uuids().map(str)


@st.composite
def motion_blobs(draw: st.DrawFn) -> bytes:
    """A small valid stored recording (retrowalk.motion.storage)."""
    import numpy as np

    from retrowalk.motion.recording import make_recording
    from retrowalk.motion.storage import encode

    n = draw(st.integers(2, 40))
    acc = draw(st.lists(st.floats(-80, 80), min_size=3 * n, max_size=3 * n))
    return encode(
        make_recording(np.arange(n) / 100.0, np.asarray(acc).reshape(n, 3), sampling_rate_hz=100.0)
    )


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """A small, referentially consistent data set covering every table."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
    maybe_dt = st.none() | aware_datetimes()
    for _ in range(draw(st.integers(1, 2))):
        profile_id = str(uuid.uuid4())
        out["profiles"].append(
            {
                "id": profile_id,
                "created_at": draw(aware_datetimes()),
                "updated_at": draw(aware_datetimes()),
                "schema_version": 1,
                "data": draw(JSON_OBJECT),
            }
        )
        screening_id = str(uuid.uuid4())
        out["screening_results"].append(
            {
                "id": screening_id,
                "profile_id": profile_id,
                "created_at": draw(aware_datetimes()),
                "clearance": draw(
                    st.sampled_from(["go", "go_with_support", "see_professional_first"])
                ),
                "reasons": draw(st.lists(JSON_OBJECT, max_size=2)),
                "answers": draw(JSON_OBJECT),
                "rules_version": draw(SHORT),
                "acknowledged_at": draw(maybe_dt),
                "acknowledgement_text": draw(st.none() | TEXT),
            }
        )
        plan_id = str(uuid.uuid4())
        out["plans"].append(
            {
                "id": plan_id,
                "profile_id": profile_id,
                "screening_id": draw(st.sampled_from([None, screening_id])),
                "created_at": draw(aware_datetimes()),
                "status": draw(st.sampled_from(["active", "superseded", "stopped"])),
                "start_on": draw(st.dates(date(2020, 1, 1), date(2040, 1, 1))),
                "weeks": draw(st.integers(1, 26)),
                "acknowledged_risk": draw(st.booleans()),
                "rules_version": draw(SHORT),
                "state": draw(JSON_OBJECT),
                "document": draw(JSON_OBJECT),
            }
        )
        planned_ids = []
        for position in range(draw(st.integers(0, 2))):
            planned_id = str(uuid.uuid4())
            planned_ids.append(planned_id)
            out["planned_sessions"].append(
                {
                    "id": planned_id,
                    "plan_id": plan_id,
                    "position": position,
                    "week": 1,
                    "day": position + 1,
                    "scheduled_on": draw(st.dates(date(2020, 1, 1), date(2040, 1, 1))),
                    "title": draw(TEXT),
                    "rationale": draw(TEXT),
                    "status": draw(st.sampled_from(["planned", "done", "skipped"])),
                }
            )
            for seg in range(draw(st.integers(0, 2))):
                out["planned_segments"].append(
                    {
                        "id": str(uuid.uuid4()),
                        "planned_session_id": planned_id,
                        "position": seg,
                        "kind": "backward_interval",
                        "direction": draw(st.sampled_from(["forward", "backward"])),
                        "duration_s": draw(POSITIVE),
                        "environment": "treadmill",
                        "support": "treadmill_rails",
                        "speed_target_m_s": draw(st.none() | POSITIVE),
                        "speed_limit_m_s": draw(st.none() | POSITIVE),
                        "grade_pct": draw(FLOAT),
                        "cues": draw(st.lists(TEXT, max_size=2)),
                    }
                )
        starts = draw(
            st.lists(aware_datetimes(PAST), max_size=3, unique_by=lambda d: d.astimezone(UTC))
        )
        for started_at in starts:
            log_id = str(uuid.uuid4())
            status = draw(st.sampled_from(["in_progress", "completed", "stopped", "abandoned"]))
            out["session_logs"].append(
                {
                    "id": log_id,
                    "profile_id": profile_id,
                    "planned_session_id": draw(st.sampled_from([None, *planned_ids])),
                    "source": draw(st.sampled_from(["guided", "quick", "manual"])),
                    "status": status,
                    "started_at": started_at,
                    "ended_at": draw(st.none() | st.just(started_at + timedelta(hours=1))),
                    "stop_reason": draw(st.none() | st.just("pain"))
                    if status == "stopped"
                    else None,
                    "notes": draw(TEXT),
                    "energy": draw(st.none() | JSON_OBJECT),
                    "checkpoint": draw(st.none() | JSON_OBJECT),
                    "checkpoint_at": draw(maybe_dt),
                    "created_at": draw(aware_datetimes()),
                    "updated_at": draw(aware_datetimes()),
                }
            )
            for seg in range(draw(st.integers(1 if status == "completed" else 0, 2))):
                out["session_segments"].append(
                    {
                        "id": str(uuid.uuid4()),
                        "session_log_id": log_id,
                        "position": seg,
                        "kind": draw(st.none() | st.just("forward")),
                        "direction": draw(st.sampled_from(["forward", "backward"])),
                        "duration_s": draw(POSITIVE),
                        "speed_m_s": draw(st.none() | st.floats(0.1, 3.5)),
                        "grade_pct": draw(st.floats(-40, 45)),
                        "environment": "hallway",
                        "support": "wall_or_rail",
                        "completed": draw(st.booleans()),
                        "energy": draw(st.none() | JSON_OBJECT),
                    }
                )
            if draw(st.booleans()):
                out["symptom_reports"].append(
                    {
                        "id": str(uuid.uuid4()),
                        "session_log_id": log_id,
                        "recorded_at": draw(aware_datetimes()),
                        "rpe": draw(st.none() | st.integers(6, 10).map(float)),
                        "rpe_scale": draw(st.sampled_from([None, "borg6_20", "cr10"])),
                        "pain_0_10": draw(st.none() | st.integers(0, 10)),
                        "pain_location": draw(st.none() | SHORT),
                        "dizziness": draw(st.booleans()),
                        "near_fall": draw(st.booleans()),
                        "fall": draw(st.booleans()),
                        "chest_pain": draw(st.booleans()),
                        "fainting": draw(st.booleans()),
                        "notes": draw(TEXT),
                    }
                )
            if draw(st.booleans()):
                out["activity_imports"].append(
                    {
                        "id": str(uuid.uuid4()),
                        "session_log_id": log_id,
                        "file_sha256": uuid.uuid4().hex * 2,
                        "position": draw(st.integers(0, 3)),
                        "file_name": draw(SHORT),
                        "file_format": draw(st.sampled_from(["fit", "gpx", "tcx"])),
                        "sport": draw(st.none() | SHORT),
                        "device": draw(st.none() | SHORT),
                        "device_energy_kcal": draw(st.none() | POSITIVE),
                        "device_energy_kind": draw(st.sampled_from([None, "total", "active"])),
                        "laps": draw(st.lists(JSON_OBJECT, max_size=2)),
                        "imported_at": draw(aware_datetimes()),
                    }
                )
            if draw(st.booleans()):
                out["motion_recordings"].append(
                    {
                        "id": str(uuid.uuid4()),
                        "session_log_id": log_id,
                        "created_at": draw(aware_datetimes()),
                        "started_at": draw(aware_datetimes()),
                        "duration_s": draw(POSITIVE),
                        "samples": draw(st.integers(2, 50)),
                        "sampling_rate_hz": 100.0,
                        "has_gyro": draw(st.booleans()),
                        "source": draw(SHORT),
                        "data": draw(motion_blobs()),
                        "analysis": draw(st.none() | JSON_OBJECT),
                    }
                )
            out["plan_changes"].append(
                {
                    "id": str(uuid.uuid4()),
                    "plan_id": plan_id,
                    "session_log_id": log_id,
                    "created_at": draw(aware_datetimes()),
                    "action": draw(st.sampled_from(["progress", "hold", "regress", "stop"])),
                    "rule_id": draw(SHORT),
                    "reason": draw(TEXT),
                    "source": draw(TEXT),
                    "details": draw(JSON_OBJECT),
                }
            )
        out["assessment_results"].append(
            {
                "id": str(uuid.uuid4()),
                "profile_id": profile_id,
                "kind": "3mbwt",
                "protocol": draw(SHORT),
                "values": draw(JSON_OBJECT),
                "performed_at": draw(aware_datetimes()),
                "created_at": draw(aware_datetimes()),
                "notes": draw(TEXT),
            }
        )
    for key in draw(st.lists(SHORT.filter(bool), max_size=2, unique=True)):
        out["settings"].append(
            {"key": key, "value": draw(JSON_OBJECT), "updated_at": draw(aware_datetimes())}
        )
    return out


_TABLES = (
    "profiles",
    "screening_results",
    "plans",
    "planned_sessions",
    "planned_segments",
    "session_logs",
    "session_segments",
    "symptom_reports",
    "activity_imports",
    "motion_recordings",
    "plan_changes",
    "assessment_results",
    "settings",
)
