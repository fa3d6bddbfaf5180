"""Exceptions shared by every layer.

Every error a user can cause is an :class:`InvalidInputError`: it names the field (or file),
the value that was given and what is accepted, so the CLI and the web app can print one line.
"""

from __future__ import annotations

from typing import Final

#: Longest quote of a rejected value in an error message, in characters (a message names the
#: field and what is accepted; echoing a 1 MB value back helps nobody and floods logs).
QUOTE_MAX_CHARS: Final = 40


def quote(value: object, max_chars: int = QUOTE_MAX_CHARS) -> str:
    """A short, escaped quote of ``value`` for a message: its ``repr`` (which escapes control
    characters, so a value cannot move the terminal's cursor or forge a line), cut to at most
    ``max_chars`` characters plus ``...``. Text is cut before ``repr`` so a huge value costs
    nothing.
    """
    cut = isinstance(value, str | bytes) and len(value) > max_chars
    text = repr(value[:max_chars] if isinstance(value, str | bytes) else value)
    if len(text) > max_chars:
        return text[:max_chars] + "..."
    return text + "..." if cut else text


class RetroWalkError(Exception):
    """Base class of every error RetroWalk raises on purpose."""


class InvalidInputError(RetroWalkError, ValueError):
    """A value given by the user is outside what RetroWalk accepts.

    Parameters
    ----------
    field
        The name of the field, option or file the value came from.
    value
        The offending value, quoted in the message by :func:`quote` (a short, escaped prefix).
    accepted
        Plain words for the accepted values or range, e.g. ``"20 to 300 kg"``.
    """

    def __init__(self, field: str, value: object, accepted: str) -> None:
        self.field = field
        self.value = value
        self.accepted = accepted
        super().__init__(f"{field}: got {quote(value)}; expected {accepted}")


class UnknownReferenceError(InvalidInputError):
    """A field refers to a record that does not exist (an API answers 404; the CLI and the forms
    treat it as any invalid input)."""


class StateConflictError(InvalidInputError):
    """A value that is valid by itself does not fit what is stored (a stop reason for a log that
    is not stopped, a snapshot of another session's timeline): an API answers 409."""


class ImportFileError(RetroWalkError, ValueError):
    """An import file is unreadable, truncated, foreign or inconsistent; nothing was stored."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class NotEmptyError(RetroWalkError):
    """The target database already holds data and the operation would mix it."""


class NotFoundError(RetroWalkError, LookupError):
    """A requested record does not exist."""


class DatabaseUnavailableError(RetroWalkError):
    """The database URL cannot be opened or reached."""


class DatabaseReadOnlyError(DatabaseUnavailableError):
    """The database can be read but not written (file permissions, a read-only mount or a
    read-only PostgreSQL server); nothing was written."""
