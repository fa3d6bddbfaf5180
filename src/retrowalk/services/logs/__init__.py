"""Session logs: what a log is made of (:mod:`.inputs`), how it is stored (:mod:`.repository`),
the use cases the CLI and the web app call (:mod:`.usecases`) and how a log is shown
(:mod:`.views`)."""

from __future__ import annotations

from retrowalk.services.logs.inputs import (
    ID_PREFIX_MIN_CHARS,
    NOTES_MAX_CHARS,
    PAIN_LOCATION_MAX_CHARS,
    UNSET,
    LogInput,
    LogSource,
    RatingsInput,
    SegmentInput,
    SpecFields,
    check_log_input,
    check_moment,
    check_notes,
    check_ratings,
    segments_from_spec,
)
from retrowalk.services.logs.repository import resolve_planned_session_id
from retrowalk.services.logs.usecases import add_log, delete_log, edit_log, get_log, list_logs
from retrowalk.services.logs.views import (
    LogView,
    PlanChangeView,
    SegmentView,
    reported_symptoms,
    symptoms_text,
)

__all__ = [
    "ID_PREFIX_MIN_CHARS",
    "NOTES_MAX_CHARS",
    "PAIN_LOCATION_MAX_CHARS",
    "UNSET",
    "LogInput",
    "LogSource",
    "LogView",
    "PlanChangeView",
    "RatingsInput",
    "SegmentInput",
    "SegmentView",
    "SpecFields",
    "add_log",
    "check_log_input",
    "check_moment",
    "check_notes",
    "check_ratings",
    "delete_log",
    "edit_log",
    "get_log",
    "list_logs",
    "reported_symptoms",
    "resolve_planned_session_id",
    "segments_from_spec",
    "symptoms_text",
]
