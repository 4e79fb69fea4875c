// Matchmaker's service worker: keeps the member's agenda readable without a connection (hotel Wi-Fi on the day).
// Served as /sw.js (matchmaker/main/app_shell.py) so that its scope is the whole site; registered by app-shell.js.
//
// What it keeps, and nothing else:
// - the agenda page (AGENDA_PATH), network first: every visit online fetches it and replaces the kept copy; offline,
//   or when the network has not answered within NETWORK_WAIT_MS, the kept copy is shown with its "you are offline"
//   note. A copy is kept only from a 200 answer: a redirect to the sign-in page or a 403 (staff) deletes it;
// - the static files under STATIC_PREFIX the pages use (our CSS, JS, icons: the same for everybody), network first.
// Never kept: any other page (requests, meetings, staff pages), any POST or other non-GET request, other sites.
// Privacy: the kept agenda is one person's. Every page seen signed out (the page after "Sign out", the sign-in page)
// deletes the cache through app-shell.js, and this worker deletes it when the server no longer returns the agenda;
// signing out "on every device" clears another device's copy the next time it opens a page online.
"use strict";

const CACHE = "matchmaker-agenda-v1";
const CACHE_PREFIX = "matchmaker-agenda-";
const AGENDA_PATH = "/agenda";
const STATIC_PREFIX = "/static/";
const NETWORK_WAIT_MS = 6000;
const OFFLINE_NOTE_HIDDEN = "data-offline-note hidden";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// From app-shell.js: on the agenda page the first time (before this worker controlled it), keep the page and the
// files it uses; on a page seen signed out, forget everything kept.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "forget") {
    event.waitUntil(caches.delete(CACHE));
  } else if (data.type === "keep" && Array.isArray(data.urls)) {
    event.waitUntil(keep(data.urls));
  }
});

async function keep(urls) {
  await Promise.all(urls.map(async (address) => {
    const url = new URL(address, self.location.origin);
    if (url.origin !== self.location.origin) return;
    if (url.pathname === AGENDA_PATH) {
      await store(await fetch(AGENDA_PATH, {credentials: "same-origin", redirect: "manual"}));
    } else if (url.pathname.startsWith(STATIC_PREFIX)) {
      const response = await fetch(url.href);
      if (response.status === 200) await (await caches.open(CACHE)).put(url.href, response);
    }
  })).catch(() => undefined);  // offline meanwhile: kept on the next visit
}

// Keep a 200 answer for the agenda; a redirect (to the sign-in page) or a refusal deletes what was kept.
async function store(response) {
  if (response.status === 200 && response.type === "basic") {
    await (await caches.open(CACHE)).put(AGENDA_PATH, response.clone());
  } else if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
    await caches.delete(CACHE);  // signed out, or not a member: the kept agenda is nobody's to read here
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === AGENDA_PATH && request.mode === "navigate") {
    event.respondWith(agenda(event));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFile(event));
  }
});

// The kept agenda, shown with its offline note (the template renders it hidden).
async function keptAgenda() {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(AGENDA_PATH);
  if (!kept) return undefined;
  const html = (await kept.text()).replace(OFFLINE_NOTE_HIDDEN, "data-offline-note");
  return new Response(html, {status: 200, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

async function agenda(event) {
  const fromNetwork = (async () => {
    const response = await fetch(event.request);
    await store(response);
    return response;
  })();
  event.waitUntil(fromNetwork.catch(() => undefined));
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS));
  try {
    const first = await Promise.race([fromNetwork, slow.then(() => keptAgenda())]);
    if (first) return first;
    return await fromNetwork;  // nothing kept yet: wait for the network after all
  } catch (error) {
    const kept = await keptAgenda();
    if (kept) return kept;
    throw error;  // offline and nothing kept: the browser's own offline page
  }
}

async function staticFile(event) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request);
    if (response.status === 200 && response.type === "basic") {
      event.waitUntil(cache.put(event.request, response.clone()));
    }
    return response;
  } catch (error) {
    const kept = await cache.match(event.request, {ignoreSearch: true});
    if (kept) return kept;
    throw error;
  }
}
