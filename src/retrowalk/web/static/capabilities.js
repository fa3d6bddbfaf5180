// What this browser can do for a guided session, told in plain words before Start.
// Each check is what the player uses: a secure (https) page, the screen wake lock, speech,
// vibration and the motion sensors. The list is shown only when something will not work.
"use strict";
(() => {
  const box = document.getElementById("capabilities");
  const list = document.getElementById("capability-list");
  if (!box || !list) return;
  const secure = window.isSecureContext;
  const checks = [
    {
      name: "secure", ok: secure,
      missing: "This page is not on a secure (https) connection, so the phone cannot keep the " +
        "screen on, keep the player for offline use, or read its motion sensors. Open the " +
        "https address that RetroWalk printed on the computer.",
    },
    {
      name: "wake-lock", ok: secure && "wakeLock" in navigator,
      missing: "The screen may turn off during the session: this browser cannot keep it on. " +
        "Set a longer screen timeout in the phone's settings before you start.",
    },
    {
      name: "speech", ok: "speechSynthesis" in window,
      missing: "Cues will not be spoken: this browser cannot talk. Watch the screen for cues.",
    },
    {
      name: "vibration", ok: "vibrate" in navigator,
      missing: "The phone will not vibrate at cues: this browser cannot (iPhones never do in a " +
        "browser). Cues are still shown and spoken.",
    },
    {
      name: "motion", ok: secure && "DeviceMotionEvent" in window,
      missing: "The phone's motion sensors cannot be read here, so steps are not counted from " +
        "the phone. The session works without them.",
    },
  ];
  for (const check of checks) {
    const item = document.createElement("li");
    item.dataset.capability = check.name;
    item.dataset.ok = String(Boolean(check.ok));
    item.textContent = check.missing;
    item.hidden = Boolean(check.ok);
    list.appendChild(item);
  }
  const missing = checks.filter((c) => !c.ok).length;
  box.dataset.missing = String(missing);
  box.hidden = missing === 0;
})();
