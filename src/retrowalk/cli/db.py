"""``retrowalk db``, ``export``, ``import`` and ``serve``."""

from __future__ import annotations

import errno
import json
import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from retrowalk.cli.app import app
from retrowalk.cli.render import console
from retrowalk.errors import InvalidInputError, RetroWalkError
from retrowalk.services.backup import EXPORT_FORMATS, export_to, import_from
from retrowalk.services.database import open_database

db_app = typer.Typer(help="Database: migrations and status.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the database if needed and apply every migration."""
    db = open_database(migrate=True)
    status = db.status()
    console.print(f"database {db.url_for_display} is at revision {status['revision']} (latest)")
    db.dispose()


@db_app.command("status")
def db_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show where the database is and whether it is up to date."""
    db = open_database(migrate=False)
    status = {"url": db.url_for_display, **db.status()}
    db.dispose()
    if as_json:
        typer.echo(json.dumps(status, indent=2))
    else:
        for key, value in status.items():
            console.print(f"{key}: {value}", markup=False, highlight=False)


@app.command("export")
def export_command(
    path: Annotated[Path, typer.Argument(help="File to write (JSON file, or a zip of CSVs).")],
    fmt: Annotated[str, typer.Option("--format", help="json or csv.")] = "json",
) -> None:
    """Write everything RetroWalk stores to PATH, with a versioned schema."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInputError("--format", fmt, "json or csv")
    db = open_database()
    summary = export_to(db, path, fmt)
    db.dispose()
    total = sum(summary.rows.values())
    console.print(f"exported {total} rows to {path} ({fmt})", markup=False, highlight=False)


@app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A file written by 'retrowalk export'.")],
    merge: Annotated[
        bool, typer.Option("--merge", help="Add only what is missing to a non-empty database.")
    ] = False,
) -> None:
    """Restore an export into an empty database (or merge it with --merge)."""
    db = open_database()
    try:
        summary = import_from(db, path, merge=merge)
    finally:
        db.dispose()
    table = Table("table", "imported", "already there")
    for name, count in summary.inserted.items():
        if count or summary.skipped.get(name):
            table.add_row(name, str(count), str(summary.skipped.get(name, 0)))
    console.print(table)
    console.print(
        f"imported {sum(summary.inserted.values())} rows; "
        f"{sum(summary.skipped.values())} were already there",
        markup=False,
        highlight=False,
    )


@app.command("serve")
def serve_command(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).", min=1, max=65535)] = None,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Serve HTTPS on every network interface (for a phone on the same network); a "
            "new pairing code and QR code are printed and every page then needs a login.",
        ),
    ] = False,
    cert: Annotated[
        Path | None, typer.Option(help="LAN mode: your own HTTPS certificate (PEM).")
    ] = None,
    key: Annotated[
        Path | None, typer.Option(help="LAN mode: the private key of --cert (PEM, mode 600).")
    ] = None,
) -> None:
    """Start the web app (applies migrations first) and print its address."""
    import uvicorn

    from retrowalk.config import get_settings
    from retrowalk.web.app import create_app
    from retrowalk.web.hardening import server_options
    from retrowalk.web.security import new_pairing_code, store_pairing_code

    if not lan and (cert is not None or key is not None):
        raise InvalidInputError("--cert/--key", str(cert or key), "only with --lan")
    settings = get_settings()
    bind_host = host or ("0.0.0.0" if lan else settings.host)
    bind_port = port or settings.port
    db = open_database()  # fail here, in one line, if the database is unreachable
    code = None
    if lan:
        code = new_pairing_code()
        with db.transaction() as session:
            store_pairing_code(session, code)  # only its salted scrypt hash is stored
    db.dispose()
    setup = None
    if lan:
        from retrowalk.cli.phone import lan_setup

        # HTTPS (phone mode, docs/phone.md): fails here, in one line, on a bad certificate or key
        setup = lan_setup(bind_host, bind_port, cert, key)
    sock = claim_port(bind_host, bind_port)  # before anything claims "running at"
    web = create_app(lan=lan, serve=setup.config if setup else None)
    if setup is None:
        shown = "127.0.0.1" if bind_host in ("0.0.0.0", "::") else bind_host
        url = f"http://{shown}:{bind_port}/"
    else:
        url = setup.config.primary_url
    # emoji=False: an IPv6 address such as fd00::cd:1 holds ":cd:", an emoji name for Rich
    console.print(
        f"RetroWalk is running at {url}  (Ctrl-C to stop)",
        markup=False,
        highlight=False,
        emoji=False,
    )
    if setup is not None and code is not None:
        from retrowalk.cli.phone import print_lan_banner

        print_lan_banner(setup, code, web.state.pairing.issue())
    config = uvicorn.Config(
        web,
        host=bind_host,
        port=bind_port,
        log_level="warning",
        ssl_certfile=str(setup.tls.cert_path) if setup else None,
        ssl_keyfile=str(setup.tls.key_path) if setup else None,
        **server_options(),
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


class PortInUseError(RetroWalkError):
    """The port the web app should listen on is taken."""


def claim_port(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` for the server, or one line saying the port is in use
    and how to choose another."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(
                f"port {port} is already in use (RetroWalk may already be running): choose "
                f"another with --port {port + 1 if port < 65535 else 8001} or "
                f"RETROWALK_PORT={port + 1 if port < 65535 else 8001}"
            ) from None
        raise PortInUseError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    return sock
