"""``/api/progress``: weekly minutes toward 150, backward minutes, energy, 3MBWT trend."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Query

from retrowalk.errors import InvalidInputError
from retrowalk.progress import WEEKS_MAX, WEEKS_MIN
from retrowalk.services.progress import progress_report
from retrowalk.timeutil import utcnow
from retrowalk.web.deps import TransactionDep
from retrowalk.web.schemas import ERROR_RESPONSES
from retrowalk.web.views import check_date

router = APIRouter(prefix="/api/progress", tags=["progress"])


def local_zone() -> Any:
    """The computer's local time zone (weeks are local calendar weeks)."""
    return utcnow().astimezone().tzinfo


def time_zone(name: str | None) -> Any:
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


@router.get("", responses=ERROR_RESPONSES)
async def read_progress(
    db: TransactionDep,
    weeks: Annotated[int, Query(ge=WEEKS_MIN, le=WEEKS_MAX)] = 8,
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
    return await db.read_cached(
        ("progress", weeks, today, zone),
        lambda session: progress_report(session, weeks=weeks, today=today, tz=zone).to_dict(),
    )
