// RetroWalk service worker: pages and assets come from the network when it answers, else from
// the copy kept at the last visit, so the session player reloads without a network.
// The app shell (styles, scripts, icons, manifest) is kept at install, and Today too when the
// device is logged in; a page never visited opens the kept Today when there is no network.
"use strict";
// v3: main's v1 plus the phone additions (manifest, icons, capabilities.js, Today as start page).
const CACHE = "retrowalk-v3";
const START = "/today";
const ASSETS = [
  "/static/app.css", "/static/app.js", "/static/player.js", "/static/motion.js",
  "/static/treadmill.js", "/static/capabilities.js", "/static/icon.svg", "/static/icon-192.png",
  "/static/icon-512.png", "/manifest.webmanifest",
];

async function keepStartPage(cache) {
  // Only a real Today: before pairing, LAN mode answers with a redirect to the login page.
  try {
    const response = await fetch(START, { credentials: "same-origin", redirect: "manual" });
    if (response.ok && response.type === "basic") await cache.put(START, response);
  } catch (e) { /* offline while installing: Today is kept at the next visit */ }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(ASSETS).then(() => keepStartPage(cache)))
      .then(() => self.skipWaiting()),
  );
});
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/settings/export")) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((hit) => {
        if (hit) return hit;
        if (request.mode === "navigate") return caches.match(START).then((t) => t || Response.error());
        return Response.error();
      })),
  );
});
