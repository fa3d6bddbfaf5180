"""The CLI contract: version, help, one-line errors with exit status 2; commands load on use."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from retrowalk import __version__
from retrowalk.cli.app import COMMANDS, app, run


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"retrowalk {__version__}"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("db", "export", "import", "serve", "energy", "screen"):
        assert command in out


def test_unknown_command_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: ")
    assert "frobnicate" in err
    assert run(["sesion"]) == 2
    assert "Did you mean 'session'?" in capsys.readouterr().err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    env = {"RETROWALK_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "retrowalk", "--debug", "import", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    plain = subprocess.run(
        [sys.executable, "-m", "retrowalk", "import", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert plain.returncode == 2
    assert "Traceback" not in plain.stderr
    assert plain.stderr.strip().count("\n") == 0


#: What a command may need but ``--help`` and ``--version`` must not import.
HEAVY_MODULES = (
    "sqlalchemy",
    "alembic",
    "numpy",
    "pydantic",
    "rich",
    "retrowalk.services",
    "retrowalk.store",
    "retrowalk.cli.session",
)


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_import_no_command_module(args: list[str]) -> None:
    script = (
        "import json, sys\n"
        "from retrowalk.cli.app import run\n"
        f"code = run({args!r})\n"
        "print(json.dumps([code, sorted(m.split('.')[0] if m.split('.')[0] != 'retrowalk' "
        "else '.'.join(m.split('.')[:3]) for m in sys.modules)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    code, loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert code == 0
    assert "retrowalk.cli.app" in loaded
    assert [name for name in HEAVY_MODULES if name in loaded] == []


def _all_commands() -> dict[str, Any]:
    for module, _help in COMMANDS.values():
        importlib.import_module(f"retrowalk.cli.{module}")
    return dict(typer.main.get_group(app).commands)


def test_the_command_table_matches_the_commands() -> None:
    commands = _all_commands()
    assert set(commands) == set(COMMANDS)
    for name, (_module, text) in COMMANDS.items():
        first_paragraph = (commands[name].help or "").split("\n\n")[0]
        assert " ".join(first_paragraph.split()) == text, name


def test_help_lists_every_command_with_its_help_and_runs_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for name, (_module, text) in COMMANDS.items():
        assert f"{name} {text}" in out
    # A command's own help loads its module: its options are listed.
    assert run(["session", "start", "--help"]) == 0
    assert "--checkpoint-every" in capsys.readouterr().out
