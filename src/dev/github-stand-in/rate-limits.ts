// GitHub's rate-limit headers on every answer, counted per credential, and the
// refusals a test asks for with gh.rateLimit(n, kind): a secondary limit (403 with
// retry-after) or the primary one (403, remaining 0, reset in a second). Shapes from
// https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api

import { ApiError, errorBody } from './api-error.js';

export type RateLimitKind = 'primary' | 'secondary';

const limit = 5000;
const secondaryMessage = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const secondaryDocs = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const primaryDocs = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-primary-rate-limits';

export class RateLimits {
  private readonly windows = new Map<string, { used: number; resetAt: number }>();
  private readonly forced: RateLimitKind[] = [];

  /** The next `count` API requests are refused with `kind`, after any already asked for. */
  refuseNext(count: number, kind: RateLimitKind): void {
    for (let i = 0; i < count; i += 1) this.forced.push(kind);
  }

  /**
   * Counts one request of `identity` ('user ID 7', 'installation ID 9'): the headers to
   * send, or the refusal a test asked for (not counted, as GitHub does not count them).
   */
  take(identity: string): { headers: Record<string, string>; refusal?: { kind: RateLimitKind; error: ApiError } } {
    const now = Date.now();
    let window = this.windows.get(identity);
    if (!window || window.resetAt <= now) {
      window = { used: 0, resetAt: now + 3_600_000 };
      this.windows.set(identity, window);
    }
    const kind = this.forced.shift();
    if (kind === 'primary') {
      const reset = Math.floor(now / 1000) + 1;
      const headers = { ...rateHeaders(limit, limit, reset), 'x-ratelimit-remaining': '0' };
      const body = errorBody(403, `API rate limit exceeded for ${identity}.`, primaryDocs);
      return { headers, refusal: { kind, error: new ApiError(403, body, false) } };
    }
    if (kind === 'secondary') {
      const headers = { ...rateHeaders(window.used, limit, Math.floor(window.resetAt / 1000)), 'retry-after': '1' };
      return { headers, refusal: { kind, error: new ApiError(403, errorBody(403, secondaryMessage, secondaryDocs), false) } };
    }
    window.used += 1;
    return { headers: rateHeaders(window.used, limit, Math.floor(window.resetAt / 1000)) };
  }
}

function rateHeaders(used: number, max: number, resetSeconds: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(max),
    'x-ratelimit-remaining': String(Math.max(0, max - used)),
    'x-ratelimit-reset': String(resetSeconds),
    'x-ratelimit-used': String(used),
    'x-ratelimit-resource': 'core',
  };
}
