"""Done / partly done / missed (issue 13)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from retrowalk.progress.completion import (
    DONE_BACKWARD_FRACTION,
    SessionState,
    is_done,
    session_state,
)

DAY = date(2026, 12, 1)


def test_a_seven_second_tired_stop_is_not_done() -> None:
    state = session_state(
        planned_backward_s=300, walked_backward_s=7, walked=True, scheduled_on=DAY, today=DAY
    )
    assert state is SessionState.PARTLY_DONE
    assert state.label == "Partly done"


def test_done_missed_planned() -> None:
    def state(walked_s: float, walked: bool, today: date) -> SessionState:
        return session_state(
            planned_backward_s=300,
            walked_backward_s=walked_s,
            walked=walked,
            scheduled_on=DAY,
            today=today,
        )

    assert state(240, True, DAY) is SessionState.DONE
    assert state(0, False, date(2026, 12, 2)) is SessionState.MISSED
    assert state(0, False, DAY) is SessionState.PLANNED


@given(st.floats(1, 3600), st.floats(0, 3600))
def test_done_is_mostly_walked(planned_s: float, walked_s: float) -> None:
    assert is_done(planned_s, walked_s) == (walked_s >= DONE_BACKWARD_FRACTION * planned_s - 1e-9)
