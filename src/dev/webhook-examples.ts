// The payload a sample delivery starts from: GitHub's own example of the event
// (@octokit/webhooks-examples, a devDependency, loaded only when asked for), or,
// where that package is not installed, Pilot's built-in minimal one.

import { createRequire } from 'node:module';
import { builtInPayload } from './webhook-fallback.js';

/** A webhook payload as GitHub sends it: plain JSON, edited in place by webhook-payload.ts. */
export type Payload = Record<string, any>;

export const sampleEvents = ['push', 'pull_request', 'release'] as const;
export type SampleEvent = (typeof sampleEvents)[number];

export interface Example {
  payload: Payload;
  from: 'octokit' | 'built-in';
}

interface Definition {
  name: string;
  examples?: Payload[];
}

let installed: Definition[] | null | undefined;

/** The package's definitions, or null when it is not installed (a production install). */
function definitions(): Definition[] | null {
  if (installed === undefined) {
    try {
      installed = createRequire(import.meta.url)('@octokit/webhooks-examples') as Definition[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      installed = null;
    }
  }
  return installed;
}

/** What makes an example the best start: a branch push, the pull request action asked for, a publication. */
function fits(event: SampleEvent, payload: Payload, action: string | undefined): boolean {
  if (event === 'push') return typeof payload.ref === 'string' && payload.ref.startsWith('refs/heads/') && payload.head_commit != null;
  if (event === 'release') return payload.action === 'published';
  return payload.action === action;
}

/** A fresh copy of the example of `event` that fits best; `builtIn` skips the package. */
export function examplePayload(event: SampleEvent, options: { action?: string; builtIn?: boolean } = {}): Example {
  const examples = options.builtIn ? undefined : definitions()?.find((d) => d.name === event)?.examples;
  if (examples === undefined || examples.length === 0) return { payload: builtInPayload(event), from: 'built-in' };
  const best = examples.find((e) => fits(event, e, options.action)) ?? examples.find((e) => fits(event, e, 'opened')) ?? examples[0];
  return { payload: structuredClone(best) as Payload, from: 'octokit' };
}
