"""``serve --lan`` helpers: the served addresses, the certificate and the banner."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from retrowalk.cli import phone
from retrowalk.cli.render import console
from retrowalk.errors import InvalidInputError
from retrowalk.web.lan import lan_addresses
from retrowalk.web.tls import covered_names


def test_lan_addresses_are_reachable_ones() -> None:
    for text in lan_addresses():
        address = ipaddress.ip_address(text)
        assert not (address.is_loopback)
        assert not (address.is_link_local)
        assert not (address.is_unspecified)


def test_a_bound_address_is_the_one_served() -> None:
    assert phone.served_addresses("127.0.0.2") == ("127.0.0.2",)
    assert phone.served_addresses("0.0.0.0") == (lan_addresses() or ("127.0.0.1",))


def test_setup_makes_a_certificate_for_the_addresses_and_names(tmp_path: Path) -> None:
    setup = phone.lan_setup("127.0.0.2", 8443, None, None, tmp_path)
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(setup.tls.cert_path.read_bytes())
    names = covered_names(cert)
    assert {"127.0.0.2", "localhost", "127.0.0.1", *phone.machine_names()} <= names
    assert setup.config.primary_url == "https://127.0.0.2:8443/"
    assert setup.config.ca_fingerprint_sha256 == setup.tls.ca_fingerprint_sha256


def test_cert_without_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="--cert/--key"):
        phone.lan_setup("127.0.0.2", 8443, tmp_path / "c.pem", None, tmp_path)


def test_the_banner_has_the_code_addresses_link_and_fingerprint(tmp_path: Path) -> None:
    setup = phone.lan_setup("127.0.0.2", 8443, None, None, tmp_path)
    with console.capture() as captured:
        phone.print_lan_banner(setup, "ABCDE-23456", "tok")
    text = captured.get()
    assert "pairing code ABCDE-23456" in text
    assert "https://127.0.0.2:8443/pair?token=tok" in text
    assert str(setup.config.ca_fingerprint_sha256) in text
    assert "ca.pem" in text
