"""The API keeps its OpenAPI document: schemathesis, every phase and every check, 0 findings.

Schemathesis' own engine runs in-process against the ASGI app, as ``schemathesis run`` does
against a server: the examples, coverage, fuzzing and stateful phases (the stateful phase follows
the document's links, e.g. a log created by ``POST /api/logs`` is then read, changed and
deleted), with every check, including ``positive_data_acceptance`` (a request the document
calls valid is not refused) and ``negative_data_rejection`` (one it calls invalid is refused).

The database already holds a profile and a plan, so that the handlers behind the 404s are
reached too. The run is seeded and derandomized: the same cases on every run.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from schemathesis.engine.recorder import ScenarioRecorder

from retrowalk.services.database import open_database
from retrowalk.web.app import create_app
from retrowalk.web.schemas import EXPORT_FILE_FORMAT, QUICK_SPEC_FORMAT
from tests.web.conftest import PROFILE

#: Examples per operation and phase (CI: about 40 s; RETROWALK_FUZZ_EXAMPLES for a longer run,
#: RETROWALK_FUZZ_SEED for other cases).
EXAMPLES = int(os.environ.get("RETROWALK_FUZZ_EXAMPLES", "15"))
SEED = int(os.environ.get("RETROWALK_FUZZ_SEED", "1"))

CONFIG = {
    "seed": SEED,
    "workers": 1,
    "suppress-health-check": ["all"],
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {name: {"enabled": True} for name in ("examples", "coverage", "fuzzing", "stateful")},
    "checks": {"enabled": True},
    "operations": [
        {
            # One sample per time: each array of a chunk has as many values as its times. JSON
            # Schema cannot state equal lengths, so valid-looking chunks are refused with 422.
            "include-name": "PUT /api/logs/{log_id}/recording/chunks/{index}",
            "checks": {"positive_data_acceptance": {"enabled": False}},
        }
    ],
}

#: A segment of a quick spec within its limits ("90s back", "2m fwd").
_QUICK_SEGMENT = st.builds(
    "{}{} {}".format,
    st.integers(5, 180),
    st.just("s"),
    st.sampled_from(["back", "fwd", "backward", "forwards", "bwd"]),
) | st.builds("{}m {}".format, st.integers(1, 3), st.sampled_from(["back", "fwd"]))
#: A quick spec of at most 2 items, each a segment or up to 4 repeats of up to 3 segments
#: (at most 72 minutes: within the quick spec's limits).
QUICK_SPECS = st.lists(
    _QUICK_SEGMENT
    | st.builds(
        "{}x({})".format,
        st.integers(1, 4),
        st.lists(_QUICK_SEGMENT, min_size=1, max_size=3).map(", ".join),
    ),
    min_size=1,
    max_size=2,
).map(", ".join)


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="retrowalk-fuzz-"))
    yield f"sqlite:///{folder / 'fuzz.sqlite3'}"
    shutil.rmtree(folder, ignore_errors=True)


#: Findings not fixed yet (operation, check): each is a rule the document does not state yet or
#: an answer the app gets wrong; the test fails on any other finding and on an entry here that
#: no longer occurs, so the list only shrinks.
KNOWN: dict[tuple[str, str], str] = {}


def _segments_overflow(body: dict[str, Any]) -> bool:
    """The segments do not fit in ``duration_s``."""
    length, segments = body.get("duration_s"), body.get("segments")
    if not isinstance(length, int | float) or not isinstance(segments, list):
        return False
    times = [s.get("duration_s", 0) for s in segments if isinstance(s, dict)]
    return any(t > length for t in times) or sum(times) > length


def _in_the_future(body: dict[str, Any]) -> bool:
    """``started_at`` is after now."""
    started = body.get("started_at")
    return isinstance(started, str) and datetime.fromisoformat(started) > datetime.now(UTC)


#: Rules JSON Schema cannot state (a sum across fields, the clock), each stated in its
#: operation's description: (the rule is broken by a body, the fields a 422 names for it).
UNSTATABLE = (
    (_segments_overflow, re.compile(r"duration_s|segments|segments\[\d+\]\.duration_s")),
    (_in_the_future, re.compile(r"started_at")),
)


def filter_failure(_ctx: object, _failure: object, case: Any, response: Any) -> bool:
    """Keep every failure but a 422 for a rule in :data:`UNSTATABLE` that the body breaks,
    naming only that rule's fields."""
    body = case.body
    if response.status_code != 422 or not isinstance(body, dict):
        return True
    fields = [error["field"] for error in response.json()["detail"]]
    return not any(
        broken(body) and all(pattern.fullmatch(field) for field in fields)
        for broken, pattern in UNSTATABLE
    )


def findings(url: str) -> dict[tuple[str, str], str]:
    """Every failed check of a full schemathesis run against a new app on ``url``."""
    app = create_app(url)
    with TestClient(app) as client:  # runs the lifespan: migrates; then a profile and a plan
        assert client.put("/api/profile", json=PROFILE).status_code == 200
        assert client.post("/api/plans", json={"weeks": 1}).status_code == 201
        export = client.get("/api/export")
        assert export.status_code == 200
    # The document's custom formats: a quick spec in its grammar and limits, and a RetroWalk
    # export (this database's own: an import merges it, or refuses it with 409 unless merging).
    schemathesis.openapi.format(QUICK_SPEC_FORMAT, QUICK_SPECS)
    schemathesis.openapi.format(EXPORT_FILE_FORMAT, st.just(export.text))
    db = open_database(url)
    app.state.db = db  # the handlers' database while schemathesis calls the app directly
    try:
        config = SchemathesisConfig.from_dict(CONFIG)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
        schema.hook(filter_failure)
        found: dict[tuple[str, str], str] = {}
        phases_run: set[str] = set()
        for event in schemathesis.engine.from_schema(schema).execute():
            if isinstance(event, events.PhaseFinished) and event.phase.is_enabled:
                phases_run.add(event.phase.name.value)
            elif isinstance(event, events.NonFatalError | events.FatalError):
                found[("error", str(event.info))] = f"engine error: {event.info}"
            elif isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
                for key, text in _failures(event.recorder):
                    found.setdefault(key, text)
    finally:
        db.dispose()
    for name in sorted({"examples", "coverage", "fuzzing", "stateful"} - phases_run):
        found[("phase not run", name)] = f"phase not run: {name}"
    return found


def _failures(recorder: ScenarioRecorder) -> Iterator[tuple[tuple[str, str], str]]:
    """Each failed check, keyed by operation and check, with the response and a curl line."""
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status != Status.FAILURE or check.failure_info is None:
                continue
            failure = check.failure_info.failure
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction is not None else None
            answer = "" if response is None else f"[{response.status_code}] {response.content!r}"
            key = (recorder.label, check.name)
            yield (
                key,
                (
                    f"{key[0]} {key[1]}: {failure.title}\n{failure.message}\n{answer[:400]}\n"
                    f"{check.failure_info.code_sample[:600]}"
                ),
            )


def test_the_api_keeps_its_openapi_document(app_url: str) -> None:
    found = findings(app_url)
    new = [text for key, text in found.items() if key not in KNOWN]
    assert not new, f"{len(new)} schemathesis findings:\n\n" + "\n\n".join(new)
    assert not KNOWN.keys() - found.keys(), "fixed: remove from KNOWN"
