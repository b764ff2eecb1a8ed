// PaginationRequest/Response over an in-memory list: page tokens are opaque offsets.

import { rpcError, status } from './errors.js';

export interface PaginationRequest {
  page_size: number;
  next_page_token: string;
  previous_page_token: string;
}

export interface PaginationResponse {
  next_page_token: string;
  previous_page_token: string;
}

function encodeOffset(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeOffset(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw rpcError(status.INVALID_ARGUMENT, 'pagination: (next_page_token: invalid page token.).');
  return Number(match[1]);
}

/** No pagination or page_size 0 returns everything, as a server without paging does. */
export function paginate<T>(items: T[], request: PaginationRequest | null | undefined): { items: T[]; pagination: PaginationResponse | null } {
  if (!request || request.page_size === 0) return { items, pagination: null };
  const size = request.page_size;
  let start = 0;
  if (request.next_page_token) start = decodeOffset(request.next_page_token);
  else if (request.previous_page_token) start = Math.max(0, decodeOffset(request.previous_page_token) - size);
  const pageItems = items.slice(start, start + size);
  return {
    items: pageItems,
    pagination: {
      next_page_token: start + size < items.length ? encodeOffset(start + size) : '',
      previous_page_token: start > 0 ? encodeOffset(start) : '',
    },
  };
}
