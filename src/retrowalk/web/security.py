"""LAN mode security: pairing code, login sessions, CSRF tokens and the failed-login limit.

Security model (``docs/web.md``):

- By default the server binds to 127.0.0.1 and needs no login. ``retrowalk serve --lan`` binds
  to every interface, prints a new pairing code and stores only its scrypt hash (with a random
  salt) in the ``settings`` table; every page and API call then needs a login.
- A login is a random token in an HttpOnly, SameSite=Strict cookie; the server keeps only the
  token's SHA-256 hash, with an expiry.
- CSRF: a random token in a SameSite=Strict cookie that scripts can read, repeated in a hidden
  form field or the ``X-CSRF-Token`` header (double submit). State-changing requests that come
  from another origin are refused in every mode.
- Failed logins are limited per client address (``LOGIN_ATTEMPTS`` per ``LOGIN_WINDOW_S``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session

from retrowalk.store import models
from retrowalk.timeutil import utcnow
from retrowalk.web.preferences import put_setting

PAIRING_KEY: Final = "auth.pairing"
SESSIONS_KEY: Final = "auth.sessions"
SESSION_COOKIE: Final = "rw_session"
CSRF_COOKIE: Final = "rw_csrf"
CSRF_HEADER: Final = "x-csrf-token"
CSRF_FIELD: Final = "csrf_token"
#: A login lasts 30 days on one device.
SESSION_TTL: Final = timedelta(days=30)
#: At most this many devices stay logged in; the oldest login is dropped first.
MAX_SESSIONS: Final = 20
#: Failed logins allowed per client address within the window, then HTTP 429.
LOGIN_ATTEMPTS: Final = 5
LOGIN_WINDOW_S: Final = 60.0
#: Pairing codes: 10 characters from 32 unambiguous ones (50 bits), shown as XXXXX-XXXXX.
CODE_ALPHABET: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH: Final = 10
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def new_pairing_code() -> str:
    """A new random pairing code, e.g. ``7KQ2M-XW9TD``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(code: str) -> str:
    """Upper case, without spaces and dashes (what the user may type differently)."""
    return "".join(code.split()).replace("-", "").upper()


def hash_code(code: str, salt: bytes | None = None) -> dict[str, Any]:
    """The scrypt hash record of a pairing code (what is stored; never the code)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(normalise_code(code).encode(), salt=salt, dklen=32, **_SCRYPT)
    return {"algorithm": "scrypt", **_SCRYPT, "salt": salt.hex(), "hash": digest.hex()}


def verify_code(code: str, record: dict[str, Any]) -> bool:
    """Whether ``code`` matches a stored hash record (constant-time comparison)."""
    try:
        salt = bytes.fromhex(str(record["salt"]))
        params = {k: int(record[k]) for k in ("n", "r", "p")}
        expected = bytes.fromhex(str(record["hash"]))
    except (KeyError, ValueError):
        return False
    if len(code) > 100:
        return False
    digest = hashlib.scrypt(normalise_code(code).encode(), salt=salt, dklen=32, **params)
    return hmac.compare_digest(digest, expected)


def _get(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(models.Setting, key)
    return None if row is None else dict(row.value)


def store_pairing_code(session: Session, code: str) -> None:
    """Replace the stored pairing code hash (earlier logins stay valid until they expire)."""
    put_setting(session, PAIRING_KEY, {**hash_code(code), "created_at": utcnow().isoformat()})


def check_pairing_code(session: Session, code: str) -> bool:
    """Whether ``code`` is the current pairing code."""
    record = _get(session, PAIRING_KEY)
    return record is not None and verify_code(code, record)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _live_sessions(session: Session, now: datetime) -> list[dict[str, str]]:
    record = _get(session, SESSIONS_KEY) or {}
    out = []
    for item in record.get("sessions", []):
        try:
            if datetime.fromisoformat(item["expires_at"]) > now:
                out.append({"hash": str(item["hash"]), "expires_at": str(item["expires_at"])})
        except (KeyError, TypeError, ValueError):
            continue
    return out


def create_login(session: Session) -> str:
    """Start a login: store the hash of a new random token and return the token (for a cookie)."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    live = _live_sessions(session, now)
    live.append({"hash": _token_hash(token), "expires_at": (now + SESSION_TTL).isoformat()})
    put_setting(session, SESSIONS_KEY, {"sessions": live[-MAX_SESSIONS:]})
    return token


def is_logged_in(session: Session, token: str | None) -> bool:
    """Whether ``token`` belongs to a login that has not expired."""
    if not token or len(token) > 200:
        return False
    wanted = _token_hash(token)
    return any(
        hmac.compare_digest(item["hash"], wanted) for item in _live_sessions(session, utcnow())
    )


def end_login(session: Session, token: str | None) -> None:
    """Forget one login (log out)."""
    if not token:
        return
    wanted = _token_hash(token)
    live = [s for s in _live_sessions(session, utcnow()) if s["hash"] != wanted]
    put_setting(session, SESSIONS_KEY, {"sessions": live})


def new_csrf_token() -> str:
    """A random CSRF token."""
    return secrets.token_urlsafe(24)


def csrf_matches(cookie: str | None, submitted: str | None) -> bool:
    """Double-submit check: the submitted token equals the cookie's."""
    return bool(cookie) and bool(submitted) and hmac.compare_digest(str(cookie), str(submitted))


class LoginRateLimiter:
    """At most ``attempts`` failed logins per client within ``window_s`` seconds."""

    def __init__(
        self,
        attempts: int = LOGIN_ATTEMPTS,
        window_s: float = LOGIN_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts = attempts
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        return failures

    def retry_after_s(self, client: str) -> int | None:
        """Seconds until ``client`` may try again, or ``None`` when it may try now."""
        with self._lock:
            now = self._clock()
            failures = self._recent(client, now)
            if len(failures) < self.attempts:
                return None
            return max(1, int(failures[0] + self.window_s - now + 0.999))

    def record_failure(self, client: str) -> None:
        """Count one failed login (the login route counts each attempt before checking it, so
        that attempts sent in parallel cannot all pass the limit; a success resets)."""
        with self._lock:
            self._recent(client, self._clock()).append(self._clock())

    def reset(self, client: str) -> None:
        """Forget a client's failures (after a successful login)."""
        with self._lock:
            self._failures.pop(client, None)
