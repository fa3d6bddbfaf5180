"""The ``retrowalk`` command line: one Typer app with a group per domain.

Commands are thin: they parse options, call :mod:`retrowalk.services` or the pure core, and print.
Every error a user can cause ends as one line on stderr and exit status 2 (a traceback only with
``--debug``).
"""

from __future__ import annotations

import sys

from retrowalk.cli.app import app, run

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:] if argv is None else argv))
