"""The database the terminal player's tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from retrowalk.services.database import Database, open_database
from tests.services.helpers import store_profile


@pytest.fixture
def db() -> Iterator[Database]:
    """The database the CLI uses (the per-test default URL), with a profile."""
    database = open_database()
    with database.transaction() as session:
        store_profile(session)
    yield database
    database.dispose()
