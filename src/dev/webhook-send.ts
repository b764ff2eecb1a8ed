// A sample delivery sent the way GitHub sends one: the body signed with
// X-Hub-Signature-256 (HMAC-SHA256 of the exact bytes sent) and GitHub's headers.

import { createHmac, randomUUID } from 'node:crypto';

export interface SignedDelivery {
  /** X-GitHub-Delivery. */
  id: string;
  event: string;
  body: Buffer;
  headers: Record<string, string>;
}

export interface DeliveryAnswer {
  status: number;
  statusText: string;
  /** The answer's body as text (the daemon answers JSON). */
  body: string;
}

/** A stand-in hook id: GitHub sends the id of the webhook that fired. */
const hookId = '1';

export function signDelivery(event: string, payload: unknown, secret: string, repositoryId?: number): SignedDelivery {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const id = randomUUID();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/pilot-dev',
    'x-github-event': event,
    'x-github-delivery': id,
    'x-github-hook-id': hookId,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    ...(repositoryId === undefined ? {} : {
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': String(repositoryId),
    }),
  };
  return { id, event, body, headers };
}

/** POSTs the delivery; GitHub gives up after 10 s, and so does this. */
export async function sendDelivery(url: string, delivery: SignedDelivery): Promise<DeliveryAnswer> {
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: new Uint8Array(delivery.body), signal: AbortSignal.timeout(10_000) });
  return { status: response.status, statusText: response.statusText, body: await response.text() };
}
