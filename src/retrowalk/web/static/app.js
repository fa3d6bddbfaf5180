// RetroWalk pages: CSRF header for API calls, the service worker, the 3MBWT timer.
"use strict";
window.RetroWalk = (() => {
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)rw_csrf=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : document.body.dataset.csrf || "";
  }
  async function api(method, url, body) {
    const headers = { "X-CSRF-Token": csrfToken() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  return { csrfToken, api };
})();

if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

// On-screen timer of the balance test: Go starts, Stop fills the next empty trial field.
(() => {
  const start = document.getElementById("timer-start");
  const stop = document.getElementById("timer-stop");
  const shown = document.getElementById("timer");
  if (!start || !stop || !shown) return;
  let began = null;
  let frame = null;
  const tick = () => {
    shown.textContent = ((performance.now() - began) / 1000).toFixed(2) + " s";
    frame = requestAnimationFrame(tick);
  };
  start.addEventListener("click", () => {
    began = performance.now();
    start.disabled = true;
    stop.disabled = false;
    stop.focus();
    tick();
  });
  stop.addEventListener("click", () => {
    if (began === null) return;
    cancelAnimationFrame(frame);
    const seconds = ((performance.now() - began) / 1000).toFixed(2);
    shown.textContent = seconds + " s";
    const empty = [...document.querySelectorAll("#trials input[name^=trial_]")].find((i) => !i.value);
    if (empty) empty.value = seconds;
    began = null;
    start.disabled = false;
    stop.disabled = true;
    start.focus();
  });
})();
