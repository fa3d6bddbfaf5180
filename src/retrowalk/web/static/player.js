// RetroWalk session player. It runs the session's schedule (Timeline JSON) in the browser, so
// a lost network changes nothing while walking. State is kept in localStorage on every tick: a
// reload brings the run back paused where it was. The server is told at start, every few
// seconds (checkpoints) and at the end; the final log waits in an outbox until it is stored.
//
// Two clocks of session time, as in the core player (retrowalk.sessions.player.SessionRun),
// both without pauses: the elapsed time (time actually walked, countdown included) and the
// position on the timeline (elapsed time plus the time jumped over by skips). The state keeps
// both as they were at the last start, pause or skip (elapsedBase, base) and the moment the
// clock last resumed (resumedAt).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("player-data").textContent);
  const rate = data.clock_rate || 1; // > 1 only in test mode (?clock=fast&rate=N)
  // A quick session is started on the server by its form: the player joins it by its log id.
  const KEY = "retrowalk.run." + (data.log_id ? "quick." + data.log_id : data.planned_session_id);
  const OUTBOX = "retrowalk.outbox";
  const FAILED = "retrowalk.failed";
  const CHECKPOINT_EVERY_MS = 5000;
  const VIBRATION = {
    attention: [200, 100, 200, 100, 200], tick: [60], start: [250, 100, 250], half: [150],
    warn: [300], stop: [400], end: [500, 200, 500], soft: [],
  };
  let tl = data.timeline;
  let state = upgrade(load()) || fromServer(data.snapshot) || fresh();
  let lock = null;
  let lastCheckpoint = 0;
  let flushing = false;

  function fresh() {
    return {
      status: "not_started", logId: data.log_id || null, startedAt: data.started_at || null,
      timelineId: data.timeline_id, base: 0, elapsedBase: 0, resumedAt: null, pausedS: 0,
      pausedAt: null, next: 0, elapsedSaved: 0, positionSaved: 0, skipped: {},
      stopReason: null, stopNote: null, logged: false, restored: false, timeline: null,
    };
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)); } catch (e) { return null; }
  }
  function upgrade(saved) {
    // A state saved before skips existed: its position and elapsed time are the same.
    if (!saved || typeof saved !== "object") return null;
    if (saved.elapsedBase === undefined) saved.elapsedBase = saved.base || 0;
    if (saved.positionSaved === undefined) saved.positionSaved = saved.elapsedSaved || 0;
    if (!saved.skipped || typeof saved.skipped !== "object") saved.skipped = {};
    return saved;
  }
  function fromServer(snap) {
    // A quick session under way on the server that this browser has no state for (another
    // device, or cleared storage): continue it from its last checkpoint, paused.
    if (!snap || snap.timeline_id !== data.timeline_id) return null;
    const restored = fresh();
    restored.status = "paused";
    restored.base = restored.positionSaved = snap.position_s;
    restored.elapsedBase = restored.elapsedSaved = snap.elapsed_s;
    restored.pausedS = snap.paused_s;
    restored.pausedAt = Date.now();
    restored.next = snap.next_event_index;
    for (const i of snap.skipped_segments) restored.skipped[i] = snap.segment_done_s[i];
    return restored;
  }
  function save() {
    state.elapsedSaved = elapsed();
    state.positionSaved = position();
    state.timeline = tl;
    localStorage.setItem(KEY, JSON.stringify(state));
  }
  function step(now) {
    // Session time since the clock last resumed, never past the end of the timeline.
    if (state.status !== "running" || state.resumedAt === null) return 0;
    const ran = ((now - state.resumedAt) / 1000) * rate;
    return Math.max(0, Math.min(ran, tl.total_s - state.base));
  }
  function position(now = Date.now()) { return Math.min(state.base + step(now), tl.total_s); }
  function elapsed(now = Date.now()) { return state.elapsedBase + step(now); }
  function freeze(now) {
    // Fold the time run since the last resume into the bases (before pause, skip, stop, end).
    const ran = step(now);
    state.base += ran;
    state.elapsedBase += ran;
    state.resumedAt = state.status === "running" ? now : null;
  }
  function isSkipped(index) { return Object.prototype.hasOwnProperty.call(state.skipped, index); }
  function skippedList() { return Object.keys(state.skipped).map(Number).sort((a, b) => a - b); }
  function segmentAt(pos) {
    return tl.segments.find((s) => pos >= s.start_s && pos < s.end_s) || null;
  }
  function doneOf(pos) {
    // Seconds done of each segment: the part done for a skipped one, as SessionRun.snapshot.
    return tl.segments.map((s) => (isSkipped(s.index)
      ? state.skipped[s.index]
      : Math.min(Math.max(pos - s.start_s, 0), s.duration_s)));
  }
  function partName(index) { return `part ${index + 1} of ${tl.segments.length}`; }
  function snapshot() {
    const now = Date.now();
    const pos = position(now);
    const seg = segmentAt(pos);
    let next = null;
    if (seg) next = seg.index + 1 < tl.segments.length ? seg.index + 1 : null;
    else if (pos < tl.segments[0].start_s) next = 0;
    let paused = state.pausedS;
    if (state.status === "paused" && state.pausedAt) paused += (now - state.pausedAt) / 1000;
    return {
      schema: "retrowalk.run_snapshot", version: 1, timeline_id: state.timelineId,
      status: state.status, elapsed_s: Math.min(elapsed(now), pos), position_s: pos,
      paused_s: paused, next_event_index: state.next, current_segment_index: seg ? seg.index : null,
      segment_left_s: seg ? seg.end_s - pos : null, session_left_s: tl.total_s - pos,
      next_segment_index: next, segment_done_s: doneOf(pos), skipped_segments: skippedList(),
      stop_reason: state.stopReason, stop_note: state.stopNote,
    };
  }

  // ---------------------------------------------------------------- cues: voice, vibration
  function speak(text) {
    if (!data.voice || !("speechSynthesis" in window)) return;
    try {
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    } catch (e) { /* speech is a bonus; the text is on screen */ }
  }
  function announce(text, sound) {
    $("cue").textContent = text;
    speak(text);
    const pattern = VIBRATION[sound] || [];
    if (pattern.length && "vibrate" in navigator) navigator.vibrate(pattern);
  }
  function deliver(batch, prefix = "") {
    if (!batch.length) return;
    const last = batch[batch.length - 1];
    announce(prefix + last.text, last.sound); // several cues due at once: say only the latest
  }
  async function wakeLock() {
    try {
      if ("wakeLock" in navigator && !lock) {
        lock = await navigator.wakeLock.request("screen");
        root().dataset.awake = "true"; // the screen stays on (shown to tests and styles)
        lock.addEventListener("release", () => { lock = null; root().dataset.awake = "false"; });
      }
    } catch (e) { lock = null; root().dataset.awake = "false"; }
  }
  function releaseLock() {
    if (lock) lock.release().catch(() => {});
    lock = null;
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state.status === "running") wakeLock();
  });

  // ---------------------------------------------------------------- display
  function mmss(seconds) {
    const s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function show(section) {
    for (const id of ["checks", "run", "log", "done"]) $(id).hidden = id !== section;
    root().dataset.state = state.status;
  }
  function root() { return $("player"); }
  function render() {
    const pos = position();
    const seg = segmentAt(pos);
    let label = "Get ready";
    if (seg) {
      const way = seg.direction === "backward" ? "↓ Walk backward" : "↑ Walk forward";
      label = `${way} · ${partName(seg.index)}`;
    } else if (pos >= tl.total_s) label = "Done";
    $("segment-label").textContent = state.status === "paused" ? "Paused · " + label : label;
    root().dataset.direction = seg ? seg.direction : "";
    // What comes next, in words (not by colour alone).
    const after = tl.segments.find((s) => s.start_s >= (seg ? seg.end_s : pos) - 1e-9 && s !== seg);
    $("next-label").textContent = after
      ? `Next: ${after.direction === "backward" ? "backward" : "forward"} for ${mmss(after.duration_s)}`
      : (seg ? "Next: the end of the session" : "");
    $("segment-left").textContent = mmss(seg ? seg.end_s - pos : Math.max(tl.segments[0].start_s - pos, 0));
    $("session-left").textContent = mmss(tl.total_s - pos);
    $("progress").value = tl.total_s ? pos / tl.total_s : 0;
    $("btn-pause").hidden = state.status !== "running";
    $("btn-resume").hidden = state.status !== "paused";
    $("btn-skip").hidden = !(state.status === "running" || state.status === "paused") || pos >= tl.total_s;
    root().dataset.state = state.status;
    root().dataset.position = pos.toFixed(1);
    root().dataset.skipped = skippedList().join(",");
  }
  function netStatus() {
    const waiting = readList(OUTBOX).length;
    let text = navigator.onLine ? "" : "Offline: the session goes on; your log will be sent when the connection is back.";
    if (navigator.onLine && waiting) text = "Sending your log…";
    $("net-status").textContent = text;
  }

  // ---------------------------------------------------------------- the run
  function due(pos) {
    // The cues reached and not yet delivered, in order, each once (SessionRun.poll).
    const batch = [];
    while (state.next < tl.events.length && tl.events[state.next].at_s <= pos + 1e-9) {
      batch.push(tl.events[state.next]);
      state.next += 1;
    }
    return batch;
  }
  function tick() {
    if (state.status !== "running") return;
    const pos = position();
    deliver(due(pos));
    if (pos >= tl.total_s) { finish(); return; }
    render();
    save();
    if (state.logId && Date.now() - lastCheckpoint > CHECKPOINT_EVERY_MS) sendCheckpoint();
  }
  function unchecked() {
    return [...document.querySelectorAll("#checks input.check")].filter((box) => !box.checked);
  }
  function checksConfirmed() {
    // The walker confirms every "Before you start" check, once per session, before Start.
    const missing = unchecked();
    const problem = $("checks-problem");
    if (!missing.length) {
      problem.hidden = true;
      problem.textContent = "";
      return true;
    }
    const total = document.querySelectorAll("#checks input.check").length;
    problem.textContent = missing.length === total
      ? "Please read each check above and tick it before you start."
      : `Please tick the ${missing.length === 1 ? "last check" : `${missing.length} checks`} not ticked yet before you start.`;
    problem.hidden = false;
    missing[0].focus();
    return false;
  }
  async function start() {
    if (!checksConfirmed()) return;
    state = fresh();
    state.checksConfirmedAt = new Date().toISOString();
    state.status = "running";
    state.startedAt = data.started_at || new Date().toISOString();
    state.resumedAt = Date.now();
    save();
    show("run");
    render();
    wakeLock();
    if (state.logId) { sendCheckpoint(); return; } // a quick session: already on the server
    try {
      const response = await RetroWalk.api("POST", "/api/guided", { planned_session_id: data.planned_session_id });
      if (response.status === 201) {
        const guided = await response.json();
        state.logId = guided.log_id;
        state.startedAt = guided.started_at;
        state.timelineId = guided.timeline_id;
        tl = guided.timeline;
        save();
      }
    } catch (e) { /* offline: the log is sent in full at the end */ }
  }
  function pause() {
    const now = Date.now();
    freeze(now);
    state.status = "paused";
    state.pausedAt = now;
    state.resumedAt = null;
    save();
    render();
    releaseLock();
  }
  function endPause(now) {
    if (state.pausedAt) state.pausedS += (now - state.pausedAt) / 1000;
    state.pausedAt = null;
  }
  function skip() {
    // SessionRun.skip: jump to the next segment's start (from the countdown: to segment 0).
    // The part done of the skipped segment is kept; the cues before the next start are
    // dropped; the run stays paused if it was. Skipping the last segment ends the session.
    if (state.status !== "running" && state.status !== "paused") return;
    const now = Date.now();
    freeze(now);
    const pos = state.base;
    if (pos >= tl.total_s) return;
    const seg = segmentAt(pos);
    const target = seg ? seg.end_s : tl.segments[0].start_s;
    if (seg) state.skipped[seg.index] = pos - seg.start_s;
    state.base = target;
    while (state.next < tl.events.length) {
      const event = tl.events[state.next];
      const before = event.at_s < target || (event.at_s === target && event.kind === "segment_end");
      if (!before) break;
      state.next += 1;
    }
    const said = seg ? `Skipped ${partName(seg.index)}. ` : "Skipped the countdown. ";
    const sayWith = (batch) => (batch.length ? deliver(batch, said) : announce(said.trim(), "stop"));
    if (target >= tl.total_s) {
      sayWith(due(target)); // the end cue
      if (state.status === "paused") endPause(now);
      finish();
    } else if (state.status === "running") {
      sayWith(due(target)); // the next segment's start cue, at once
      save();
      render();
    } else {
      const following = tl.segments.find((s) => s.start_s >= target);
      const way = following && following.direction === "backward" ? "walk backward" : "walk forward";
      announce(`${said}Next: ${partName(following.index)}, ${way}. Press Resume when you are ready.`, "stop");
      save();
      render();
    }
    if (state.logId) sendCheckpoint();
  }
  function resume() {
    endPause(Date.now());
    state.status = "running";
    state.resumedAt = Date.now();
    state.restored = false;
    $("cue").textContent = "";
    save();
    render();
    wakeLock();
  }
  function stop(reason, note) {
    const now = Date.now();
    freeze(now);
    endPause(now);
    state.status = "stopped";
    state.stopReason = reason;
    state.stopNote = note || null;
    state.resumedAt = null;
    save();
    speak(data.stop_texts[reason] || "");
    releaseLock();
    showLog();
  }
  function finish() {
    freeze(Date.now());
    state.base = tl.total_s;
    state.status = "finished";
    state.resumedAt = null;
    save();
    releaseLock();
    showLog();
  }
  function showLog() {
    const done = doneOf(state.base);
    const total = done.reduce((a, b) => a + b, 0);
    const back = tl.segments.reduce((a, s, i) => a + (s.direction === "backward" ? done[i] : 0), 0);
    const how = state.status === "finished" ? "Session complete." : `Stopped (${(state.stopReason || "").replace("_", " ")}).`;
    const skipped = skippedList().map((i) => `part ${i + 1} (${mmss(done[i])} of ${mmss(tl.segments[i].duration_s)} walked)`);
    const skips = skipped.length ? ` Skipped: ${skipped.join(", ")}.` : "";
    $("log-summary").textContent = `${how} You walked ${mmss(total)}, of which ${mmss(back)} backward.${skips}`;
    show("log");
    $("log-h").focus?.();
  }

  // ---------------------------------------------------------------- logging and sync
  function readList(key) {
    try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
  }
  function writeList(key, list) { localStorage.setItem(key, JSON.stringify(list)); }
  function number(form, name) {
    const raw = form.elements[name].value.trim();
    return raw === "" ? null : Number(raw);
  }
  function ratingsFrom(form) {
    const steady = form.querySelector("input[name=form_steady]:checked");
    const ratings = {
      rpe: number(form, "rpe"), rpe_scale: "borg6_20", pain_0_10: number(form, "pain_0_10"),
      pain_location: form.elements.pain_location.value.trim() || null,
      form_steady: steady ? steady.value === "yes" : null, notes: "",
    };
    // Every red flag the page lists (from the server's one list of symptoms).
    for (const box of form.querySelectorAll("input[data-symptom]")) ratings[box.name] = box.checked;
    return ratings;
  }
  function fullLog(snap, ratings, notes) {
    const finished = state.status === "finished";
    const segments = [];
    tl.segments.forEach((s, i) => {
      const done = snap.segment_done_s[i];
      if (done <= 0) return;
      segments.push({
        direction: s.direction, duration_s: done, environment: s.environment, support: s.support,
        speed_m_s: s.speed_target_m_s, grade_pct: s.grade_pct, kind: s.kind,
        completed: !isSkipped(s.index) && done >= s.duration_s - 0.5,
      });
    });
    return {
      started_at: state.startedAt, segments, ratings, source: data.source || "guided",
      status: finished ? "completed" : "stopped", stop_reason: finished ? null : state.stopReason,
      planned_session_id: data.planned_session_id,
      notes: [data.title, state.stopNote, notes].filter(Boolean).join("\n"),
    };
  }
  function duplicate(body) {
    const first = body && body.detail && body.detail[0];
    return Boolean(first && first.field === "started_at" && /already logged/.test(first.accepted || ""));
  }
  function refusedText(body) {
    // The server's problem in plain words: the field by the label the walker sees, and what is
    // accepted (never the raw JSON); the log stays on this device.
    const labels = data.field_labels || {};
    const problems = Array.isArray(body && body.detail) ? body.detail : [];
    const named = problems.map((p) => {
      const field = String(p.field || "");
      const bare = field.replace(/^segments\[\d+\]\./, "").replace(/^ratings\./, "");
      const label = labels[field] || labels[bare] || bare.replace(/_/g, " ");
      return p.accepted ? `${label}: ${p.accepted}` : label;
    });
    const what = named.length ? ` Please check ${named.join("; ")}.` : "";
    return `Your log was not saved.${what} The session is kept on this device.`;
  }
  async function send(item) {
    // true: stored (or refused for good, kept in FAILED); false: try again later.
    try {
      if (item.logId) {
        const r = await RetroWalk.api("POST", `/api/guided/${item.logId}/finish`, item.finish);
        if (r.ok) return stored(item, await r.json());
        if (r.status === 404) {
          const again = await RetroWalk.api("GET", `/api/logs/${item.logId}`);
          if (again.ok) return stored(item, await again.json());
        } else if (r.status !== 422) {
          return false;
        }
      }
      const r = await RetroWalk.api("POST", "/api/logs", item.log);
      if (r.ok) return stored(item, await r.json());
      if (r.status === 422) {
        const body = await r.json();
        if (duplicate(body)) return stored(item, null);
        writeList(FAILED, [...readList(FAILED), { item, error: body }]);
        $("done-text").textContent = refusedText(body);
        return true;
      }
      return false;
    } catch (e) {
      return false;
    }
  }
  function stored(item, log) {
    if (item.key === KEY) {
      let text = "Saved to your log.";
      const kcal = log && log.energy && log.energy.energy_kcal;
      if (kcal) text += ` Energy about ${Math.round(kcal.central)} kcal (${Math.round(kcal.low)}-${Math.round(kcal.high)}).`;
      if (log && log.plan_change) {
        const words = (data.plan_words || {})[log.plan_change.action] || log.plan_change.action;
        text += ` Your plan: ${words.toLowerCase()}. ${log.plan_change.reason}`;
      }
      $("done-text").textContent = text;
      // Every red flag and the pain recorded, as the server stored them (Symptom labels).
      if (log && log.symptoms_text) reported(log.symptoms_text, (log.symptoms || []).length > 0);
      root().dataset.synced = "true";
      localStorage.removeItem(KEY);
    }
    return true;
  }
  function reported(text, flagged) {
    const line = $("done-symptoms");
    line.hidden = false;
    line.classList.toggle("warn", flagged);
    line.textContent = (flagged ? "Red flags recorded: " : "Recorded: ") + text + ".";
  }
  function reportedHere(form) {
    // Before the server has it (offline): the boxes ticked, by the labels the page shows.
    const flags = [...form.querySelectorAll("input[data-symptom]:checked")]
      .map((box) => box.closest("label").textContent.trim());
    const pain = form.elements.pain_0_10.value.trim();
    const where = form.elements.pain_location.value.trim();
    const parts = [flags.join(", ")];
    if (pain !== "") parts.push(`pain ${pain}/10${where ? ` (${where})` : ""}`);
    else if (where) parts.push(`pain (${where})`);
    const text = parts.filter(Boolean).join("; ");
    if (text) reported(text, flags.length > 0);
  }
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      while (readList(OUTBOX).length) {
        const ok = await send(readList(OUTBOX)[0]);
        if (!ok) break;
        writeList(OUTBOX, readList(OUTBOX).slice(1));
      }
    } finally {
      flushing = false;
      netStatus();
    }
  }
  async function sendCheckpoint() {
    lastCheckpoint = Date.now();
    if (!navigator.onLine) return;
    try {
      const r = await RetroWalk.api("POST", `/api/guided/${state.logId}/checkpoint`, { snapshot: snapshot() });
      if (r.status === 404) { state.logId = null; save(); }
    } catch (e) { /* offline: the next one will do */ }
  }
  function submitLog(event) {
    event.preventDefault();
    const form = $("log-form");
    if (!form.reportValidity()) return;
    const ratings = ratingsFrom(form);
    const notes = form.elements.notes.value.trim();
    const snap = snapshot();
    const item = {
      key: KEY, logId: state.logId, finish: { snapshot: snap, ratings, notes },
      log: fullLog(snap, ratings, notes), queued_at: new Date().toISOString(),
    };
    writeList(OUTBOX, [...readList(OUTBOX), item]);
    state.logged = true;
    save();
    $("done-text").textContent = "Saved on this device; it will be stored in your log when the connection is back.";
    root().dataset.synced = "false";
    reportedHere(form);
    show("done");
    flush();
  }

  // ---------------------------------------------------------------- wiring
  $("btn-start").addEventListener("click", start);
  for (const box of document.querySelectorAll("#checks input.check")) {
    box.addEventListener("change", () => {
      if (!$("checks-problem").hidden && !unchecked().length) checksConfirmed();
    });
  }
  $("btn-pause").addEventListener("click", pause);
  $("btn-resume").addEventListener("click", resume);
  $("btn-skip").addEventListener("click", skip);
  $("btn-stop").addEventListener("click", () => {
    if (state.status === "running") pause();
    $("stop-dialog").showModal();
  });
  $("stop-dialog").addEventListener("close", () => {
    const dialog = $("stop-dialog");
    const chosen = dialog.querySelector("input[name=reason]:checked");
    if (dialog.returnValue === "stop" && chosen) stop(chosen.value, $("stop-note").value.trim());
  });
  $("log-form").addEventListener("submit", submitLog);
  window.addEventListener("online", () => { netStatus(); flush(); });
  window.addEventListener("offline", netStatus);
  setInterval(tick, 100);
  setInterval(() => { if (readList(OUTBOX).length) flush(); }, 5000);

  // ---------------------------------------------------------------- after a reload
  if (state.timeline) tl = state.timeline;
  if (state.status === "running" || state.status === "paused") {
    if (state.status === "running") {
      state.base = state.positionSaved ?? state.base; // back where the last tick saved it
      state.elapsedBase = state.elapsedSaved ?? state.elapsedBase;
      state.status = "paused";
      state.pausedAt = Date.now();
      state.resumedAt = null;
    }
    state.restored = true;
    save();
    show("run");
    render();
    $("cue").textContent = "Session restored where you were. Press Resume when you are ready.";
  } else if ((state.status === "stopped" || state.status === "finished") && !state.logged) {
    showLog();
  } else if (state.logged) {
    show("done");
    $("done-text").textContent = "Saved on this device; it will be stored in your log when the connection is back.";
  } else {
    show("checks");
  }
  // For static/treadmill.js: read the run, pause it for a safety stop, say what the belt does.
  window.RetroWalkPlayer = {
    snapshot, pause, announce, status: () => state.status, logId: () => state.logId,
  };
  netStatus();
  flush();
})();
