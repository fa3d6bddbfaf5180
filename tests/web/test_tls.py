"""The private CA and server certificate: made once, reused, remade when the address changes."""

from __future__ import annotations

import contextlib
import os
import ssl
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509

from retrowalk.timeutil import utcnow
from retrowalk.web.tls import (
    CA_CERT,
    CA_KEY,
    RENEW_BEFORE,
    SERVER_CERT,
    SERVER_KEY,
    SERVER_VALIDITY,
    TlsError,
    check_key_file,
    covered_names,
    ensure_certificates,
    fingerprint,
    user_certificate,
)

#: The user id of ``nobody`` on Linux.
NOBODY = 65534
NAMES = ("192.168.1.20", "walker-laptop", "walker-laptop.local", "localhost", "127.0.0.1")


def _server_cert(directory: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate((directory / SERVER_CERT).read_bytes())


def test_first_use_makes_a_ca_and_a_certificate_with_private_keys(tmp_path: Path) -> None:
    files = ensure_certificates(NAMES, tmp_path / "tls")
    directory = tmp_path / "tls"
    assert files.message is not None
    assert "certificate authority" in files.message
    for key in (CA_KEY, SERVER_KEY):
        assert (directory / key).stat().st_mode & 0o777 == 0o600
    assert directory.stat().st_mode & 0o777 == 0o700
    cert = _server_cert(directory)
    assert covered_names(cert) == set(NAMES)
    ca = x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes())
    assert files.ca_fingerprint_sha256 == fingerprint(ca)
    assert cert.issuer == ca.subject
    assert cert.not_valid_after_utc - cert.not_valid_before_utc <= SERVER_VALIDITY + timedelta(
        minutes=5
    )
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in usage
    # The standard library's TLS (what uvicorn uses) loads the pair and trusts the chain.
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(files.cert_path, files.key_path)
    verifier = ssl.create_default_context(cafile=str(files.ca_cert_path))
    assert verifier.cert_store_stats()["x509_ca"] == 1


def test_the_next_start_reuses_both(tmp_path: Path) -> None:
    first = ensure_certificates(NAMES, tmp_path)
    before = (tmp_path / SERVER_CERT).read_bytes()
    again = ensure_certificates(NAMES, tmp_path)
    assert again.message is None
    assert again.ca_fingerprint_sha256 == first.ca_fingerprint_sha256
    assert (tmp_path / SERVER_CERT).read_bytes() == before
    # A subset of the names (one network left) needs no new certificate either.
    assert ensure_certificates(NAMES[1:], tmp_path).message is None


def test_a_new_address_remakes_the_server_certificate_with_a_clear_message(
    tmp_path: Path,
) -> None:
    first = ensure_certificates(NAMES, tmp_path)
    moved = ("10.0.0.7", *NAMES[1:])
    files = ensure_certificates(moved, tmp_path)
    assert files.message is not None
    assert "10.0.0.7" in files.message
    assert "192.168.1.20" in files.message
    assert "made a new one" in files.message
    assert "CA is the same" in files.message
    assert files.ca_fingerprint_sha256 == first.ca_fingerprint_sha256  # the phone's trust stays
    assert "10.0.0.7" in covered_names(_server_cert(tmp_path))


def test_an_expiring_certificate_is_remade(tmp_path: Path) -> None:
    ensure_certificates(NAMES, tmp_path)
    later = utcnow() + SERVER_VALIDITY - RENEW_BEFORE + timedelta(days=1)
    files = ensure_certificates(NAMES, tmp_path, now=later)
    assert files.message is not None
    assert "expire" in files.message
    assert _server_cert(tmp_path).not_valid_after_utc > later + RENEW_BEFORE


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("key", [CA_KEY, SERVER_KEY])
def test_a_key_others_can_read_is_refused_with_the_fix(tmp_path: Path, key: str) -> None:
    ensure_certificates(NAMES, tmp_path)
    os.chmod(tmp_path / key, 0o644)
    with pytest.raises(TlsError, match=r"can be read by other users \(mode 0644\); run: chmod 600"):
        ensure_certificates(NAMES, tmp_path)


@contextlib.contextmanager
def as_another_user() -> Iterator[None]:
    """Run the block as user ``nobody`` when the tests run as root (root reads any file); the
    saved user id stays root's, so the block's end can switch back."""
    if os.geteuid() != 0:
        yield
        return
    os.setresgid(NOBODY, NOBODY, 0)
    os.setresuid(NOBODY, NOBODY, 0)
    try:
        yield
    finally:
        os.setresuid(0, 0, 0)
        os.setresgid(0, 0, 0)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_an_unreadable_key_is_refused(tmp_path: Path) -> None:
    made = ensure_certificates(NAMES, tmp_path)
    os.chmod(made.key_path, 0o000)
    with as_another_user(), pytest.raises(TlsError, match="cannot be read"):
        check_key_file(made.key_path)


def test_the_users_own_certificate_is_checked(tmp_path: Path) -> None:
    made = ensure_certificates(NAMES, tmp_path / "own")
    files = user_certificate(made.cert_path, made.key_path)
    assert files.ca_fingerprint_sha256 is None
    assert files.ca_cert_path is None
    with pytest.raises(TlsError, match="does not exist"):
        user_certificate(tmp_path / "missing.pem", made.key_path)
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("hello")
    with pytest.raises(TlsError, match="not a PEM certificate"):
        user_certificate(not_pem, made.key_path)
    os.chmod(made.key_path, 0o640)
    with pytest.raises(TlsError, match="chmod 600"):
        user_certificate(made.cert_path, made.key_path)


def test_no_names_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TlsError, match="no address"):
        ensure_certificates((), tmp_path)
