"""CLI onboarding answers (issue 13): "yes" at the acknowledgement, heights as typed."""

from __future__ import annotations

import pytest

from retrowalk.cli.onboarding import parse_answer, read_acknowledgement
from retrowalk.screening.questions import QUESTIONS


@pytest.mark.parametrize(
    ("typed", "agreed"),
    [
        ("I understand", True),
        ("i understand.", True),
        ("yes", True),
        ("Y", True),
        ("", False),
        ("no", False),
        ("sure thing", None),  # unclear: the prompt says what to type and asks again
    ],
)
def test_acknowledgement_answers(typed: str, agreed: bool | None) -> None:
    assert read_acknowledgement(typed) is agreed


@pytest.mark.parametrize("typed", ["162 cm", "1,62", "1.62", "162", "5 ft 4"])
def test_height_answers(typed: str) -> None:
    height = next(q for q in QUESTIONS if q.field == "height_m")
    assert parse_answer(height, typed) == pytest.approx(1.62, abs=0.01)


def test_choices_are_picked_by_number_or_label_and_errors_show_labels() -> None:
    from retrowalk.errors import InvalidInputError

    question = next(q for q in QUESTIONS if q.choices and len(q.choices) > 1)
    value, label = question.choices[1]
    assert parse_answer(question, "2") in (value, [value])
    assert parse_answer(question, label.upper()) in (value, [value])
    with pytest.raises(InvalidInputError) as caught:
        parse_answer(question, "zzz")
    assert label in str(caught.value)
