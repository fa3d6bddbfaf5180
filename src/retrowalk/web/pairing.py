"""One-time pairing tokens and the QR code that carries one to the phone.

A token is a random 32-byte string in the pairing URL (``/pair?token=…``). The server keeps only
its SHA-256 hash and when it expires; redeeming it removes it, so it works once. Tokens live in
the server's memory: stopping the server forgets them (the pairing code still works).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from typing import Final
from urllib.parse import urlencode

import segno

#: A pairing token works for 10 minutes: long enough to pick up the phone and scan it.
TOKEN_TTL_S: Final = 600.0
#: At most this many tokens wait at once (each page view of /phone makes one).
MAX_TOKENS: Final = 20
#: Tokens longer than this are refused before hashing.
MAX_TOKEN_LENGTH: Final = 100


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PairingTokens:
    """One-time tokens that expire after ``ttl_s`` seconds."""

    def __init__(
        self, ttl_s: float = TOKEN_TTL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._expiry: dict[str, float] = {}  # token hash -> expiry time
        self._lock = threading.Lock()

    def _drop_expired(self, now: float) -> None:
        for key in [k for k, expiry in self._expiry.items() if expiry <= now]:
            del self._expiry[key]

    def issue(self) -> str:
        """A new token (the oldest waiting one is dropped past :data:`MAX_TOKENS`)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            while len(self._expiry) >= MAX_TOKENS:
                del self._expiry[next(iter(self._expiry))]
            self._expiry[_hash(token)] = now + self.ttl_s
        return token

    def redeem(self, token: str | None) -> bool:
        """Whether ``token`` is valid now; a valid token is used up."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return False
        wanted = _hash(token)
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            for key in self._expiry:
                if hmac.compare_digest(key, wanted):
                    del self._expiry[key]
                    return True
        return False


def pairing_url(base_url: str, token: str) -> str:
    """The URL that logs a device in with ``token`` (``base_url`` ends with ``/``)."""
    return f"{base_url}pair?{urlencode({'token': token})}"


def qr_svg(url: str) -> str:
    """An SVG QR code for ``url`` (no XML declaration, for inlining in a page)."""
    qr = segno.make(url, error="m", micro=False)
    svg: str = qr.svg_inline(scale=6, dark="#000", light="#fff", border=4, title="Pairing code")
    return svg


def qr_terminal(url: str) -> str:
    """``url`` as a QR code of block characters for a terminal (dark modules on light)."""
    qr = segno.make(url, error="l", micro=False)
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    # Two rows per line with half blocks; a light module is a block (terminals are often dark).
    glyph = {(0, 0): "█", (0, 1): "▀", (1, 0): "▄", (1, 1): " "}
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        lines.append("".join(glyph[(bool(a), bool(b))] for a, b in zip(top, bottom, strict=True)))
    return "\n".join(lines)
