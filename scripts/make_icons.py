"""Render the app icons (PNG) for the web manifest from static/icon.svg with headless Chromium.

Run after changing icon.svg: ``.venv/bin/python scripts/make_icons.py``. Writes icon-192.png,
icon-512.png and icon-maskable-512.png (the icon inside the safe zone of a full-bleed square)
next to icon.svg. The PNG files are committed, so neither a build nor a test needs a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "retrowalk" / "web" / "static"
sys.path.insert(0, str(ROOT))
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (one list of flags)


def page_html(svg: str, size: int, maskable: bool) -> str:
    inner = int(size * 0.8) if maskable else size  # maskable: 80 % safe zone
    background = "#0b5d4b" if maskable else "transparent"
    sized = svg.replace("<svg ", f'<svg width="{inner}" height="{inner}" ', 1)
    return (
        f"<html><body style='margin:0;width:{size}px;height:{size}px;background:{background};"
        f"display:flex;align-items:center;justify-content:center'>"
        f"<div style='width:{inner}px;height:{inner}px'>"
        f"{sized}</div>"
        f"</body></html>"
    )


def main() -> None:
    svg = (STATIC / "icon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, size, maskable in (
            ("icon-192.png", 192, False),
            ("icon-512.png", 512, False),
            ("icon-maskable-512.png", 512, True),
        ):
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(page_html(svg, size, maskable))
            page.screenshot(path=str(STATIC / name), omit_background=not maskable)
            page.close()
            print(f"wrote {STATIC / name}")
        browser.close()


if __name__ == "__main__":
    main()
