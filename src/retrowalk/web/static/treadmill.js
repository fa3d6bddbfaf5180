// RetroWalk treadmill card of the player page. The server drives the belt (Bluetooth FTMS):
// this script connects it, then posts the run's snapshot twice a second. The server answers
// with what to tell the walker and whether to pause the run (a safety stop). It never resumes
// a run: only the walker does.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  if (!$("treadmill")) return;
  const data = JSON.parse($("player-data").textContent);
  const FOLLOW_EVERY_MS = 500;
  let connected = false;
  let busy = false;
  let done = false;

  async function detail(response) {
    try {
      const body = await response.json();
      if (typeof body.detail === "string") return body.detail;
      return (body.detail || []).map((d) => d.message).join(" ");
    } catch (e) { return `error ${response.status}`; }
  }
  async function connect() {
    const address = $("treadmill-address").value.trim() || "simulated";
    $("treadmill-status").textContent = "Connecting…";
    try {
      const response = await RetroWalk.api("POST", "/api/treadmill/connect", { address, time_scale: data.clock_rate || 1 });
      if (!response.ok) { $("treadmill-status").textContent = await detail(response); return; }
      const body = await response.json();
      connected = body.connected;
      $("treadmill-status").textContent = connected ? `Connected: ${body.label}.` : "Not connected.";
      $("treadmill-setup").hidden = connected; // keep the player's controls in view
    } catch (e) { $("treadmill-status").textContent = "The server could not be reached."; }
  }
  async function follow() {
    const player = window.RetroWalkPlayer;
    if (!connected || busy || done || !player) return;
    const status = player.status();
    const logId = player.logId();
    if (!logId || status === "not_started") return;
    busy = true;
    try {
      const response = await RetroWalk.api("POST", `/api/treadmill/follow/${logId}`, { snapshot: player.snapshot() });
      if (!response.ok) {
        $("treadmill-status").textContent = await detail(response);
        if (response.status === 409) { connected = false; if (player.status() === "running") player.pause(); }
        return;
      }
      const body = await response.json();
      for (const text of body.messages) { player.announce(text, "warn"); $("treadmill-status").textContent = text; }
      if (body.pause_requested && player.status() === "running") player.pause();
      $("treadmill-belt").textContent = body.belt || "-";
      if (!body.connected) { connected = false; $("treadmill-setup").hidden = false; }
      if (status === "finished" || status === "stopped") done = true;
    } catch (e) {
      // The server is the one holding the belt: without it, stop walking.
      $("treadmill-status").textContent = "Lost the server: press the treadmill's stop button.";
      if (player.status() === "running") player.pause();
    } finally { busy = false; }
  }
  $("treadmill-connect").addEventListener("click", connect);
  setInterval(follow, FOLLOW_EVERY_MS);
})();
