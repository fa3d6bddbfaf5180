"""``serve --lan`` helpers: the served addresses, the certificate and the banner."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrowalk.cli import phone
from retrowalk.cli.app import run
from retrowalk.cli.render import console
from retrowalk.errors import InvalidInputError
from retrowalk.web.lan import lan_addresses
from retrowalk.web.tls import SERVER_KEY, covered_names, default_tls_dir, ensure_certificates


@pytest.fixture
def taken_port() -> Iterator[str]:
    """A port already in use: should a check let ``serve`` go on, it stops there (not serving)."""
    taken = socket.socket()
    taken.bind(("127.0.0.2", 0))
    taken.listen(1)
    yield str(taken.getsockname()[1])
    taken.close()


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


def test_a_new_address_remakes_the_certificate_and_the_banner_says_so(tmp_path: Path) -> None:
    first = phone.lan_setup("127.0.0.2", 8443, None, None, tmp_path)
    moved = phone.lan_setup("127.0.0.3", 8443, None, None, tmp_path)
    assert moved.tls.ca_fingerprint_sha256 == first.tls.ca_fingerprint_sha256
    with console.capture() as captured:
        phone.print_lan_banner(moved, "ABCDE-23456", "tok")
    text = captured.get()
    assert "HTTPS: the HTTPS certificate was made for" in text
    assert "127.0.0.3: made a new one" in text
    assert "the CA is the same" in text
    again = phone.lan_setup("127.0.0.3", 8443, None, None, tmp_path)
    assert again.tls.message is None  # reused at the next start


def test_the_users_own_certificate_names_are_served(tmp_path: Path) -> None:
    made = ensure_certificates(("walker.home.arpa", "192.168.1.20"), tmp_path / "own")
    setup = phone.lan_setup("127.0.0.2", 8443, made.cert_path, made.key_path, tmp_path)
    assert setup.config.ca_fingerprint_sha256 is None
    assert "walker.home.arpa" in setup.config.allowed_hosts()
    assert "192.168.1.20" not in setup.config.names  # addresses are not names
    with console.capture() as captured:
        phone.print_lan_banner(setup, "ABCDE-23456", "tok")
    assert f"HTTPS with your certificate {made.cert_path}" in captured.get()


def test_serve_lan_with_a_key_others_can_read_stops_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], taken_port: str
) -> None:
    made = ensure_certificates(("127.0.0.2",), tmp_path / "own")
    os.chmod(made.key_path, 0o644)
    argv = ["serve", "--lan", "--host", "127.0.0.2", "--port", taken_port]
    assert run([*argv, "--cert", str(made.cert_path), "--key", str(made.key_path)]) == 2
    out, err = capsys.readouterr()
    assert "running at" not in out
    assert len(err.strip().splitlines()) == 1
    assert f"can be read by other users (mode 0644); run: chmod 600 {made.key_path}" in err


def test_serve_lan_with_a_missing_key_stops_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], taken_port: str
) -> None:
    made = ensure_certificates(("127.0.0.2",), tmp_path / "own")
    missing = tmp_path / "nowhere.pem"
    argv = ["serve", "--lan", "--host", "127.0.0.2", "--port", taken_port]
    assert run([*argv, "--cert", str(made.cert_path), "--key", str(missing)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"key file {missing} does not exist" in err


def test_a_stored_key_others_can_read_stops_serve_lan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], taken_port: str
) -> None:
    phone.lan_setup("127.0.0.2", 8443, None, None)  # in the user data folder (tests: tmp_path)
    key = default_tls_dir() / SERVER_KEY
    os.chmod(key, 0o640)
    assert run(["serve", "--lan", "--host", "127.0.0.2", "--port", taken_port]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"run: chmod 600 {key}" in err


def test_cert_and_key_need_lan_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["serve", "--cert", str(tmp_path / "c.pem"), "--key", str(tmp_path / "k.pem")]) == 2
    err = capsys.readouterr().err
    assert "--cert/--key" in err
    assert "only with --lan" in err


def test_a_fingerprint_is_printed_verbatim(tmp_path: Path) -> None:
    # Rich reads ":cd:" as an emoji; a fingerprint holds such pairs of hex digits.
    setup = phone.lan_setup("127.0.0.2", 8443, None, None, tmp_path)
    fingerprint = "AB:CD:EF:" + ":".join(["CD"] * 29)
    config = dataclasses.replace(setup.config, ca_fingerprint_sha256=fingerprint)
    with console.capture() as captured:
        phone.print_lan_banner(dataclasses.replace(setup, config=config), "ABCDE-23456", "tok")
    assert fingerprint in captured.get()
