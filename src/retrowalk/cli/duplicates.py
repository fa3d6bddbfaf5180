"""``retrowalk log duplicates`` and ``retrowalk log keep ID``: a walk logged twice (imported from
a file and also played or typed in, in either order) counts once until the walker keeps one.
Registered on the ``log`` group by :mod:`retrowalk.cli.logs`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from retrowalk.cli.logs import log_app
from retrowalk.cli.render import console
from retrowalk.services.database import open_database
from retrowalk.timeutil import local_zone


@log_app.command("duplicates")
def log_duplicates(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Walks logged twice, waiting for you to keep one (the second counts only once chosen)."""
    from retrowalk.services.duplicates import pending

    db = open_database()
    try:
        with db.transaction() as session:
            pairs = pending(session)
    finally:
        db.dispose()
    if as_json:
        typer.echo(json.dumps([p.to_dict() for p in pairs], indent=2))
        return
    if not pairs:
        console.print("No walk is waiting: none is logged twice.", highlight=False)
        return
    zone = local_zone()
    for p in pairs:
        console.print(
            f"{p.started_at.astimezone(zone):%a %d %b %Y %H:%M}: log {p.log_id[:8]} "
            f"({p.source}) is the same walk as log {p.other_id[:8]} ({p.other_source}); it is "
            f"not counted until you choose: 'retrowalk log keep {p.log_id[:8]}' or "
            f"'retrowalk log keep {p.other_id[:8]}'",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@log_app.command("keep")
def log_keep(
    log_id: Annotated[
        str, typer.Argument(help="The log to keep: its id or a unique prefix (6+ characters).")
    ],
) -> None:
    """Keep this log of a walk logged twice; the other log of the same walk is deleted."""
    from retrowalk.services.duplicates import keep_log

    db = open_database()
    try:
        with db.transaction() as session:
            deleted = keep_log(session, log_id)
    finally:
        db.dispose()
    gone = ", ".join(d[:8] for d in deleted)
    console.print(
        f"Kept log {log_id[:8]}; deleted log {gone}, the same walk. It counts once.",
        highlight=False,
    )
