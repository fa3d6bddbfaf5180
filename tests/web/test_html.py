"""Page helpers (``retrowalk.web.html``): the one-time notice a form post leaves for the next
page, and plain words on the pages (filters and ``formatting``, issue 13): no rule names, rule
ids, scale names or test acronyms before the plain words (they sit behind a "why?"), numbers
without ".0", and chart ticks on round numbers."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from retrowalk.web.charts import progress_charts
from retrowalk.web.html import NOTICE_COOKIE
from tests.web.conftest import log_body, started_ago


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


def visible(page: str) -> str:
    """The page's words a walker reads at once: without scripts, SVG charts and "why?" notes."""
    for pattern in (
        r"<script.*?</script>",
        r"<svg.*?</svg>",
        r"<details class=\"why\">.*?</details>",
    ):
        page = re.sub(pattern, " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_plan_changes_and_reasons_read_as_plain_words(
    client: TestClient, planned: dict[str, Any]
) -> None:
    client.post("/api/logs", json=log_body(started_ago(30), ratings={"rpe": 12, "pain_0_10": 6}))
    client.post("/api/logs", json=log_body(started_ago(2), ratings={"rpe": 15, "pain_0_10": 1}))
    for path in ("/log", "/plan", "/today"):
        page = client.get(path).text
        words = visible(page)
        for jargon in ("regress", "Plan: hold", "(hold)", "Borg 12-13", "CR10", "3MBWT", "et al"):
            assert jargon not in words, (path, jargon)
        assert not re.search(r"\((?:progress|hold|regress|stop)\.[a-z_]+\)", words), path
        assert not re.search(r"\d\.0\b", words), (path, re.findall(r".{20}\d\.0\b.{10}", words))
        assert 'class="why"' in page  # the technical term and its source are still there
    log_page = visible(client.get("/log").text)
    assert "Eased off" in log_page
    assert "Kept the same" in log_page


def test_the_balance_test_reads_as_a_verdict_with_the_citation_below(
    client: TestClient, planned: dict[str, Any]
) -> None:
    from tests.web.conftest import form_token

    token = form_token(client)
    page = client.post(
        "/balance-test", data={"csrf_token": token, "trial_1": "4.1", "trial_2": "4.3"}
    ).text
    verdict = re.search(r'<h2 id="verdict">([^<]*)</h2>', page)
    assert verdict is not None
    assert verdict.group(1).startswith("Slower than the time linked with more falls")
    words = visible(page)
    assert "3MBWT" not in words
    assert "between cutoffs" not in words
    assert "slower than cutoff" not in words
    assert page.index('id="verdict"') < page.index('class="why"')  # the source comes after


def test_chart_ticks_are_round_numbers() -> None:
    weeks = [
        {
            "week_start": f"2026-11-{day:02d}",
            "goal_minutes": 150,
            "walking_minutes": walking,
            "moderate_or_more_minutes": walking,
            "backward_minutes": backward,
            "energy_kcal": None,
        }
        for day, walking, backward in ((2, 12.5, 3.0), (9, 30.0, 4.0), (16, 64.125, 4.5))
    ]
    charts = progress_charts({"weeks": weeks, "balance_tests": []})
    for name in ("minutes", "backward"):
        ticks = re.findall(
            r'<text class="axis" x="\d+" y="[\d.]+" text-anchor="end">([^<]*)<', str(charts[name])
        )
        assert len(ticks) == 5
        assert all(re.fullmatch(r"\d+", tick) for tick in ticks), ticks
    assert "64.125" not in str(charts["minutes"])
