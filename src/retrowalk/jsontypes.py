"""Types for JSON input whose JSON Schema says exactly what they accept.

Pydantic's plain ``int`` also takes ``"2"`` and ``true``; its ``StrictInt`` refuses ``2.0``,
which JSON Schema counts as an integer. The OpenAPI document is checked against the app
(schemathesis), so each type accepts what its schema states and nothing else; for numbers
and yes/no answers pydantic's ``StrictFloat`` and ``StrictBool`` already do.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BeforeValidator

__all__ = ["WHOLE_NUMBER"]


def _number_not_text(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a whole number")
    return value


#: For an ``int``: a whole number, ``2`` or ``2.0`` (the same integer in JSON), never ``"2"`` or
#: ``true``. Place it after the bounds (``Annotated[int, Field(ge=1), WHOLE_NUMBER]``): bounds
#: placed after a validator do not reach the JSON Schema.
WHOLE_NUMBER: Final = BeforeValidator(_number_not_text)
