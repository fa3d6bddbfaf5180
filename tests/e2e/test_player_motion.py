"""The player records motion (with consent) and uploads it after a network loss and a reload.

Real headless Chromium; ``devicemotion`` events are dispatched from the samples of a real Oxford
Step Counter recording (phone in the hand, forward walking), played at the player's test clock
rate. The "backward" part of the quick session was in truth walked forward in that recording.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from retrowalk.motion import analyze
from retrowalk.motion.datasets import oxford_validation
from tests.e2e.conftest import onboard_via_api, shot
from tests.e2e.server import Server

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[2] / "data" / "oxford-step-counter" / "validation"
RATE = 2
FEED = """([t, acc, rate]) => {
  const t0 = performance.now();
  let i = 0;
  window.__feed = setInterval(() => {
    const now = (performance.now() - t0) * rate;
    while (i < t.length - 1 && t[i + 1] <= now) i++;
    if (i >= t.length - 1) { clearInterval(window.__feed); return; }
    const [x, y, z] = acc[i];
    window.dispatchEvent(new DeviceMotionEvent("devicemotion", {
      accelerationIncludingGravity: { x, y, z },
      rotationRate: { alpha: 0, beta: 0, gamma: 0 },
      interval: 10,
    }));
  }, 8);
}"""


def test_motion_is_recorded_and_uploaded_after_a_network_loss_and_a_reload(
    server: Server, phone: Any
) -> None:
    oxford = oxford_validation(DATA / "user2_hand_1506421987098.csv.gz").recording
    keep = oxford.time_s < 90.0
    t_ms = (oxford.time_s[keep] * 1000).round(1).tolist()
    acc = oxford.acc_m_s2[keep].round(3).tolist()
    onboard_via_api(server)
    page = phone.new_page()
    page.goto(server.url + "/today")
    page.fill("#quick_spec", "20s fwd, 20s back, 20s fwd")
    page.select_option("#quick-environment", "open_room")
    page.click("#quick-start")
    page.wait_for_url("**/player/quick/**")
    log_id = page.url.rsplit("/", 1)[1]
    page.goto(page.url + f"?clock=fast&rate={RATE}")
    assert "kept with the session" in page.locator("#motion-text").inner_text()
    page.click("#motion-yes")
    # The answer is stored after the permission request resolves (asynchronous on every browser).
    page.wait_for_function(
        "document.getElementById('motion-text').textContent"
        " === 'Recording your steps during sessions.'"
    )
    for box in page.locator("input.check").all():
        box.check()
    page.click("#btn-start")
    page.evaluate(FEED, [t_ms, acc, RATE])
    page.wait_for_selector("#log:not([hidden])", timeout=60_000)
    phone.set_offline(True)
    page.fill("#rpe", "11")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=false]")
    chunks = page.evaluate("JSON.parse(localStorage.getItem('retrowalk.motion.pending'))")
    assert len(chunks) == 1
    assert chunks[0]["chunks"] >= 3  # 10 s chunks kept in IndexedDB while offline
    phone.set_offline(False)
    page.reload()
    shot(page, "50-player-motion-reload")
    deadline = time.monotonic() + 40
    recording = None
    with server.client() as client:
        while time.monotonic() < deadline:
            r = client.get(f"/api/logs/{log_id}/recording")
            if r.status_code == 200:
                recording = r.json()
                break
            time.sleep(1)
        assert recording is not None, "the recording never reached the server"
        log = client.get(f"/api/logs/{log_id}").json()
    analysis = recording["analysis"]
    assert recording["source"] == "browser"
    assert analysis["steps"] > 50
    # cadence within the benchmark's error (5 %) of the same samples analysed from the file
    reference = analyze(oxford).cadence_spm
    assert reference is not None
    assert abs(analysis["cadence_spm"] - reference) / reference < 0.05
    assert analysis["backward_intervals"] == 1
    assert analysis["segments"][1]["direction"] in ("forward", "unknown")  # walked forward
    assert log["status"] == "completed"
    assert np.isfinite(analysis["segments"][0]["cadence_spm"])
