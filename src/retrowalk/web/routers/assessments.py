"""``/api/balance-tests``: the 3-metre backward walk test protocol and results."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter

from retrowalk.assessments import PROTOCOL
from retrowalk.services.readiness import balance_tests, record_balance_test, require_profile
from retrowalk.web.deps import SessionDep
from retrowalk.web.schemas import ERROR_RESPONSES, NOT_FOUND, BalanceTestCreate

router = APIRouter(prefix="/api/balance-tests", tags=["balance tests"])


@router.get("/protocol")
def read_protocol() -> dict[str, Any]:
    """The guided 3MBWT protocol: steps, instruction, spotter advice and scoring."""
    return dataclasses.asdict(PROTOCOL)


@router.get("", responses=NOT_FOUND)
def list_balance_tests(session: SessionDep) -> list[dict[str, Any]]:
    """Every stored 3MBWT result, oldest first, each compared with the one before."""
    return [test.to_dict() for test in balance_tests(session, require_profile(session))]


@router.post("", status_code=201, responses={**ERROR_RESPONSES, **NOT_FOUND})
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
