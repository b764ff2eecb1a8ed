import { contentType } from 'mime-types';

/** Content-Type by extension, with a charset for text types (`.html` gives `text/html; charset=utf-8`). */
export function contentTypeFor(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return contentType(name) || 'application/octet-stream';
}
