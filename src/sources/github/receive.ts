// The runtime-agnostic core of the webhook receiver: headers, signature, payload and
// deduplication decide the answer; the HTTP adapter only reads the request and sends it.

import type { IncomingHttpHeaders } from 'node:http';
import { parseEvent, type WebhookEvent } from './events.js';
import { MalformedPayloadError } from './payload-fields.js';
import type { Deliveries } from '../../reconciler/store-port.js';
import { parseSignature } from './verify.js';

export type Outcome =
  | 'disabled' | 'unsupported-media-type' | 'missing-headers' | 'bad-signature' | 'too-large' | 'busy' | 'too-slow'
  | 'unreadable-body' | 'invalid-json' | 'malformed-payload' | 'duplicate' | 'ignored' | 'accepted';

export interface Answer {
  status: number;
  body: { status: 'accepted'; event: string } | { status: 'duplicate' | 'ignored' } | { error: string };
  outcome: Outcome;
}

export interface Delivery {
  /** X-GitHub-Delivery. */
  id: string;
  /** X-GitHub-Event. */
  name: string;
}

// GitHub sends a GUID and a snake_case name; anything else is not GitHub and is
// refused before it can reach a log line or the database.
const deliveryIdPattern = /^[A-Za-z0-9-]{1,128}$/;
const eventNamePattern = /^[a-z0-9_]{1,64}$/;

/** The delivery id and event name when both headers are present and well formed. */
export function deliveryOf(headers: IncomingHttpHeaders): Partial<Delivery> {
  const id = single(headers['x-github-delivery']);
  const name = single(headers['x-github-event']);
  return {
    ...(id !== undefined && deliveryIdPattern.test(id) ? { id } : {}),
    ...(name !== undefined && eventNamePattern.test(name) ? { name } : {}),
  };
}

/** The checks that need no body, so that a bad request is refused before it is read. */
export function checkHeaders(headers: IncomingHttpHeaders, secrets: readonly string[]): Answer | undefined {
  if (!secrets.some((secret) => secret !== '')) {
    return reject(404, 'disabled', 'GitHub webhooks are disabled: no webhook secret is configured');
  }
  const mediaType = single(headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return reject(415, 'unsupported-media-type', 'Content-Type must be application/json; set it in the webhook settings');
  }
  const { id, name } = deliveryOf(headers);
  if (id === undefined || name === undefined) {
    return reject(400, 'missing-headers', 'X-GitHub-Event and X-GitHub-Delivery are required');
  }
  const signature = single(headers['x-hub-signature-256']);
  if (signature === undefined) {
    return reject(401, 'bad-signature', 'X-Hub-Signature-256 is required; set a secret in the webhook settings');
  }
  if (parseSignature(signature) === undefined) {
    return reject(401, 'bad-signature', 'X-Hub-Signature-256 must be sha256= and 64 hex digits');
  }
  return undefined;
}

/**
 * Decides what to answer to one delivery and, when it is accepted, the event to act
 * on after answering. A claimed delivery is never claimed again, here or after a restart.
 * The adapter checks the signature as the body streams in (verify.ts: signatureCheck)
 * and says whether it held.
 */
export async function receive(input: {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  signatureValid: boolean;
  secrets: readonly string[];
  deliveries: Deliveries;
}): Promise<{ answer: Answer; event?: WebhookEvent; delivery?: Delivery }> {
  const refused = checkHeaders(input.headers, input.secrets);
  if (refused !== undefined) return { answer: refused };
  const delivery = deliveryOf(input.headers) as Delivery;

  // The signature covers the bytes as sent; nothing is parsed before it holds.
  if (!input.signatureValid) {
    return { answer: reject(401, 'bad-signature', 'X-Hub-Signature-256 does not match the body under any configured secret') };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(input.rawBody.toString('utf8'));
  } catch {
    return { answer: reject(400, 'invalid-json', 'the body is not valid JSON') };
  }
  let event: WebhookEvent | undefined;
  try {
    event = parseEvent(delivery.name, payload);
  } catch (error) {
    if (error instanceof MalformedPayloadError) return { answer: reject(400, 'malformed-payload', error.message) };
    throw error;
  }

  if (!(await input.deliveries.claim(delivery.id, delivery.name))) {
    return { answer: { status: 200, body: { status: 'duplicate' }, outcome: 'duplicate' }, delivery };
  }
  if (event === undefined) {
    await input.deliveries.finish(delivery.id, 'ignored');
    return { answer: { status: 202, body: { status: 'ignored' }, outcome: 'ignored' }, delivery };
  }
  await input.deliveries.finish(delivery.id, 'accepted');
  return { answer: { status: 202, body: { status: 'accepted', event: event.kind }, outcome: 'accepted' }, event, delivery };
}

export function reject(status: number, outcome: Outcome, error: string): Answer {
  return { status, body: { error }, outcome };
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text;
}
