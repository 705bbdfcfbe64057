// Learning Solidity's service worker, served from /sw.js (so its scope is the whole site) by
// core.views.service_worker, which prepends `const CONFIG = {version, precache, staticPrefix,
// pageCopies}` for the current build.
//
// - Hashed static files never change: cache-first, from a cache named after the build.
// - Pages that allow an offline copy (the server says so with X-Offline-Copy; lessons do) are
//   served stale-while-revalidate and the last CONFIG.pageCopies of them are kept, so a lesson
//   read once opens offline.
// - Offline, a page that has no copy gets an offline page listing the lessons kept for reading.
// - A deploy changes CONFIG.version, hence this script: the new worker takes over at once and
//   deletes every cache of the old build, page copies included (they name the old build's files).

/* global CONFIG */
const STATIC_CACHE = `static-${CONFIG.version}`;
const PAGE_CACHE = `pages-${CONFIG.version}`;
const VIEWER_KEY = "/__viewer__";
const HASHED = /\.[0-9a-f]{12}\.\w+$/;

// Evictions that a navigation must wait for (see the POST case below).
let evicting = Promise.resolve();

self.addEventListener("install", (event) => {
  // One missing file must not stop the worker from installing: it is fetched on first use.
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => Promise.allSettled(CONFIG.precache.map((url) => cache.add(url))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name !== STATIC_CACHE && name !== PAGE_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const { viewer, keep } = event.data || {};
  event.waitUntil(pageShown(viewer, keep));
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") {
    // A form posted from a kept page (completing a lesson, logging out) changes what that page
    // shows: forget the copy before the redirect back to it is served.
    if (request.referrer) {
      evicting = evicting.then(() => forget(request.referrer));
      event.waitUntil(evicting);
    }
    return;
  }
  if (request.url.startsWith(CONFIG.staticPrefix) && HASHED.test(new URL(request.url).pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" && new URL(request.url).origin === self.location.origin) {
    event.respondWith(staleWhileRevalidate(event));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(event) {
  await evicting;
  const cache = await caches.open(PAGE_CACHE);
  const copy = await cache.match(event.request, { ignoreVary: true });
  const fresh = fetch(event.request).then(async (response) => {
    await keepIfAllowed(cache, event.request.url, response.clone());
    return response;
  });
  if (!copy) return fresh.catch(() => offlinePage(cache));
  event.waitUntil(fresh.catch(() => {}));
  return copy;
}

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

async function offlinePage(cache) {
  const keys = (await cache.keys()).filter((key) => new URL(key.url).pathname !== VIEWER_KEY);
  const kept = await Promise.all(
    keys.reverse().map(async (key) => {
      const html = await (await cache.match(key)).text();
      const title = html.match(/<title>([^<]*)<\/title>/);
      // The title is the page's own, already escaped by the server.
      return `<li><a href="${escapeHtml(key.url)}">${title ? title[1] : escapeHtml(new URL(key.url).pathname)}</a></li>`;
    }),
  );
  const css = CONFIG.precache.find((url) => url.includes(".css"));
  const list = kept.length
    ? `<p>These lessons you read recently are saved on this device:</p><ul>${kept.join("")}</ul>`
    : "<p>No lesson is saved on this device yet: the ones you read are kept for reading offline.</p>";
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline · Learning Solidity</title>${css ? `<link rel="stylesheet" href="${escapeHtml(css)}">` : ""}</head>
<body><main id="main"><h1>You are offline</h1>
<p>This page is not saved for reading offline. It will load again once you are back online.</p>
${list}</main></body></html>`;
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function keepIfAllowed(cache, url, response) {
  if (!response.ok || !response.headers.has("X-Offline-Copy")) return;
  // Delete first so that the page moves to the end of the cache's (insertion) order: the
  // oldest copies are the first keys, and the ones trimmed.
  await cache.delete(url);
  await cache.put(url, response);
  const keys = await cache.keys();
  const pages = keys.filter((key) => new URL(key.url).pathname !== VIEWER_KEY);
  await Promise.all(pages.slice(0, -CONFIG.pageCopies).map((key) => cache.delete(key)));
}

async function forget(url) {
  const cache = await caches.open(PAGE_CACHE);
  await cache.delete(url);
}

async function pageShown(viewer, url) {
  // Copies are of one learner's pages: someone else logging in on this browser must not see them.
  const current = String(viewer ?? "");
  let cache = await caches.open(PAGE_CACHE);
  const known = await cache.match(VIEWER_KEY);
  if (!known || (await known.text()) !== current) {
    if (known) {
      await caches.delete(PAGE_CACHE);
      cache = await caches.open(PAGE_CACHE);
    }
    await cache.put(VIEWER_KEY, new Response(current));
  }
  if (url && !(await cache.match(url, { ignoreVary: true }))) {
    const response = await fetch(url, { credentials: "same-origin" });
    await keepIfAllowed(cache, url, response);
  }
}
