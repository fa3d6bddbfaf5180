// RetroWalk motion recording in the player (issue 17). With the walker's consent (asked once),
// the phone's accelerometer and gyroscope (devicemotion) are recorded while a session runs and
// kept in IndexedDB in 10-second chunks, so a reload, lost network or crash loses nothing. When
// the session is saved to the log, the chunks are uploaded (PUT …/recording/chunks/N, resumable:
// the server says which arrived) and joined (POST …/complete). The player (player.js) is not
// changed: this script reads its state from localStorage. The walker can turn recording off.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  if (!$("player") || !$("player-data")) return;
  const data = JSON.parse($("player-data").textContent);
  const rate = data.clock_rate || 1; // test mode only: the session clock runs `rate` times faster
  const RUN_KEY = "retrowalk.run." + (data.log_id ? "quick." + data.log_id : data.planned_session_id);
  const CONSENT = "retrowalk.motion.consent";
  const PENDING = "retrowalk.motion.pending"; // recordings waiting for upload: [{id, logId, chunks}]
  const CHUNK_MS = 10000;
  const RETRY_MS = 5000;
  let db = null;
  let rec = null; // {id, logId, startedAt, t0, chunk, buf: {t_ms, acc_m_s2, gyr_deg_s}, chunks}
  let uploading = false;

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open("retrowalk-motion", 1);
      req.onupgradeneeded = () => req.result.createObjectStore("chunks");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  function tx(mode, fn) {
    return new Promise((resolve, reject) => {
      const t = db.transaction("chunks", mode);
      const out = fn(t.objectStore("chunks"));
      t.oncomplete = () => resolve(out && out.result);
      t.onerror = () => reject(t.error);
    });
  }
  const pending = () => JSON.parse(localStorage.getItem(PENDING) || "[]");
  const setPending = (list) => localStorage.setItem(PENDING, JSON.stringify(list));
  function runState() {
    try { return JSON.parse(localStorage.getItem(RUN_KEY)) || {}; } catch (e) { return {}; }
  }

  function card() {
    const section = document.createElement("section");
    section.className = "card";
    section.id = "motion";
    section.innerHTML =
      '<h2>Count my steps</h2><p id="motion-text"></p>' +
      '<button type="button" id="motion-yes">Record my steps</button> ' +
      '<button type="button" id="motion-no">No thanks</button>';
    $("player").insertBefore(section, $("player").children[2] || null);
    $("motion-yes").addEventListener("click", () => ask(true));
    $("motion-no").addEventListener("click", () => ask(false));
    show();
  }
  function show() {
    const consent = localStorage.getItem(CONSENT);
    const on = consent === "yes";
    $("motion-text").textContent = consent === null
      ? "The phone can record its motion during the session to count your steps and check " +
        "that the backward parts were walked backward. It stays on this phone until the " +
        "session is saved, then it is kept with the session. You can delete it at any time."
      : on ? "Recording your steps during sessions." : "Step recording is off.";
    $("motion-yes").hidden = on;
    $("motion-no").textContent = consent === null ? "No thanks" : "Turn off";
    $("motion-no").hidden = consent === "no";
    $("motion-yes").textContent = consent === null ? "Record my steps" : "Turn on";
  }
  async function ask(yes) {
    if (yes && typeof DeviceMotionEvent !== "undefined" &&
        typeof DeviceMotionEvent.requestPermission === "function") {
      try { // iOS: must follow the tap
        if (await DeviceMotionEvent.requestPermission() !== "granted") yes = false;
      } catch (e) { yes = false; }
    }
    localStorage.setItem(CONSENT, yes ? "yes" : "no");
    if (!yes) stopRecording(true);
    show();
  }

  function onMotion(e) {
    const status = runState().status;
    if (localStorage.getItem(CONSENT) !== "yes" || status !== "running") return;
    const a = e.accelerationIncludingGravity;
    if (!a || a.x === null) return;
    if (!rec) startRecording(e.timeStamp);
    const r = e.rotationRate;
    rec.buf.t_ms.push((e.timeStamp - rec.t0) * rate);
    rec.buf.acc_m_s2.push([a.x, a.y, a.z]);
    rec.buf.gyr_deg_s.push(r && r.alpha !== null ? [r.alpha, r.beta, r.gamma] : null);
    if (e.timeStamp - rec.flushedAt >= CHUNK_MS / rate) flushChunk();
  }
  function startRecording(t0) {
    const id = `${RUN_KEY}.${Date.now()}`;
    rec = { id, startedAt: new Date().toISOString(), t0, flushedAt: t0, chunks: 0, buf: empty() };
  }
  function empty() { return { t_ms: [], acc_m_s2: [], gyr_deg_s: [] }; }
  function flushChunk() {
    if (!rec || !rec.buf.t_ms.length) return;
    const b = rec.buf;
    const gyro = b.gyr_deg_s.every((g) => g !== null) ? b.gyr_deg_s : null;
    const chunk = { started_at: rec.startedAt, t_ms: b.t_ms, acc_m_s2: b.acc_m_s2, gyr_deg_s: gyro };
    const key = `${rec.id}/${rec.chunks}`;
    rec.chunks += 1;
    rec.buf = empty();
    rec.flushedAt = performance.now();
    const list = pending().filter((p) => p.id !== rec.id);
    list.push({ id: rec.id, logId: runState().logId || data.log_id || null, chunks: rec.chunks });
    setPending(list);
    tx("readwrite", (s) => s.put(chunk, key));
  }
  function stopRecording(discard) {
    if (!rec) return;
    if (discard) {
      const id = rec.id;
      setPending(pending().filter((p) => p.id !== id));
    } else flushChunk();
    rec = null;
  }

  async function upload() {
    if (uploading || !navigator.onLine) return;
    uploading = true;
    try {
      for (const item of pending()) {
        if (rec && rec.id === item.id) continue; // still recording
        if (!item.logId) item.logId = runState().logId || data.log_id || null;
        if (!item.logId) continue;
        const log = await RetroWalk.api("GET", `/api/logs/${item.logId}`);
        if (!log.ok || (await log.json()).status === "in_progress") continue; // not saved yet
        const base = `/api/logs/${item.logId}/recording`;
        const got = await RetroWalk.api("GET", `${base}/chunks`);
        if (!got.ok) continue;
        const received = new Set((await got.json()).received);
        let complete = true;
        for (let k = 0; k < item.chunks; k++) {
          if (received.has(k)) continue;
          const chunk = await tx("readonly", (s) => s.get(`${item.id}/${k}`));
          if (!chunk) { complete = false; break; }
          const r = await RetroWalk.api("PUT", `${base}/chunks/${k}`, chunk);
          if (!r.ok) { complete = false; break; }
        }
        if (!complete) continue;
        const done = await RetroWalk.api("POST", `${base}/complete`, { chunks: item.chunks });
        if (done.ok || done.status === 422) { // stored, or refused for good: stop retrying
          for (let k = 0; k < item.chunks; k++) tx("readwrite", (s) => s.delete(`${item.id}/${k}`));
          setPending(pending().filter((p) => p.id !== item.id));
          $("player").dataset.motion = done.ok ? "uploaded" : "refused";
        }
      }
    } catch (e) { /* offline or server away: try again later */ }
    uploading = false;
  }

  function tick() {
    const status = runState().status;
    if (rec && status !== "running" && status !== "paused") stopRecording(false);
    if (!rec) upload();
  }

  openDb().then((opened) => {
    db = opened;
    card();
    window.addEventListener("devicemotion", onMotion);
    window.addEventListener("online", upload);
    setInterval(tick, RETRY_MS / Math.min(rate, 5));
    tick();
  }).catch(() => { /* no IndexedDB (private mode): no recording */ });
})();
