// The installable app's page side: registers the service worker (/sw.js, see static/js/sw.js for what it keeps),
// asks it to keep the agenda the first time it is opened, and forgets the kept agenda on any page seen signed out.
// Read from its own <script> tag in templates/base.html: data-worker (the worker's URL), data-signed-in ("1"/"0").
"use strict";
(() => {
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  const signedIn = script.dataset.signedIn === "1";
  const CACHE_PREFIX = "matchmaker-agenda-";

  // Signed out (after "Sign out", on the sign-in page, a session that ended): nobody's agenda stays on this device.
  if (!signedIn && "caches" in window) {
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith(CACHE_PREFIX)).map((name) => caches.delete(name)),
    )).catch(() => undefined);
  }


  const servedByWorker = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.register(script.dataset.worker, {scope: "/"}).then(async () => {
    // The agenda (the page with an offline note) the worker did not serve, on the first visit, is not kept yet:
    // ask the worker to keep it and the files it uses.
    if (!signedIn || !document.querySelector("[data-offline-note]")) return;
    const registration = await navigator.serviceWorker.ready;
    if (servedByWorker && await caches.match(location.pathname)) return;
    const urls = [location.href];
    document.querySelectorAll("link[rel~=stylesheet][href], link[rel~=icon][href], script[src]").forEach((el) => {
      urls.push(el.href || el.src);
    });
    registration.active.postMessage({type: "keep", urls});
  }).catch(() => undefined);  // no worker (private mode, old browser): the site works as before, only not offline

  // The connection drops while the agenda is open: say that it is not brought up to date any more (the note stays
  // until the page is loaded again; the worker shows it on a kept copy).
  window.addEventListener("offline", () => {
    document.querySelectorAll("[data-offline-note]").forEach((note) => { note.hidden = false; });
  });
})();
