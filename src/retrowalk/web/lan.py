"""What the server is reachable as: its LAN addresses, host names and URLs (one place).

``retrowalk serve`` builds one :class:`ServeConfig` and the app keeps it as
``app.state.serve``: the certificate covers :attr:`ServeConfig.host_names`, the terminal and the
phone page print :attr:`ServeConfig.urls`, and a Host header allow-list can use
:meth:`ServeConfig.allowed_hosts`.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import psutil

#: Phone mode paths reachable without a login in LAN mode (pairing link, CA, manifest).
PHONE_PUBLIC_PATHS: Final = frozenset({"/pair", "/ca.pem", "/manifest.webmanifest"})
#: Names that always reach this machine from itself.
LOCAL_NAMES: Final = ("localhost", "127.0.0.1", "::1")


def _is_lan(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not (
        address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
    )


def lan_addresses() -> tuple[str, ...]:
    """Every address of this machine's network interfaces that another device can reach.

    Loopback, link-local (``169.254.x.x``, ``fe80::``) and unspecified addresses are left out;
    IPv4 addresses come first (phones type and scan them more easily).
    """
    found: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
    for entries in psutil.net_if_addrs().values():
        for entry in entries:
            if entry.family not in (socket.AF_INET, socket.AF_INET6):
                continue
            try:
                address = ipaddress.ip_address(entry.address.split("%")[0])
            except ValueError:
                continue
            if _is_lan(address):
                found.add(address)
    ordered = sorted(found, key=lambda a: (a.version, int(a)))
    return tuple(str(a) for a in ordered)


def host_name() -> str:
    """This machine's host name, as the local network may know it (``name.local`` by mDNS)."""
    return socket.gethostname().strip().lower()


def url_host(host: str) -> str:
    """``host`` as written in a URL (IPv6 addresses in brackets)."""
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


@dataclass(frozen=True)
class ServeConfig:
    """How the running server is reached.

    Attributes
    ----------
    scheme
        ``"https"`` in LAN mode, else ``"http"``.
    port
        The TCP port.
    addresses
        The addresses the server is reachable on, in the order they are shown (first: the one
        for the QR code).
    names
        Host names the certificate also covers (the machine's name and ``name.local``).
    ca_fingerprint_sha256
        SHA-256 fingerprint of the CA certificate the phone should trust (``AB:CD:…``), or
        ``None`` when the user gave their own certificate or the server speaks plain HTTP.
    ca_cert_path
        The CA certificate file served at ``/ca.pem`` (``None`` as for the fingerprint).
    """

    scheme: str = "http"
    port: int = 8000
    addresses: tuple[str, ...] = ("127.0.0.1",)
    names: tuple[str, ...] = ()
    ca_fingerprint_sha256: str | None = None
    ca_cert_path: Path | None = None

    @property
    def urls(self) -> tuple[str, ...]:
        """One URL per address, e.g. ``https://192.168.1.20:8000/``."""
        return tuple(f"{self.scheme}://{url_host(a)}:{self.port}/" for a in self.addresses)

    @property
    def primary_url(self) -> str:
        """The URL a phone should open (the first address)."""
        return self.urls[0]

    def allowed_hosts(self) -> frozenset[str]:
        """Every host name or address a request may name in its Host header."""
        return frozenset((*self.addresses, *self.names, *LOCAL_NAMES))
