"""Progress: ``/api/progress`` and the Progress page, both from one report cache."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Annotated, Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from retrowalk.errors import InvalidInputError
from retrowalk.progress import WEEKS_MAX, WEEKS_MIN
from retrowalk.services.progress import progress_report, steadiness_report
from retrowalk.timeutil import utcnow
from retrowalk.web import charts
from retrowalk.web.deps import SessionDep
from retrowalk.web.html import render
from retrowalk.web.schemas import ERROR_RESPONSES, ProgressPublic
from retrowalk.web.views import check_date, local_today

router = APIRouter(prefix="/api/progress", tags=["progress"])
pages = APIRouter(include_in_schema=False)

#: Weeks the Progress page shows (and the API's default).
PAGE_WEEKS: Final = 8
#: Reports kept by :func:`cached_report` before the cache starts again.
REPORT_CACHE_SIZE: Final = 16


def local_zone() -> tzinfo:
    """The computer's local time zone (weeks are local calendar weeks)."""
    zone = utcnow().astimezone().tzinfo
    assert zone is not None  # astimezone() always sets one
    return zone


def cached_report(
    request: Request, session: Session, *, weeks: int, on: date, tz: tzinfo | None = None
) -> dict[str, Any]:
    """The progress report, kept while the database is unchanged.

    The key holds the database's change counter
    (:meth:`~retrowalk.services.database.Database.data_version`), read before the report's
    queries: any commit, by any connection or process, makes a new key. Without a change
    counter (PostgreSQL) nothing is kept. The report returned must not be changed. ``tz``: the
    zone of the calendar weeks (default: the computer's).
    """
    zone = local_zone() if tz is None else tz
    version = request.app.state.db.data_version()
    key = (version, weeks, on, zone)
    reports: dict[Any, dict[str, Any]] = request.app.state.progress_reports
    report = reports.get(key)
    if report is None:
        report = progress_report(session, weeks=weeks, today=on, tz=zone).to_dict()
        if version is not None:
            if len(reports) >= REPORT_CACHE_SIZE:
                reports.clear()
            reports[key] = report
    return report


def time_zone(name: str | None) -> tzinfo:
    """The IANA time zone ``name`` (e.g. ``Europe/Paris``), or the computer's when ``None``.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        Naming ``tz`` when there is no such zone.
    """
    if name is None:
        return local_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInputError("tz", name, "an IANA time zone name, e.g. Europe/Paris") from None


@router.get("", response_model=ProgressPublic, responses=ERROR_RESPONSES)
def read_progress(
    request: Request,
    session: SessionDep,
    weeks: Annotated[int, Query(ge=WEEKS_MIN, le=WEEKS_MAX)] = PAGE_WEEKS,
    on: date | None = None,
    tz: Annotated[
        str | None,
        Query(
            max_length=64,
            description="IANA time zone of the calendar weeks (default: the computer's).",
        ),
    ] = None,
) -> dict[str, Any]:
    """The progress report of the ``weeks`` calendar weeks ending with the week of ``on``."""
    zone = time_zone(tz)
    today = check_date(on, "on") if on is not None else utcnow().astimezone(zone).date()
    return cached_report(request, session, weeks=weeks, on=today, tz=zone)


@pages.get("/progress")
def progress_page(request: Request, session: SessionDep) -> HTMLResponse:
    """Charts: weekly minutes against the goal, backward minutes, energy, 3MBWT trend."""
    today = local_today()
    report = cached_report(request, session, weeks=PAGE_WEEKS, on=today)
    steadiness = steadiness_report(session, weeks=PAGE_WEEKS, today=today, tz=local_zone())
    return render(
        request,
        "progress.html",
        report=report,
        charts=charts.progress_charts(report),
        steadiness=steadiness.to_dict(),
    )
