/**
 * Registers the work page's service worker (public/field-sw.js, scope /h5/) and hands it the
 * scripts and styles this page has loaded, so the page opens again with no network. Only the work
 * page registers it; it passes through every request it does not own.
 */
export async function registerFieldWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register('/h5/field-sw.js', { scope: '/h5/' });
    const ready = await navigator.serviceWorker.ready;
    const urls = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => new URL(u).pathname.startsWith('/h5/assets/'));
    ready.active?.postMessage({ type: 'cache-urls', urls });
  } catch {
    // No service worker (private mode, an old WebView): the page still works online, and the queue
    // of visits in IndexedDB still survives a reload.
  }
}
