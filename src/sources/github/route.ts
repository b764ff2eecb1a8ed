// The HTTP adapter: POST /webhooks/github on a Fastify server, around receive.ts.
//
// Checks run in this order; the first that fails decides the answer.
//
// | Status | Body                                  | When                                                        |
// |--------|---------------------------------------|-------------------------------------------------------------|
// | 404    | { error }                             | no webhook secret configured: webhooks are disabled         |
// | 415    | { error }                             | Content-Type is not application/json                        |
// | 400    | { error }                             | X-GitHub-Event or X-GitHub-Delivery missing or malformed    |
// | 401    | { error }                             | X-Hub-Signature-256 missing or not sha256=<64 hex digits>   |
// | 413    | { error }                             | body over 25 MB (GitHub's own cap), refused while reading   |
// | 503    | { error }, Retry-After                | the bodies being read already hold the budget (50 MB)       |
// | 408    | { error }                             | the body was not all sent within the deadline (10 s)        |
// | 401    | { error }                             | X-Hub-Signature-256 matches the body under no secret        |
// | 400    | { error }                             | body is not JSON, or a field Pilot reads is malformed       |
// | 200    | { status: 'duplicate' }               | this X-GitHub-Delivery was seen before; nothing is done     |
// | 202    | { status: 'ignored' }                 | an event or action Pilot has no use for                     |
// | 202    | { status: 'accepted', event: <kind> } | onEvent runs after the answer is sent                       |
//
// The first four need no body and are answered before it is read. The body is hashed
// as it arrives (read-body.ts); a refusal while reading closes the connection.

import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../reconciler/logger.js';
import { contextLogger } from './context-logger.js';
import type { WebhookEvent } from './events.js';
import type { Deliveries } from '../../reconciler/store-port.js';
import { BodyBudget } from './body-budget.js';
import { readSignedBody, type ReadBody } from './read-body.js';
import { checkHeaders, deliveryOf, receive, reject, type Answer, type Delivery, type Outcome } from './receive.js';

/** GitHub does not deliver payloads over 25 MB. */
export const maxBodyBytes = 25 * 1024 * 1024;

/** GitHub gives up on a delivery after 10 s; a body still arriving by then is not worth waiting for. */
export const bodyDeadlineMs = 10_000;

/** Seconds a sender refused for lack of room is told to wait. */
const busyRetrySeconds = 5;

const readRefusals = new Map<number, Answer>([
  [413, reject(413, 'too-large', 'the body is over 25 MB, more than GitHub sends')],
  [415, reject(415, 'unsupported-media-type', 'Content-Type must be application/json')],
  [400, reject(400, 'unreadable-body', 'the request body could not be read')],
  [408, reject(408, 'too-slow', 'the body was not sent within the deadline; GitHub sends it at once')],
  [503, reject(503, 'busy', 'other deliveries are being read; send this one again shortly')],
]);

export interface GithubWebhookOptions {
  /** Default /webhooks/github. */
  path?: string;
  /** Read on every delivery, so a rotated secret needs no restart; none disables the route. */
  secrets: () => string[];
  deliveries: Deliveries;
  /** Called after the answer is sent; it may take as long as it needs. */
  onEvent: (event: WebhookEvent, delivery: Delivery) => void | Promise<void>;
  logger: Logger;
  /** Bytes of bodies held at once across connections (default: a budget of 50 MB for this route). */
  budget?: BodyBudget;
  /** How long a body may take to arrive (default 10 s). */
  bodyDeadlineMs?: number;
}

/** Registers the route in its own plugin scope: its raw-body JSON parser touches no other route. */
export function registerGithubWebhooks(app: FastifyInstance, options: GithubWebhookOptions): void {
  void app.register(async (scope) => {
    const outcomes = new WeakMap<FastifyRequest, Outcome>();
    const budget = options.budget ?? new BodyBudget();
    const send = (request: FastifyRequest, reply: FastifyReply, answer: Answer) => {
      outcomes.set(request, answer.outcome);
      if (answer.status === 503) reply.header('retry-after', String(busyRetrySeconds));
      return reply.code(answer.status).send(answer.body);
    };

    scope.removeAllContentTypeParsers();
    // Not Fastify's buffering parser: that holds the whole body, however slow, before anyone looks at it.
    scope.addContentTypeParser('application/json', async (request: FastifyRequest, payload: NodeJS.ReadableStream) => readSignedBody(payload as Readable, {
      declaredLength: request.headers['content-length'], secrets: options.secrets(), signature: single(request.headers['x-hub-signature-256']),
      maxBytes: maxBodyBytes, budget, deadlineMs: options.bodyDeadlineMs ?? bodyDeadlineMs,
    }));
    // Refusals while reading the body (read-body.ts, or Fastify's), in the same shape as ours.
    scope.setErrorHandler((error: { statusCode?: number }, request, reply) => {
      const refusal = readRefusals.get(error.statusCode ?? 500);
      if (refusal !== undefined) return send(request, reply, refusal);
      contextLogger(options.logger, deliveryOf(request.headers)).error({ error: String(error) }, 'github webhook failed');
      return reply.code(500).send({ error: 'internal error; see the pilot log' });
    });

    scope.post(options.path ?? '/webhooks/github', {
      onRequest: async (request, reply) => {
        const refused = checkHeaders(request.headers, options.secrets());
        // The body is never read: close rather than drain it.
        if (refused !== undefined) return send(request, reply.header('connection', 'close'), refused);
      },
      onResponse: async (request, reply) => {
        // One line per delivery, never the payload or the signature.
        const { id, name } = deliveryOf(request.headers);
        const data = { status: reply.statusCode, outcome: outcomes.get(request) ?? 'error' };
        const log = contextLogger(options.logger, { delivery: id, event: name });
        if (reply.statusCode < 400) log.info(data, 'github webhook delivery');
        else log.warn(data, 'github webhook delivery refused');
      },
    }, async (request, reply) => {
      const body = request.body as ReadBody | undefined;
      if (body?.bytes === undefined) return send(request, reply, readRefusals.get(400)!);
      try {
        const { answer, event, delivery } = await receive({
          headers: request.headers, rawBody: body.bytes, signatureValid: body.signatureValid, secrets: options.secrets(), deliveries: options.deliveries,
        });
        if (event !== undefined && delivery !== undefined) setImmediate(() => dispatch(event, delivery, options));
        return send(request, reply, answer);
      } finally {
        body.release();
      }
    });
  });
}

/** Runs onEvent outside the request, recording how it ended. */
function dispatch(event: WebhookEvent, delivery: Delivery, options: GithubWebhookOptions): void {
  const log = contextLogger(options.logger, { delivery: delivery.id, event: delivery.name });
  const finish = (result: string) =>
    options.deliveries.finish(delivery.id, result).catch((error: unknown) => log.warn({ error: String(error) }, 'github webhook result not recorded'));
  Promise.resolve()
    .then(() => options.onEvent(event, delivery))
    .then(
      () => finish('dispatched'),
      (error: unknown) => {
        finish('failed');
        log.error({ error: error instanceof Error ? error.message : String(error) }, 'github webhook handler failed');
      },
    );
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
