// The HTTP adapter: POST /webhooks/github on a Fastify server, around receive.ts.
//
// Checks run in this order; the first that fails decides the answer.
//
// | Status | Body                                  | When                                                        |
// |--------|---------------------------------------|-------------------------------------------------------------|
// | 404    | { error }                             | no webhook secret configured: webhooks are disabled         |
// | 415    | { error }                             | Content-Type is not application/json                        |
// | 400    | { error }                             | X-GitHub-Event or X-GitHub-Delivery missing or malformed    |
// | 401    | { error }                             | X-Hub-Signature-256 missing                                 |
// | 413    | { error }                             | body over 25 MB (GitHub's own cap), refused while reading   |
// | 401    | { error }                             | X-Hub-Signature-256 matches the body under no secret        |
// | 400    | { error }                             | body is not JSON, or a field Pilot reads is malformed       |
// | 200    | { status: 'duplicate' }               | this X-GitHub-Delivery was seen before; nothing is done     |
// | 202    | { status: 'ignored' }                 | an event or action Pilot has no use for                     |
// | 202    | { status: 'accepted', event: <kind> } | onEvent runs after the answer is sent                       |
//
// The first four need no body and are answered before it is read.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../reconciler/logger.js';
import type { WebhookEvent } from './events.js';
import type { Deliveries } from '../../reconciler/store-port.js';
import { checkHeaders, deliveryOf, receive, reject, type Answer, type Delivery, type Outcome } from './receive.js';

/** GitHub does not deliver payloads over 25 MB. */
export const maxBodyBytes = 25 * 1024 * 1024;

const readRefusals = new Map<number, Answer>([
  [413, reject(413, 'too-large', 'the body is over 25 MB, more than GitHub sends')],
  [415, reject(415, 'unsupported-media-type', 'Content-Type must be application/json')],
  [400, reject(400, 'unreadable-body', 'the request body could not be read')],
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
}

/** Registers the route in its own plugin scope: its raw-body JSON parser touches no other route. */
export function registerGithubWebhooks(app: FastifyInstance, options: GithubWebhookOptions): void {
  void app.register(async (scope) => {
    const outcomes = new WeakMap<FastifyRequest, Outcome>();
    const send = (request: FastifyRequest, reply: FastifyReply, answer: Answer) => {
      outcomes.set(request, answer.outcome);
      return reply.code(answer.status).send(answer.body);
    };

    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => {
      done(null, body);
    });
    // Fastify's own refusals while reading the body, in the same shape as ours.
    scope.setErrorHandler((error: { statusCode?: number }, request, reply) => {
      const refusal = readRefusals.get(error.statusCode ?? 500);
      if (refusal !== undefined) return send(request, reply, refusal);
      contextLogger(options.logger, deliveryOf(request.headers)).error({ error: String(error) }, 'github webhook failed');
      return reply.code(500).send({ error: 'internal error; see the pilot log' });
    });

    scope.post(options.path ?? '/webhooks/github', {
      bodyLimit: maxBodyBytes,
      onRequest: async (request, reply) => {
        const refused = checkHeaders(request.headers, options.secrets());
        if (refused !== undefined) return send(request, reply, refused);
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
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const { answer, event, delivery } = await receive({
        headers: request.headers, rawBody, secrets: options.secrets(), deliveries: options.deliveries,
      });
      if (event !== undefined && delivery !== undefined) setImmediate(() => dispatch(event, delivery, options));
      return send(request, reply, answer);
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

/** A logger whose lines carry `bindings`: pino's child when there is one. */
function contextLogger(logger: Logger, bindings: object): Logger {
  const parent = logger as Logger & { child?: (bindings: object) => Logger };
  if (typeof parent.child === 'function') return parent.child(bindings);
  return {
    debug: (data, message) => logger.debug({ ...bindings, ...data }, message),
    info: (data, message) => logger.info({ ...bindings, ...data }, message),
    warn: (data, message) => logger.warn({ ...bindings, ...data }, message),
    error: (data, message) => logger.error({ ...bindings, ...data }, message),
  };
}
