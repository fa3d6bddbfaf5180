"""One-time pairing tokens and the QR codes that carry them."""

from __future__ import annotations

import numpy as np
import segno
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.web.pairing import (
    MAX_TOKEN_LENGTH,
    MAX_TOKENS,
    PairingTokens,
    pairing_url,
    qr_svg,
    qr_terminal,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_works_once() -> None:
    tokens = PairingTokens()
    token = tokens.issue()
    assert tokens.redeem(token) is True
    assert tokens.redeem(token) is False


def test_a_token_expires() -> None:
    clock = Clock()
    tokens = PairingTokens(ttl_s=600, clock=clock)
    token = tokens.issue()
    clock.now += 599
    kept = tokens.issue()
    clock.now += 2
    assert tokens.redeem(token) is False
    assert tokens.redeem(kept) is True


def test_only_the_newest_tokens_wait() -> None:
    tokens = PairingTokens()
    issued = [tokens.issue() for _ in range(MAX_TOKENS + 1)]
    assert tokens.redeem(issued[0]) is False
    assert tokens.redeem(issued[-1]) is True


@given(st.text(max_size=MAX_TOKEN_LENGTH + 20))
def test_made_up_tokens_never_pair(guess: str) -> None:
    tokens = PairingTokens()
    tokens.issue()
    assert tokens.redeem(guess) is False


def _decode(matrix: list[list[int]]) -> str:
    image = np.array([[0 if dark else 255 for dark in row] for row in matrix], dtype=np.uint8)
    image = np.kron(image, np.ones((4, 4), dtype=np.uint8))  # a few pixels per module
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found"
    return str(found[0].text)


def test_the_terminal_qr_code_decodes_to_the_pairing_url() -> None:
    url = pairing_url("https://192.168.1.20:8000/", PairingTokens().issue())
    assert url.startswith("https://192.168.1.20:8000/pair?token=")
    lines = qr_terminal(url).splitlines()
    # Back to modules: a full block is two light modules, a space two dark ones.
    top = {"█": (0, 0), "▀": (0, 1), "▄": (1, 0), " ": (1, 1)}
    matrix: list[list[int]] = []
    for line in lines:
        pairs = [top[ch] for ch in line]
        matrix.append([a for a, _ in pairs])
        matrix.append([b for _, b in pairs])
    assert _decode(matrix) == url


def test_the_page_qr_code_is_an_inline_svg_of_the_url() -> None:
    url = "https://192.168.1.20:8000/pair?token=abc"
    svg = qr_svg(url)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    expected = [list(row) for row in segno.make(url, error="m").matrix_iter(border=4)]
    assert _decode(expected) == url
