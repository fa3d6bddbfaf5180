"""User text printed by ``retrowalk log show`` cannot drive the terminal."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.cli.app import run

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mred \x9b31m [bold red]loud[/bold red] \u202eevil\rX"


def test_log_show_escapes_terminal_codes_and_markup(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "log", "add", "--quick", "1m back", "--start", "2026-01-05T10:00+01:00",
            "--notes", HOSTILE, "--pain", "2", "--pain-location", "knee \x1b[5m", "--json",
        ]
    )  # fmt: skip
    assert code == 0
    log_id = json.loads(capsys.readouterr().out)["id"]
    assert run(["log", "show", log_id]) == 0
    out = capsys.readouterr().out
    for raw in ("\x1b", "\x9b", "\x07", "\u202e", "\r"):
        assert raw not in out
    assert "\\x1b]0;owned" in out  # shown, escaped
    assert "[bold red]loud[/bold red]" in out  # markup printed as typed, not applied


@given(st.text())
def test_safe_text_has_no_control_or_format_characters(text: str) -> None:
    import unicodedata

    from rich.text import Text

    from retrowalk.cli.render import safe_text

    shown = Text.from_markup(safe_text(text)).plain
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in shown)
