// The leader's side of the shared inbox: what any daemon accepted (a webhook event, a
// `pilot sync`) is posted to the store, and the leader takes it from there, oldest
// first, every pollMs. An item is done once it has been turned into a request in the
// lanes; one taken by a leader that died before that is taken again by the next, and
// one whose handling failed here is tried again by this one before it takes more.

import type { Inbox } from '../reconciler/store-port.js';
import type { Request } from '../reconciler/requests.js';
import type { WebhookEvent } from '../sources/github/events.js';
import type { PinoLogger } from './logger.js';

/** What daemons post: a webhook event (mapped to a request by the leader, which knows the apps) or a request. */
export type InboxItem =
  | { kind: 'event'; delivery: { id: string; name: string }; event: WebhookEvent }
  | { kind: 'request'; request: Request };

export interface InboxConsumer {
  stop(): Promise<void>;
}

export interface InboxConsumerOptions {
  inbox: Inbox;
  logger: PinoLogger;
  /** Acts on one item (pushes its request); an item it throws on stays for the next take. */
  handle(item: InboxItem): void | Promise<void>;
  pollMs?: number;
  /** Items per take. */
  batch?: number;
}

function isItem(value: unknown): value is InboxItem {
  const item = value as Partial<InboxItem> | null;
  return typeof item === 'object' && item !== null && (item.kind === 'event' || item.kind === 'request');
}

export function consumeInbox(options: InboxConsumerOptions): InboxConsumer {
  const { inbox, logger } = options;
  const pollMs = options.pollMs ?? 250;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  // Items this leader took and has not finished: the store gives an item to one leader
  // generation once, so one whose handling or `done` failed is finished from here.
  const pending: { id: number; item: unknown; handled: boolean }[] = [];

  const drainOnce = async (): Promise<number> => {
    const taken = pending.length ? [] : await inbox.take(options.batch ?? 100);
    pending.push(...taken.map((t) => ({ ...t, handled: false })));
    let finished = 0;
    while (pending.length && !stopped) {
      const next = pending[0]!;
      if (!next.handled) {
        if (!isItem(next.item)) {
          logger.warn({ inboxItem: next.id }, 'an inbox item of no known kind was dropped');
        } else {
          await options.handle(next.item);
          logger.info({ inboxItem: next.id, kind: next.item.kind, ...(next.item.kind === 'event' ? { delivery: next.item.delivery.id } : {}) }, 'inbox item handled');
        }
        next.handled = true;
      }
      await inbox.done(next.id);
      pending.shift();
      finished += 1;
    }
    return finished;
  };

  const loop = async () => {
    let more = false;
    try {
      more = (await drainOnce()) > 0;
    } catch (error) {
      if (!stopped) logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'could not take from the inbox; trying again');
    }
    if (!stopped) timer = setTimeout(() => void loop(), more ? 0 : pollMs);
  };
  void loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
