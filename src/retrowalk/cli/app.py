"""Root Typer app, global options and the one-line error contract.

A command's module (and with it Rich, the services, SQLAlchemy and Alembic) is imported only when
that command runs, so ``retrowalk --help`` and ``--version`` start in about the time Typer takes to
import (``bench/cli_start.py``).
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from retrowalk import __version__
from retrowalk.errors import RetroWalkError

if TYPE_CHECKING:  # Typer's own copy of Click (importing the click package costs 0.1 s)
    from typer._click import Command, Context, HelpFormatter

#: Each root command: the module that adds it to ``app`` when imported, and its one-line help
#: (``--help`` lists these without importing the modules; a test checks they match the commands).
COMMANDS: dict[str, tuple[str, str]] = {
    "export": ("db", "Write everything RetroWalk stores to PATH, with a versioned schema."),
    "import": ("db", "Restore an export into an empty database (or merge it with --merge)."),
    "serve": ("db", "Start the web app (applies migrations first) and print its address."),
    "energy": (
        "energy",
        "Estimate oxygen uptake, METs and kcal of a walk, with the range the evidence allows.",
    ),
    "today": ("plans", "Today's session (or the next one), and why it is what it is."),
    "start": (
        "onboarding",
        "Onboarding: questions, readiness outcome, optional balance test, and your plan.",
    ),
    "progress": (
        "progress",
        "Weekly minutes toward 150, adherence, energy, symptoms, balance tests and streaks.",
    ),
    "screen": (
        "screening",
        "Screen a profile for backward walking: go, go with support, or see a professional first.",
    ),
    "db": ("db", "Database: migrations and status."),
    "log": ("logs", "Your session log: add, edit, list, show, delete."),
    "plan": ("plans", "Your multi-week plan."),
    "session": ("session.commands", "Guided sessions with spoken cues."),
    "treadmill": ("treadmill", "Bluetooth (FTMS) treadmills: find, check and test one."),
    "import-activity": (
        "activities",
        "Import recorded walks as session logs, one line per file (bad files are skipped).",
    ),
    "activity": (
        "activities",
        "Walks imported from watches and apps: show, mark laps, find duplicates.",
    ),
    "analyze": (
        "motion",
        "Count steps and find walking bouts, with cadence and steadiness, in an inertial "
        "recording.",
    ),
}


class LazyGroup(TyperGroup):
    """The root group: lists :data:`COMMANDS` and imports a command's module on first use."""

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands:
            # An unknown name loads every command, for Typer's "Did you mean ...?".
            wanted = [COMMANDS[cmd_name]] if cmd_name in COMMANDS else COMMANDS.values()
            for module, _help in wanted:
                importlib.import_module(f"retrowalk.cli.{module}")
            self.commands = typer.main.get_group(app).commands
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_module, text) in COMMANDS.items()])


app = typer.Typer(
    name="retrowalk",
    help="RetroWalk: a coach and tracker for backward walking.",
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Rich-formatted help would import Rich's Markdown and Pygments: 0.15 s on every --help.
    rich_markup_mode=None,
)


class _State:
    debug: bool = False


state = _State()

EXIT_USAGE = 2


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"retrowalk {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and exit.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """RetroWalk: readiness, plans, guided sessions and honest numbers for backward walking."""
    state.debug = debug


def _error(message: str) -> None:
    """Print ``message`` as exactly one line on stderr."""
    typer.echo("error: " + " ".join(message.split()), err=True)


def expand_bare_treadmill(argv: list[str]) -> list[str]:
    """``session start --treadmill`` without an address means ``--treadmill auto`` (Typer options
    cannot take an optional value; see ``docs/treadmill.md``)."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        out.append(arg)
        following = argv[i + 1] if i + 1 < len(argv) else None
        if arg == "--treadmill" and (following is None or following.startswith("-")):
            out.append("auto")
    return out


def run(argv: list[str]) -> int:
    """Run the CLI with ``argv`` and return the exit status (never raises for user errors)."""
    argv = expand_bare_treadmill(argv)
    state.debug = "--debug" in argv
    try:
        result = app(args=argv, prog_name="retrowalk", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        _error("aborted")
        return 130
    except typer.TyperException as exc:
        if state.debug:
            raise
        format_message = getattr(exc, "format_message", None)
        _error(format_message() if callable(format_message) else str(exc))
        return EXIT_USAGE
    except RetroWalkError as exc:
        if state.debug:
            raise
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    sys.stdout.flush()
    return result if isinstance(result, int) else 0
