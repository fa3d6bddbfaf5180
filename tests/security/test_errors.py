"""Error messages quote at most a short, escaped prefix of the rejected value."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from retrowalk.errors import QUOTE_MAX_CHARS, InvalidInputError, quote


def test_a_megabyte_value_is_quoted_as_a_short_prefix() -> None:
    message = str(InvalidInputError("notes", "x" * 1_000_000, "text of at most 500 characters"))
    assert len(message) < 150
    assert message.startswith("notes: got 'xxxx")
    assert "..." in message


def test_control_characters_are_escaped_in_messages() -> None:
    message = str(InvalidInputError("notes", "\x1b[2J\x1b]0;pwned\x07\nforged line", "text"))
    assert "\x1b" not in message
    assert "\n" not in message
    assert "\\x1b" in message


@given(st.one_of(st.text(), st.binary(), st.integers(), st.lists(st.text())))
def test_quote_is_short_and_printable(value: object) -> None:
    quoted = quote(value)
    assert len(quoted) <= QUOTE_MAX_CHARS + 10
    assert all(ch.isprintable() for ch in quoted)
