// The leader's side of the shared inbox: what any daemon accepted (a webhook event, a
// `pilot sync`) is posted to the store, and the leader takes it from there, oldest
// first, every pollMs. An item is done once it has been turned into a request in the
// lanes; one taken by a leader that died before that is taken again by the next.

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

  const drainOnce = async (): Promise<number> => {
    const taken = await inbox.take(options.batch ?? 100);
    for (const { id, item } of taken) {
      if (stopped) return taken.length;
      if (!isItem(item)) {
        logger.warn({ inboxItem: id }, 'an inbox item of no known kind was dropped');
      } else {
        await options.handle(item);
        logger.info({ inboxItem: id, kind: item.kind, ...(item.kind === 'event' ? { delivery: item.delivery.id } : {}) }, 'inbox item handled');
      }
      await inbox.done(id);
    }
    return taken.length;
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
