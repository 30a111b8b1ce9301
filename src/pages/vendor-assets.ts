/**
 * Browser libraries served from their npm packages (no CDN), by URL path. Resolved when
 * called, so importing this module touches no files.
 */
export function vendorAssets(): Readonly<Record<string, string>> {
  return {
    '/vendor/htmx.min.js': require.resolve('htmx.org/dist/htmx.min.js'),
    '/vendor/htmx.min.js.map': require.resolve('htmx.org/dist/htmx.min.js.map'),
    '/vendor/hx-sse.min.js': require.resolve('htmx.org/dist/ext/hx-sse.min.js'),
    '/vendor/hx-sse.min.js.map': require.resolve('htmx.org/dist/ext/hx-sse.min.js.map'),
    '/vendor/alpine-csp.min.js': require.resolve('@alpinejs/csp/dist/cdn.min.js'),
  };
}
