"""``/api/progress``: weekly minutes toward 150, backward minutes, energy, 3MBWT trend."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

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


@router.get("", responses=ERROR_RESPONSES)
async def read_progress(
    db: TransactionDep,
    weeks: Annotated[int, Query(ge=WEEKS_MIN, le=WEEKS_MAX)] = 8,
    on: date | None = None,
) -> dict[str, Any]:
    """The progress report of the ``weeks`` calendar weeks ending with the week of ``on``."""
    today = check_date(on, "on")
    tz = local_zone()
    return await db.read_cached(
        ("progress", weeks, today, tz),
        lambda session: progress_report(session, weeks=weeks, today=today, tz=tz).to_dict(),
    )
