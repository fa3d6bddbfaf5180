"""Phone mode as a user would: HTTPS on a non-loopback-looking address, QR pairing, the app
installed, a session run offline with the server stopped, and the log synced when it is back.

The address is 127.0.0.2, a second address of this machine (Linux routes all of 127.0.0.0/8 to
the loopback interface), never another host. Chromium trusts exactly the server certificate the
app made (``--ignore-certificate-errors-spki-list`` with its public key's SHA-256), and the test
checks that this certificate chains to the CA whose fingerprint the terminal printed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import ssl
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, PROFILE, shot
from tests.e2e.server import Server, free_port, start_server, stop_server

pytestmark = pytest.mark.e2e

HOST = "127.0.0.2"
QR_MODULES = {"█": (0, 0), "▀": (0, 1), "▄": (1, 0), " ": (1, 1)}


def read_banner(process: subprocess.Popen[bytes]) -> dict[str, Any]:
    """The pairing code, link, fingerprint and terminal QR code that ``serve --lan`` printed."""
    assert process.stdout is not None
    found: dict[str, Any] = {"qr": []}
    for _ in range(80):
        line = process.stdout.readline().decode()
        if code := re.search(r"pairing code ([2-9A-Z]{5}-[2-9A-Z]{5})", line):
            found["code"] = code.group(1)
        elif link := re.search(r"(https://\S+/pair\?token=\S+)", line):
            found["link"] = link.group(1)
        elif line.strip() and set(line.rstrip("\n")) <= set(QR_MODULES):
            found["qr"].append(line.rstrip("\n"))
        elif fingerprint := re.search(r"fingerprint \(SHA-256\).*: ([0-9A-F:]{95})", line):
            found["fingerprint"] = fingerprint.group(1)
            return found
    raise AssertionError(f"banner incomplete: {found}")


def decode_terminal_qr(lines: list[str]) -> str:
    import numpy as np
    import zxingcpp

    rows: list[list[int]] = []
    for line in lines:
        pairs = [QR_MODULES[ch] for ch in line]
        rows += [[255 * (1 - a) for a, _ in pairs], [255 * (1 - b) for _, b in pairs]]
    image = np.kron(np.array(rows, dtype=np.uint8), np.ones((4, 4), dtype=np.uint8))
    found = zxingcpp.read_barcodes(image)
    assert found, "the terminal QR code does not decode"
    return str(found[0].text)


def decode_screenshot_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found, "the QR code on the Phone page does not decode"
    return str(found[0].text)


def spki_sha256(cert_pem: bytes) -> str:
    cert = x509.load_pem_x509_certificate(cert_pem)
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def in_page(page: Any, method: str, url: str, body: Any = None) -> Any:
    """An API call from the page itself (its cookies and CSRF token), as the app's scripts do."""
    return page.evaluate(
        """async ([method, url, body]) => {
            const r = await RetroWalk.api(method, url, body === null ? undefined : body);
            return { status: r.status, body: await r.json() };
        }""",
        [method, url, body],
    )


def test_phone_pairs_by_qr_installs_and_walks_offline(tmp_path: Path, browser: Any) -> None:
    port = free_port()
    server = start_server(tmp_path, "--lan", "--host", HOST, scheme="https", host=HOST, port=port)
    try:
        # A browser of its own (it trusts this server's key), from the suite's Playwright.
        walk_with_the_phone(tmp_path, server, port, browser.browser_type)
    finally:
        if server.process.poll() is None:
            stop_server(server)


def walk_with_the_phone(tmp_path: Path, server: Server | None, port: int, chromium: Any) -> None:
    assert server is not None
    lan = ("--lan", "--host", HOST)
    banner = read_banner(server.process)
    tls_dir = tmp_path / "data" / "retrowalk" / "tls"
    ca_pem = (tls_dir / "retrowalk-ca.pem").read_bytes()
    ca = x509.load_pem_x509_certificate(ca_pem)
    # The printed fingerprint is the CA's, and the server's certificate chains to that CA.
    assert banner["fingerprint"] == ca.fingerprint(hashes.SHA256()).hex(":").upper()
    trusting = ssl.create_default_context(cafile=str(tls_dir / "retrowalk-ca.pem"))
    assert httpx.get(f"{server.url}/ca.pem", verify=trusting).content == ca_pem
    # The terminal QR code carries the printed link.
    assert decode_terminal_qr(banner["qr"]) == banner["link"]
    assert banner["link"].startswith(f"https://{HOST}:{port}/pair?token=")

    pin = spki_sha256((tls_dir / "server.pem").read_bytes())
    args = [*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={pin}"]
    browser = chromium.launch(executable_path=str(CHROMIUM), args=args)
    try:
        # The computer: pairs with the terminal's link, then shows a QR code for the phone.
        desktop = browser.new_context(viewport={"width": 1280, "height": 900})
        desk = desktop.new_page()
        desk.goto(banner["link"])
        desk.wait_for_url("**/onboarding")
        desk.goto(f"{server.url}/phone")
        assert banner["fingerprint"] in desk.locator("#ca-fingerprint").inner_text()
        shot(desk, "50-phone-page-desktop")
        link = decode_screenshot_qr(desk.locator("#pair-qr").screenshot())
        assert link.startswith(f"https://{HOST}:{port}/pair?token=")

        phone = browser.new_context(
            viewport=PHONE, device_scale_factor=2, has_touch=True, bypass_csp=True
        )
        phone.set_default_timeout(20_000)
        page = phone.new_page()
        # The terminal's link was used by the computer: it does not work twice.
        page.goto(banner["link"])
        assert "expired or was already used" in page.locator(".error").inner_text()
        page.goto(link)  # the phone scans the QR code
        page.wait_for_url("**/onboarding")
        assert page.evaluate("window.isSecureContext") is True
        page.wait_for_function(
            "navigator.serviceWorker.ready.then(r => r.active !== null)", timeout=20_000
        )
        cdp = phone.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        # Chromium would offer to install the app; Playwright's contexts are incognito
        # ones, where Chromium never installs apps, whatever the page.
        assert [e for e in errors if e["errorId"] != "in-incognito"] == [], errors
        manifest = cdp.send("Page.getAppManifest")
        assert '"start_url": "/today"' in manifest["data"]

        assert in_page(page, "PUT", "/api/profile", PROFILE)["status"] == 200
        assert in_page(page, "POST", "/api/plans", {"weeks": 4})["status"] == 201
        session_id = in_page(page, "GET", "/api/today")["body"]["session"]["id"]
        page.goto(f"{server.url}/today")
        player = f"{server.url}/player/{session_id}?clock=fast&rate=200"
        page.goto(player)
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.reload()  # this visit goes through the service worker, which keeps the page
        for name in ("secure", "wake-lock", "speech", "vibration", "motion"):
            item = page.locator(f"#capability-list li[data-capability={name}]")
            assert item.get_attribute("data-ok") == "true", name
        assert page.locator("#capabilities").is_hidden()  # nothing to warn about

        stop_server(server)  # the computer goes away
        server = None
        page.reload()  # from the service worker's copy
        page.wait_for_selector("#btn-start")
        for box in page.locator("input.check").all():
            box.check()  # the walker confirms each safety check before Start
        page.click("#btn-start")
        page.wait_for_selector("#player[data-awake=true]")  # the screen is kept on
        page.wait_for_selector("#log:not([hidden])", timeout=60_000)
        page.fill("#rpe", "12")
        page.click("#btn-save")
        page.wait_for_selector("#player[data-synced=false]")
        shot(page, "51-phone-offline-saved")

        server = start_server(tmp_path, *lan, scheme="https", host=HOST, port=port)
        page.wait_for_selector("#player[data-synced=true]", timeout=30_000)
        shot(page, "52-phone-synced")
        logs = in_page(page, "GET", "/api/logs")["body"]
        assert len(logs) == 1
        assert logs[0]["status"] == "completed"
        # The same CA and certificate were reused on the second start.
        assert (tls_dir / "retrowalk-ca.pem").read_bytes() == ca_pem
        assert spki_sha256((tls_dir / "server.pem").read_bytes()) == pin
    finally:
        browser.close()
        if server is not None:
            stop_server(server)
