"""Error responses: every error a user can cause is a 4xx JSON body, never a 500.

Shape (for 422): ``{"detail": [{"field", "message", "accepted"}]}``; other errors carry
``{"detail": "<message>"}`` and, for a required clearance, ``"reasons"``. An input that refers
to nothing stored answers 404, one that does not fit what is stored 409.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from retrowalk.errors import (
    ImportFileError,
    InvalidInputError,
    NotEmptyError,
    NotFoundError,
    StateConflictError,
    UnknownReferenceError,
    quote,
)
from retrowalk.plans import ProfessionalClearanceRequiredError
from retrowalk.services.guided import PlanStoppedError, SessionInProgressError
from retrowalk.sessions import SessionStateError
from retrowalk.web.forms import label_of


def field_error(field: str, message: str, accepted: str) -> dict[str, str]:
    """One entry of a 422 ``detail`` list."""
    return {"field": field, "message": message, "accepted": accepted}


def _invalid_input(_request: Request, exc: Exception) -> JSONResponse:
    """``field`` stays the machine name; the message names the field by the label the pages
    show (e.g. "Effort (rpe): got 'x'; expected ...")."""
    assert isinstance(exc, InvalidInputError)
    label = label_of(exc.field)
    named = exc.field if label == exc.field.replace("_", " ") else f"{label} ({exc.field})"
    message = f"{named}: got {quote(exc.value)}; expected {exc.accepted}"
    return JSONResponse(
        status_code=422, content={"detail": [field_error(exc.field, message, exc.accepted)]}
    )


def _import_file(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ImportFileError)
    detail = field_error("file", exc.problem, "a file written by RetroWalk's export")
    return JSONResponse(status_code=422, content={"detail": [detail]})


def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail: list[dict[str, Any]] = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        where = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc) or "body"
        accepted = str(error.get("ctx", {}).get("expected", "")) or _ACCEPTED_BY_TYPE.get(
            str(error.get("type")), "a valid value"
        )
        message = str(error.get("msg", "invalid"))
        if error.get("type") == "value_error":
            accepted = message.removeprefix("Value error, ")
        detail.append(field_error(where, message, accepted))
    return JSONResponse(status_code=422, content={"detail": detail})


_ACCEPTED_BY_TYPE = {
    "missing": "a value (this field is required)",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD",
    "date_parsing": "a date as YYYY-MM-DD",
    "datetime_parsing": "an ISO 8601 time with a timezone",
    "json_invalid": "a JSON document",
}


def _unknown_reference(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnknownReferenceError)
    return JSONResponse(status_code=404, content={"detail": _named(exc)})


def _state_conflict(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StateConflictError)
    return JSONResponse(status_code=409, content={"detail": _named(exc)})


def _named(exc: InvalidInputError) -> str:
    """The one-line message of an input error: its field, the value quoted, what is accepted."""
    return f"{exc.field}: got {quote(exc.value)}; expected {exc.accepted}"


def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=404, content={"detail": str(exc)})


def _clearance(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProfessionalClearanceRequiredError)
    return JSONResponse(
        status_code=409,
        content={
            "detail": "screening says to see a health professional first; send "
            "acknowledge_risk=true only after reading the reasons",
            "reasons": list(exc.reasons),
        },
    )


def _conflict(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=409, content={"detail": str(exc)})


def _in_progress(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SessionInProgressError)
    return JSONResponse(
        status_code=409,
        content={
            "detail": "another session is still in progress: continue it, log the part done or "
            "abandon it",
            "log_id": exc.log_id,
            "started_at": exc.started_at.isoformat(),
        },
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map RetroWalk's errors to HTTP statuses."""
    app.add_exception_handler(InvalidInputError, _invalid_input)
    app.add_exception_handler(UnknownReferenceError, _unknown_reference)
    app.add_exception_handler(StateConflictError, _state_conflict)
    app.add_exception_handler(ImportFileError, _import_file)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(ProfessionalClearanceRequiredError, _clearance)
    app.add_exception_handler(NotEmptyError, _conflict)
    app.add_exception_handler(SessionStateError, _conflict)
    app.add_exception_handler(PlanStoppedError, _conflict)
    app.add_exception_handler(SessionInProgressError, _in_progress)
