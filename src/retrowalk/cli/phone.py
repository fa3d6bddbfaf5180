"""``retrowalk serve --lan``: the HTTPS certificate, the addresses and the pairing banner.

Helpers of the ``serve`` command (``retrowalk.cli.db``); they add no command of their own.
"""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import dataclass
from pathlib import Path

import typer

from retrowalk.cli.render import console
from retrowalk.errors import InvalidInputError
from retrowalk.web.lan import LOCAL_NAMES, ServeConfig, host_name, lan_addresses
from retrowalk.web.pairing import TOKEN_TTL_S, pairing_url, qr_terminal
from retrowalk.web.tls import TlsFiles, certificate_names, ensure_certificates, user_certificate

#: Bind addresses that mean "every interface".
ANY_ADDRESS = ("0.0.0.0", "::")


@dataclass(frozen=True)
class LanSetup:
    """What ``serve --lan`` serves with: the reachable addresses and the HTTPS files."""

    config: ServeConfig
    tls: TlsFiles


def served_addresses(bind_host: str) -> tuple[str, ...]:
    """The addresses a phone can use: every LAN address when binding to all interfaces."""
    if bind_host in ANY_ADDRESS:
        return lan_addresses() or ("127.0.0.1",)
    return (bind_host,)


def machine_names() -> tuple[str, ...]:
    """This machine's host name and its mDNS form (``name.local``), when it has a usable one."""
    name = host_name()
    try:
        ipaddress.ip_address(name)
        return ()
    except ValueError:
        pass
    if not name or name == "localhost":
        return ()
    return (name,) if name.endswith(".local") else (name, f"{name}.local")


def lan_setup(
    bind_host: str, port: int, cert: Path | None, key: Path | None, tls_dir: Path | None = None
) -> LanSetup:
    """The certificate (made or reused, or the user's own) and the :class:`ServeConfig`."""
    if (cert is None) != (key is None):
        raise InvalidInputError(
            "--cert/--key", str(cert or key), "both a certificate and its key, or neither"
        )
    addresses = served_addresses(bind_host)
    names = machine_names()
    if cert is not None and key is not None:
        tls = user_certificate(cert, key)
        # The host names the user's certificate is for: the Host allow-list accepts them too.
        names = (*names, *sorted(n for n in certificate_names(cert) if n not in names))
    else:
        tls = ensure_certificates((*addresses, *names, *LOCAL_NAMES), tls_dir)
    config = ServeConfig(
        scheme="https",
        port=port,
        addresses=addresses,
        names=names,
        ca_fingerprint_sha256=tls.ca_fingerprint_sha256,
        ca_cert_path=tls.ca_cert_path,
    )
    return LanSetup(config=config, tls=tls)


def _say(text: str) -> None:
    # emoji=False: Rich would turn the ":CD:" of a fingerprint into an emoji.
    console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)


def print_lan_banner(setup: LanSetup, code: str, token: str) -> None:
    """Tell the user how to open RetroWalk on the phone: addresses, code, QR code, trust."""
    config = setup.config
    _say(f"LAN mode: on your phone (same network), type the pairing code {code} at one of:")
    for url in config.urls:
        _say(f"  {url}")
    link = pairing_url(config.primary_url, token)
    minutes = round(TOKEN_TTL_S / 60)
    _say(f"or scan this QR code with the phone's camera (it works once, for {minutes} minutes):")
    typer.echo(qr_terminal(link))
    _say(f"  {link}")
    if setup.tls.message:
        _say(f"HTTPS: {setup.tls.message} (in {setup.tls.cert_path.parent}).")
    if config.ca_fingerprint_sha256:
        _say(
            "The phone warns about this computer's certificate until it trusts RetroWalk's CA: "
            f"open {config.primary_url}ca.pem on the phone and install it (the Phone page of "
            "RetroWalk says how), or accept the warning once."
        )
        _say(f"CA fingerprint (SHA-256), check it on the phone: {config.ca_fingerprint_sha256}")
    else:
        _say(f"HTTPS with your certificate {setup.tls.cert_path}.")
    sys.stdout.flush()  # all of it now, also when the output goes to a pipe or a log
