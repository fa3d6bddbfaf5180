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

// The walker's time zone: the browser's, kept in a cookie the server reads (times and days on
// the pages follow it). A page read with another zone is read again once (never a form's answer).
(() => {
  let zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) return;
  document.cookie = "rw_tz=" + zone + "; path=/; max-age=31536000; samesite=strict";
  const body = document.body;
  if (!body || "tzFixed" in body.dataset || body.dataset.tz === zone) return;
  if (!("reloadOk" in body.dataset) || !document.cookie.includes("rw_tz=")) return;
  const once = "retrowalk.tz-reloaded." + location.pathname;
  if (sessionStorage.getItem(once) === zone) return;
  sessionStorage.setItem(once, zone);
  location.reload();
})();

// A form sent back with problems: go to the first field named (in page order), focused.
(() => {
  const first = document.querySelector("main [aria-invalid=true]");
  if (!first) return;
  const field = first.matches("input, select, textarea")
    ? first : first.querySelector("input:not([type=hidden]), select, textarea");
  (first.closest(".question") || first).scrollIntoView({ block: "center" });
  if (field) field.focus({ preventScroll: true });
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
