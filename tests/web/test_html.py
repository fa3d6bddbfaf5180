"""Page helpers (``retrowalk.web.html``): the one-time notice a form post leaves for the next
page."""

from __future__ import annotations

import base64
import json

from fastapi.testclient import TestClient

from retrowalk.web.html import NOTICE_COOKIE


def _cookie(items: list[dict[str, str]]) -> str:
    return base64.urlsafe_b64encode(json.dumps(items).encode()).decode("ascii")


def test_a_notice_is_shown_once_escaped_and_undo_takes_only_an_id(client: TestClient) -> None:
    client.cookies.set(
        NOTICE_COOKIE,
        _cookie(
            [
                {"text": "<b>Saved</b>", "undo": "../../plan/new?"},
                {"text": "Deleted", "undo": "0b7d7c1e-3f55-4c1e-9a59-0c7e5d4d2c11"},
            ]
        ),
    )
    page = client.get("/settings")
    assert "&lt;b&gt;Saved&lt;/b&gt;" in page.text
    assert "plan/new?" not in page.text
    assert page.text.count('id="undo-delete"') == 1
    assert 'action="/log/deleted/0b7d7c1e-3f55-4c1e-9a59-0c7e5d4d2c11/restore"' in page.text
    cleared = [h for h in page.headers.get_list("set-cookie") if h.startswith(NOTICE_COOKIE)]
    assert cleared  # said once: the response clears it
    assert "Max-Age=0" in cleared[0]


def test_a_broken_notice_cookie_is_ignored(client: TestClient) -> None:
    client.cookies.set(NOTICE_COOKIE, "not base64 json!")
    page = client.get("/settings")
    assert page.status_code == 200
    assert 'id="notices"' not in page.text
