// Cache-Control for each file of a site: the part of a deploy that decides whether visitors see it.

export const noCache = 'no-cache';
export const immutable = 'public, max-age=31536000, immutable';
export const shortLived = 'public, max-age=300';

// Names that pages and browsers fetch by a fixed URL: a cached copy would outlive the deploy.
const entryFiles = new Set([
  'service-worker.js', 'sw.js', 'manifest.json', 'manifest.webmanifest', 'site.webmanifest', 'asset-manifest.json',
]);

// Bundlers put the content hash between dots (webpack, Parcel: main.3f9a1c2b.js) or after a dash
// (Vite, Rollup, esbuild: app-Bx7Kq9Zt.css). Words and sizes look alike, so a hash must mix digits
// and letters: a real hash that happens not to is only cached for 5 minutes, while a word taken for a
// hash would be cached for a year.
const dotSegment = /\.([A-Za-z0-9_-]{8,})(?=\.)/g;
const dashSegment = /-([A-Za-z0-9_]{8,})\.[^.]+$/;

function looksLikeHash(segment: string): boolean {
  return /\d/.test(segment) && /[A-Za-z]/.test(segment) && !/^\d+x\d+$/.test(segment);
}

export function isHashedName(fileName: string): boolean {
  for (const match of fileName.matchAll(dotSegment)) if (looksLikeHash(match[1] ?? '')) return true;
  const dash = dashSegment.exec(fileName);
  return dash !== null && looksLikeHash(dash[1] ?? '');
}

/** `key` is the object key, a relative path with "/" separators. */
export function cacheControlFor(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.html') || name.endsWith('.htm') || entryFiles.has(name)) return noCache;
  return isHashedName(key.slice(key.lastIndexOf('/') + 1)) ? immutable : shortLived;
}
