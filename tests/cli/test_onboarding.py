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
        ("no thanks", False),
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


@pytest.mark.parametrize("name", ["healthy_walker_68", "runner_25_treadmill", "parkinsons_66"])
def test_saved_answers_are_offered_as_text_each_question_reads_back(name: str) -> None:
    from retrowalk.cli.onboarding import saved_answer_text
    from retrowalk.profile import parse_profile
    from tests.services.helpers import persona

    saved = parse_profile(persona(name)).model_dump(mode="json")
    offered = 0
    for question in QUESTIONS:
        text = saved_answer_text(question, saved)
        if text is None:
            continue
        value: object = saved
        for part in question.field.split("."):
            value = value[part]  # type: ignore[index]
        read = parse_answer(question, text)
        if isinstance(value, list):
            assert sorted(read) == sorted(value), question.field
        elif isinstance(value, float):
            assert read == pytest.approx(value, abs=0.01), question.field
        else:
            assert read == value, question.field
        offered += 1
    assert offered >= 10


def test_start_offers_the_saved_answers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from retrowalk.cli.app import run
    from retrowalk.services.database import open_database
    from tests.services.helpers import store_profile

    db = open_database()
    with db.transaction() as session:
        store_profile(session)
    db.dispose()
    monkeypatch.setattr("sys.stdin", io.StringIO("y\nn\n"))  # keep the answers; no balance test
    assert run(["start", "--weeks", "2"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "You have saved answers (age 68" in out
    assert "Use your saved answers?" in out
    assert "Your plan" in out
