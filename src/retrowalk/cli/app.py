"""Root Typer app, global options and the one-line error contract."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from retrowalk import __version__
from retrowalk.errors import RetroWalkError

app = typer.Typer(
    name="retrowalk",
    help="RetroWalk: a coach and tracker for backward walking.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

console = Console()


class _State:
    debug: bool = False


state = _State()

EXIT_USAGE = 2


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"retrowalk {__version__}")
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


def _register() -> None:
    # Each domain module adds its commands to ``app`` when imported.
    from retrowalk.cli import commands  # noqa: F401


def _error(message: str) -> None:
    """Print ``message`` as exactly one line on stderr."""
    typer.echo("error: " + " ".join(message.split()), err=True)


def run(argv: list[str]) -> int:
    """Run the CLI with ``argv`` and return the exit status (never raises for user errors)."""
    _register()
    from retrowalk.cli.treadmill import expand_bare_treadmill

    argv = expand_bare_treadmill(argv)  # '--treadmill' alone means 'auto' (docs/treadmill.md)
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
