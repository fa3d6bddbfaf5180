"""HTTPS for LAN mode: a private certificate authority and a server certificate.

On first use :func:`ensure_certificates` makes a CA (kept for years, so a phone trusts it once)
and a server certificate it signs for this machine's addresses and names. Both live in
``<user data folder>/tls`` with the private keys readable by their owner only (0600) and are
reused on the next start. When the addresses changed (another network), only the server
certificate is made again, with a message saying why; the CA and the phone's trust stay.

The limits follow what phones accept for a certificate signed by a CA a user installed:
Apple's "Requirements for trusted certificates in iOS 13 and macOS 10.15"
(https://support.apple.com/en-us/103769): subject alternative names, the serverAuth extended
key usage, and at most 825 days of validity.
"""

from __future__ import annotations

import ipaddress
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from retrowalk.config import default_data_dir
from retrowalk.errors import RetroWalkError
from retrowalk.timeutil import utcnow

CA_CERT: Final = "retrowalk-ca.pem"
CA_KEY: Final = "retrowalk-ca-key.pem"
SERVER_CERT: Final = "server.pem"
SERVER_KEY: Final = "server-key.pem"
#: The CA lasts ten years: the phone trusts it once.
CA_VALIDITY: Final = timedelta(days=3650)
#: Apple's limit for certificates signed by a user-installed CA is 825 days (see the module).
SERVER_VALIDITY: Final = timedelta(days=825)
#: A server certificate that ends sooner than this is made again.
RENEW_BEFORE: Final = timedelta(days=30)
KEY_MODE: Final = 0o600


class TlsError(RetroWalkError):
    """A certificate or key that cannot be used; the message says what to do."""


@dataclass(frozen=True)
class TlsFiles:
    """The files uvicorn serves HTTPS with, and what to tell the user.

    Attributes
    ----------
    cert_path, key_path
        Server certificate (chain) and private key.
    ca_cert_path
        The CA certificate to install on the phone (``None`` for the user's own certificate).
    ca_fingerprint_sha256
        SHA-256 of the CA certificate (DER), as ``AB:CD:…`` (``None`` for the user's own).
    message
        Why the server certificate was (re)made, or ``None`` when the stored one was reused.
    """

    cert_path: Path
    key_path: Path
    ca_cert_path: Path | None
    ca_fingerprint_sha256: str | None
    message: str | None = None


def default_tls_dir() -> Path:
    """``<user data folder>/tls``."""
    return default_data_dir() / "tls"


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint of a certificate, as colon-separated upper-case hex."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def check_key_file(path: Path) -> None:
    """Refuse a private key file that others may read, or that cannot be read.

    Raises
    ------
    TlsError
        With the ``chmod`` command that fixes it.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        raise TlsError(f"key file {path} does not exist") from None
    except PermissionError:  # a folder on the way this user may not enter
        raise TlsError(f"key file {path} cannot be read: a folder on its path is closed") from None
    if os.name == "posix" and mode & 0o077:
        raise TlsError(
            f"key file {path} can be read by other users (mode {mode:04o}); run: chmod 600 {path}"
        )
    if not os.access(path, os.R_OK):
        raise TlsError(f"key file {path} cannot be read (mode {mode:04o}); run: chmod 600 {path}")


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` created with ``mode`` (never world-readable in between)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    check_key_file(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TlsError(f"key file {path} is not an elliptic-curve key made by RetroWalk")
    return key


def _san_entries(names: Sequence[str]) -> list[x509.GeneralName]:
    entries: list[x509.GeneralName] = []
    for name in dict.fromkeys(names):
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return entries


def covered_names(cert: x509.Certificate) -> set[str]:
    """The addresses and DNS names a certificate is valid for."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    ips = {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return ips | set(san.get_values_for_type(x509.DNSName))


def certificate_names(path: Path) -> set[str]:
    """The DNS names (not addresses) the PEM certificate at ``path`` is valid for."""
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    return {n for n in covered_names(cert) if not _is_address(n)}


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _make_ca(directory: Path, now: datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "RetroWalk"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"RetroWalk local CA {now:%Y-%m-%d}"),
        ]
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(directory / CA_KEY, _key_pem(key), KEY_MODE)
    _write(directory / CA_CERT, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return cert, key


def _make_server(
    directory: Path,
    names: Sequence[str],
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    now: datetime,
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + SERVER_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.SubjectAlternativeName(_san_entries(names)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write(directory / SERVER_KEY, _key_pem(key), KEY_MODE)
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(
        serialization.Encoding.PEM
    )
    _write(directory / SERVER_CERT, chain, 0o644)


def _stored_ca(
    directory: Path, now: datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    cert_path, key_path = directory / CA_CERT, directory / CA_KEY
    if not (cert_path.exists() and key_path.exists()):
        return None
    key = _load_key(key_path)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    if cert.not_valid_after_utc - RENEW_BEFORE < now:
        return None
    return cert, key


def _server_problem(
    directory: Path, names: Sequence[str], ca: x509.Certificate, now: datetime
) -> str | None:
    """Why the stored server certificate cannot be reused, or ``None`` when it can."""
    cert_path, key_path = directory / SERVER_CERT, directory / SERVER_KEY
    if not (cert_path.exists() and key_path.exists()):
        return "made an HTTPS certificate for this computer"
    check_key_file(key_path)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    if cert.issuer != ca.subject:
        return "made a new HTTPS certificate (the stored one was not signed by this CA)"
    if cert.not_valid_after_utc - RENEW_BEFORE < now:
        return "made a new HTTPS certificate (the stored one was about to expire)"
    have = covered_names(cert)
    missing = [n for n in names if n not in have]
    if missing:
        return (
            f"the HTTPS certificate was made for {', '.join(sorted(have)) or 'no address'}, "
            f"but this computer is now also {', '.join(missing)}: made a new one "
            f"(the CA is the same, so a phone that trusts it still does)"
        )
    return None


def ensure_certificates(
    names: Sequence[str], directory: Path | None = None, *, now: datetime | None = None
) -> TlsFiles:
    """The CA and server certificate for ``names``, made when missing or no longer valid.

    Parameters
    ----------
    names
        Addresses and host names the server certificate must cover (first: its common name).
    directory
        Where the files live (default :func:`default_tls_dir`).
    now
        The current time (tests).

    Raises
    ------
    TlsError
        A stored key file others may read, or one that cannot be read.
    """
    if not names:
        raise TlsError("no address to make an HTTPS certificate for")
    directory = directory or default_tls_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = now or utcnow()
    message = None
    stored = _stored_ca(directory, now)
    if stored is None:
        ca_cert, ca_key = _make_ca(directory, now)
        message = "made a private certificate authority (CA) for RetroWalk"
        (directory / SERVER_CERT).unlink(missing_ok=True)
    else:
        ca_cert, ca_key = stored
    problem = _server_problem(directory, names, ca_cert, now)
    if problem is not None:
        _make_server(directory, names, ca_cert, ca_key, now)
        message = problem if message is None else f"{message}; {problem}"
    return TlsFiles(
        cert_path=directory / SERVER_CERT,
        key_path=directory / SERVER_KEY,
        ca_cert_path=directory / CA_CERT,
        ca_fingerprint_sha256=fingerprint(ca_cert),
        message=message,
    )


def user_certificate(cert_path: Path, key_path: Path) -> TlsFiles:
    """The user's own certificate and key (``--cert``/``--key``), checked before serving.

    Raises
    ------
    TlsError
        A missing or unreadable file, a key others may read, or a file that is not PEM.
    """
    check_key_file(key_path)
    try:
        x509.load_pem_x509_certificate(cert_path.read_bytes())
    except FileNotFoundError:
        raise TlsError(f"certificate file {cert_path} does not exist") from None
    except ValueError:
        raise TlsError(f"certificate file {cert_path} is not a PEM certificate") from None
    return TlsFiles(cert_path, key_path, ca_cert_path=None, ca_fingerprint_sha256=None)
