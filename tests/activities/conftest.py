from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from retrowalk.plans import Plan
from retrowalk.services.database import Database
from tests.services.helpers import store_plan


@pytest.fixture
def stored_plan(sqlite_db: Database) -> tuple[Plan, tuple[str, ...]]:
    """A real 4-week plan (healthy walker persona) that started 14 days ago."""
    with sqlite_db.transaction() as session:
        stored = store_plan(session, start_on=datetime.now(UTC).date() - timedelta(days=14))
    return stored.plan, stored.session_ids
