// GitHub deliveries for the daemon tests: GitHub's own example payloads
// (@octokit/webhooks-examples), pointed at local repositories, signed here.

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

type Payload = Record<string, any>;

const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

/** A copy of the first example of `name` (with `action`, when given). */
export function example(name: string, action?: string): Payload {
  const definition = definitions.find((d) => d.name === name);
  const found = (definition?.examples as Payload[] | undefined)?.find((e) => action === undefined || e.action === action);
  if (found === undefined) throw new Error(`no ${name} example${action ? ` with action ${action}` : ''}`);
  return structuredClone(found);
}

/** The URLs GitHub gives for a repository, for a clone URL such as http://host/x.git. */
function repositoryUrls(cloneUrl: string, fullName: string): Payload {
  const host = new URL(cloneUrl).host;
  return {
    full_name: fullName,
    clone_url: cloneUrl,
    html_url: cloneUrl.replace(/\.git$/, ''),
    ssh_url: `git@${host.replace(/:\d+$/, '')}:${fullName}.git`,
    git_url: `git://${host}/${fullName}.git`,
  };
}

/** GitHub's push example, made a push of `after` to `branch` of the repository at `cloneUrl`. */
export function pushPayload(cloneUrl: string, fullName: string, branch: string, after: string, changed: string[] = []): Payload {
  const payload = example('push');
  Object.assign(payload.repository, repositoryUrls(cloneUrl, fullName));
  payload.ref = `refs/heads/${branch}`;
  payload.after = after;
  payload.deleted = false;
  payload.forced = false;
  payload.commits = [{ ...(payload.head_commit ?? {}), id: after, added: [], removed: [], modified: changed }];
  return payload;
}

/** GitHub's release example, made the publication of `tag`, cut from `branch`, of the repository at `cloneUrl`. */
export function releasePayload(cloneUrl: string, fullName: string, tag: string, branch: string): Payload {
  const payload = example('release', 'published');
  Object.assign(payload.repository, repositoryUrls(cloneUrl, fullName));
  payload.release.tag_name = tag;
  payload.release.target_commitish = branch;
  return payload;
}

/** GitHub's pull_request example, made pull request `number` (head `headSha` on `headRef`) against `base` of the repository at `cloneUrl`. */
export function pullRequestPayload(cloneUrl: string, fullName: string, change: { action: string; number: number; headSha: string; headRef: string; base: string; merged?: boolean; fork?: string }): Payload {
  const payload = example('pull_request', 'opened');
  Object.assign(payload.repository, repositoryUrls(cloneUrl, fullName));
  // The head's repository is the base's unless the pull request comes from a fork.
  Object.assign(payload.pull_request.base.repo, repositoryUrls(cloneUrl, fullName));
  Object.assign(payload.pull_request.head.repo, { full_name: change.fork ?? fullName });
  payload.pull_request.merged = change.merged ?? false;
  payload.action = change.action;
  payload.number = change.number;
  Object.assign(payload.pull_request, { number: change.number });
  Object.assign(payload.pull_request.head, { sha: change.headSha, ref: change.headRef });
  Object.assign(payload.pull_request.base, { ref: change.base });
  return payload;
}

export interface Delivery {
  event: string;
  body: string;
  headers: Record<string, string>;
}

/** Headers as GitHub sends them; `secret` signs the body (none: no signature header). */
export async function signed(event: string, payload: Payload | string, options: { secret?: string | null; id?: string } = {}): Promise<Delivery> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/044aadd',
    'x-github-event': event,
    'x-github-delivery': options.id ?? randomUUID(),
    'x-github-hook-id': '109948940',
  };
  if (options.secret !== null) headers['x-hub-signature-256'] = await sign(options.secret ?? 'unset', body);
  return { event, body, headers };
}

export async function deliver(url: string, delivery: Delivery): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/webhooks/github`, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Posts `size` bytes with node:http and resolves with the status as soon as an answer
 * comes, even if the server stops reading the body (as it should for an oversized one).
 */
export function postLarge(url: string, headers: Record<string, string>, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(`${url}/webhooks/github`, { method: 'POST', headers: { ...headers, 'content-length': String(size) } }, (response) => {
      answered = true;
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.setTimeout(20_000, () => request.destroy(new Error('no answer to the large body')));
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size && !answered && !request.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!request.write(part)) return void request.once('drain', pump);
      }
      if (!request.destroyed) request.end();
    };
    pump();
  });
}
