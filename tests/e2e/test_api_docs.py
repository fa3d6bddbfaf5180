"""The API documentation at /docs renders offline in a real browser (OpenAPI 3.1 included)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import shot
from tests.e2e.server import Server

pytestmark = pytest.mark.e2e


def test_api_docs_render_from_local_files(server: Server, desktop: Any) -> None:
    page = desktop.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{server.url}/docs")
    page.get_by_text("/api/health").first.wait_for()
    assert page.get_by_text("Unable to render this definition").count() == 0
    assert page.get_by_text("/api/logs").count() > 0
    shot(page, "50-api-docs")
    assert outside == []
