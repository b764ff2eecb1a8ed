// GitHub webhook payloads turned into the few facts Pilot acts on. The payload is
// untrusted input: every field read here is checked, and nothing else is kept.

import { isObject, MalformedPayloadError, PayloadReader } from './payload-fields.js';

export interface PingEvent {
  kind: 'ping';
  zen?: string;
  hookId?: number;
}

export interface PushEvent {
  kind: 'push';
  /** Every URL GitHub gives for the repository (https, html, ssh, git://). */
  repoUrls: string[];
  /** owner/name. */
  fullName: string;
  /** e.g. refs/heads/main or refs/tags/v1. */
  ref: string;
  before: string;
  after: string;
  /** The ref was deleted; `after` is all zeros. */
  deleted: boolean;
  forced: boolean;
  /** Files added, modified or removed by the pushed commits, sorted. */
  changedPaths: string[];
}

export interface ReleaseEvent {
  kind: 'release';
  repoUrls: string[];
  fullName: string;
  tag: string;
  /** The branch (or commit) the release was cut from: GitHub's target_commitish. */
  target?: string;
}

export interface PullRequestEvent {
  kind: 'pull_request';
  /** GitHub's action: opened, synchronize, reopened, closed, labeled... */
  action: string;
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** The base repository, the one the webhook belongs to. */
  repoUrls: string[];
  fullName: string;
  /** The base repository's web address. */
  htmlUrl: string;
  /** owner/name of the head's repository; undefined when that repository was deleted. */
  headRepo: string | undefined;
  /** closed: merged (true) or closed without merging. */
  merged: boolean;
}

export type WebhookEvent = PingEvent | PushEvent | ReleaseEvent | PullRequestEvent;

/**
 * The event a delivery carries, or undefined for one Pilot ignores (an event or
 * action it has no use for). Throws MalformedPayloadError listing every bad field.
 */
export function parseEvent(name: string, payload: unknown): WebhookEvent | undefined {
  if (!isObject(payload)) throw new MalformedPayloadError(name, ['the payload must be a JSON object']);
  const read = new PayloadReader();
  const event = readEvent(name, payload, read);
  read.check(name);
  return event;
}

function readEvent(name: string, payload: unknown, read: PayloadReader): WebhookEvent | undefined {
  switch (name) {
    case 'ping':
      return readPing(payload, read);
    case 'push':
      return readPush(payload, read);
    case 'release':
      return readRelease(payload, read);
    case 'pull_request':
      return readPullRequest(payload, read);
    default:
      return undefined;
  }
}

function readPing(payload: unknown, read: PayloadReader): PingEvent {
  const zen = read.optionalString(payload, 'zen');
  const hookId = read.optionalInteger(payload, 'hook_id');
  return { kind: 'ping', ...(zen === undefined ? {} : { zen }), ...(hookId === undefined ? {} : { hookId }) };
}

function readPush(payload: unknown, read: PayloadReader): PushEvent {
  return {
    kind: 'push',
    ...readRepository(payload, read),
    ref: read.string(payload, 'ref'),
    before: read.string(payload, 'before'),
    after: read.string(payload, 'after'),
    deleted: read.boolean(payload, 'deleted'),
    forced: read.boolean(payload, 'forced'),
    changedPaths: readChangedPaths(payload, read),
  };
}

function readRelease(payload: unknown, read: PayloadReader): ReleaseEvent | undefined {
  if (read.string(payload, 'action') !== 'published') return undefined;
  const target = read.optionalString(payload, 'release.target_commitish');
  return { kind: 'release', ...readRepository(payload, read), tag: read.string(payload, 'release.tag_name'), ...(target ? { target } : {}) };
}

function readPullRequest(payload: unknown, read: PayloadReader): PullRequestEvent {
  return {
    kind: 'pull_request',
    action: read.string(payload, 'action'),
    number: read.integer(payload, 'number'),
    headSha: read.string(payload, 'pull_request.head.sha'),
    headRef: read.string(payload, 'pull_request.head.ref'),
    baseRef: read.string(payload, 'pull_request.base.ref'),
    htmlUrl: read.string(payload, 'repository.html_url'),
    headRepo: read.optionalString(payload, 'pull_request.head.repo.full_name'),
    merged: read.optionalBoolean(payload, 'pull_request.merged') ?? false,
    ...readRepository(payload, read),
  };
}

function readRepository(payload: unknown, read: PayloadReader): { repoUrls: string[]; fullName: string } {
  const fullName = read.string(payload, 'repository.full_name');
  const urls = [
    read.string(payload, 'repository.clone_url'),
    read.string(payload, 'repository.html_url'),
    // Absent on some GitHub Enterprise payloads.
    read.optionalString(payload, 'repository.ssh_url'),
    read.optionalString(payload, 'repository.git_url'),
  ];
  const repoUrls = [...new Set(urls.filter((url): url is string => url !== undefined && url !== ''))];
  return { repoUrls, fullName };
}

/** The union of every commit's file lists; empty when the payload has none (a tag, a deletion). */
function readChangedPaths(payload: unknown, read: PayloadReader): string[] {
  const paths = new Set<string>();
  const count = read.optionalLength(payload, 'commits');
  for (let i = 0; i < count; i++) {
    for (const list of ['added', 'modified', 'removed']) {
      for (const file of read.optionalStrings(payload, `commits.${i}.${list}`)) paths.add(file);
    }
  }
  return [...paths].sort();
}
