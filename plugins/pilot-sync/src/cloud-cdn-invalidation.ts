// Invalidates a Cloud CDN URL map through the Compute API and waits for the operation to finish.

import type { GoogleAuth } from 'google-auth-library';
import { step, SyncError } from './errors.js';
import type { Say } from './log.js';
import { pollUntil, secondsSince, type PollOptions } from './poll.js';

interface Operation {
  name?: string;
  status?: string;
  error?: { errors?: { code?: string; message?: string }[] };
}

export interface ComputeApi {
  auth: GoogleAuth;
  /** https://compute.googleapis.com, or PILOT_SYNC_COMPUTE_ENDPOINT. */
  endpoint: string;
}

export function computeEndpoint(env: NodeJS.ProcessEnv): string {
  return (env.PILOT_SYNC_COMPUTE_ENDPOINT || 'https://compute.googleapis.com').replace(/\/+$/, '');
}

async function call(api: ComputeApi, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Operation> {
  const url = `${api.endpoint}/compute/v1/${path}`;
  const headers = { ...(await api.auth.getRequestHeaders(url)), 'content-type': 'application/json' };
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json: { error?: { message?: string } } & Operation;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new Error(`Compute API answered ${response.status} with a body that is not JSON`);
  }
  // Plain errors: the step around each call says what was being done.
  if (!response.ok) throw new Error(`Compute API ${response.status}: ${json.error?.message ?? response.statusText}`);
  return json;
}

function failure(operation: Operation): string | undefined {
  const first = operation.error?.errors?.[0];
  return first ? `${first.code ?? 'error'}: ${first.message ?? ''}`.trim() : undefined;
}

export async function invalidateCloudCdn(api: ComputeApi, project: string, urlMap: string, poll: Omit<PollOptions, 'waiting'>, say: Say): Promise<void> {
  say(`invalidating Cloud CDN URL map ${urlMap} ...`);
  const start = Date.now();
  const base = `projects/${encodeURIComponent(project)}/global`;
  let operation = await step(`invalidating Cloud CDN URL map ${urlMap}`, () =>
    call(api, 'POST', `${base}/urlMaps/${encodeURIComponent(urlMap)}/invalidateCache`, { path: '/*' }),
  );
  const name = operation.name;
  if (!name) throw new SyncError(`the Compute API returned no operation for the invalidation of ${urlMap}`);
  await pollUntil(async () => {
    if (operation.status === 'DONE') return true;
    operation = await step(`checking operation ${name}`, () => call(api, 'GET', `${base}/operations/${encodeURIComponent(name)}`));
    return operation.status === 'DONE';
  }, { ...poll, waiting: () => `invalidation ${name} still ${operation.status ?? 'RUNNING'}` });
  const failed = failure(operation);
  if (failed) throw new SyncError(`invalidation ${name} of ${urlMap} failed: ${failed}`);
  say(`invalidation ${name} completed in ${secondsSince(start)}`);
}
