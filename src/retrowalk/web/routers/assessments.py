"""The 3-metre backward walk test: ``/api/balance-tests`` and the guided ``/balance-test`` page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from retrowalk.assessments import PROTOCOL
from retrowalk.assessments.protocol import Protocol
from retrowalk.errors import InvalidInputError
from retrowalk.services.readiness import (
    balance_tests,
    current_profile,
    record_balance_test,
    require_profile,
)
from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import float_field
from retrowalk.web.html import CheckedForm, problem, render, see_other
from retrowalk.web.schemas import (
    INVALID_OR_MISSING,
    NOT_FOUND,
    BalanceTestCreate,
    BalanceTestPublic,
)

router = APIRouter(prefix="/api/balance-tests", tags=["balance tests"])
pages = APIRouter(include_in_schema=False)


@router.get("/protocol")
def read_protocol() -> Protocol:
    """The guided 3MBWT protocol: steps, instruction, spotter advice and scoring."""
    return PROTOCOL


@router.get("", response_model=list[BalanceTestPublic], responses=NOT_FOUND)
def list_balance_tests(session: SessionDep) -> list[dict[str, Any]]:
    """Every stored 3MBWT result, oldest first, each compared with the one before."""
    return [test.to_dict() for test in balance_tests(session, require_profile(session))]


@router.post(
    "",
    response_model=BalanceTestPublic,
    status_code=201,
    responses=INVALID_OR_MISSING,
)
def create_balance_test(session: SessionDep, body: BalanceTestCreate) -> dict[str, Any]:
    """Store a 3MBWT result with its reading against the population cut-off."""
    test = record_balance_test(
        session,
        require_profile(session),
        body.trials_s,
        performed_at=body.performed_at,
        notes=body.notes,
    )
    return test.to_dict()


@pages.get("/balance-test")
def balance_test(request: Request, session: SessionDep) -> Response:
    """The guided 3-metre backward walk test with an on-screen timer."""
    stored = current_profile(session)
    if stored is None:
        return see_other("/onboarding")
    tests = [t.to_dict() for t in balance_tests(session, stored)]
    return render(request, "balance_test.html", protocol=PROTOCOL, tests=tests)


@pages.post("/balance-test")
def balance_test_post(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Store the timed trials and show the reading."""
    accepted = "a number of seconds from 1 to 60"
    stored = require_profile(session)
    context: dict[str, Any] = {"protocol": PROTOCOL}
    try:
        trials = [
            float_field(form, f"trial_{n}", accepted) or 0.0
            for n in range(1, PROTOCOL.timed_trials + 1)
        ]
        with session.begin_nested():
            context["result"] = record_balance_test(session, stored, trials).to_dict()
    except InvalidInputError as exc:
        context.update(status_code=422, error=problem(exc), values=dict(form.items()))
    tests = [t.to_dict() for t in balance_tests(session, stored)]
    return render(request, "balance_test.html", tests=tests, **context)
