/*
 * The enumerators' service worker (入户调查 work page, offline first). Registered by the work page
 * with scope /h5/, so it sees every H5 page's requests: it answers only those it owns and lets
 * everything else go to the network untouched (no respondWith), so resident pages and the console
 * behave exactly as without it.
 *
 *   - the app shell (GET /h5/ and /h5/index.html, navigations): network first, the cached copy offline;
 *   - Vite's hashed assets (/h5/assets/*, immutable): cache first, stored as they are fetched; the
 *     work page also hands over the chunks it has loaded (message 'cache-urls') to be kept;
 *   - GET /api/v1/fieldwork/my-assignments: network first, the cached answer offline.
 *
 * Everything else, every non-GET request included (visits are synced by the page with their
 * Idempotency-Key), passes through.
 */
const VERSION = 'wm-field-v1';
const SHELL = ['/h5/', '/h5/index.html'];
const ASSIGNMENTS = '/api/v1/fieldwork/my-assignments';

/** The shell and the scripts and styles it names (the entry chunk and its imports). */
async function precache() {
  const cache = await caches.open(VERSION);
  const res = await fetch('/h5/', { cache: 'no-cache', credentials: 'same-origin' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put('/h5/', res);
  const assets = [...html.matchAll(/(?:src|href)="(\/h5\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll([...new Set(assets)]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('wm-field-') && k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-urls' || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u) => typeof u === 'string' && new URL(u, self.location.origin).pathname.startsWith('/h5/assets/'));
  event.waitUntil(
    caches
      .open(VERSION)
      .then((cache) => Promise.all(urls.map((u) => cache.match(u).then((hit) => hit || cache.add(u).catch(() => undefined))))),
  );
});

async function networkFirst(request, key) {
  const cache = await caches.open(VERSION);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(VERSION);
  const hit = await cache.match(request.url);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request.url, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && SHELL.includes(url.pathname)) return event.respondWith(networkFirst(request, '/h5/'));
  if (url.pathname.startsWith('/h5/assets/')) return event.respondWith(cacheFirst(request));
  // One cached answer per phone: the page signs in one enumerator at a time (and also keeps it in IndexedDB).
  if (url.pathname === ASSIGNMENTS) return event.respondWith(networkFirst(request, ASSIGNMENTS));
});
