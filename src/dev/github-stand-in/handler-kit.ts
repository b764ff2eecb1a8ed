// What every endpoint handler gets (the world, the caller, coerced parameters, the
// body) and the small lookups they share: the repository, the acting account, a
// number parameter, a paginated list answer.

import { notFound, refused } from './api-error.js';
import type { Credentials, Caller } from './credentials.js';
import { pageOf } from './pagination.js';
import type { Urls } from './shapes-accounts.js';
import type { ShapeContext } from './shapes-records.js';
import type { Account } from './types.js';
import type { RepoState, World } from './world.js';

export interface HandlerContext {
  world: World;
  caller: Caller;
  credentials: Credentials;
  /** Path and query parameters; typed by their schema when the stand-in validates. */
  params: Record<string, unknown>;
  body: Record<string, unknown>;
  /** The request's full URL, for Link headers. */
  url: URL;
  urls: Urls;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  handle(ctx: HandlerContext): Reply;
}

export function repoOf(ctx: HandlerContext): RepoState {
  const repo = ctx.world.repo(`${String(ctx.params.owner)}/${String(ctx.params.repo)}`);
  if (!repo) throw notFound();
  return repo;
}

export function shapeContext(ctx: HandlerContext, repo: RepoState): ShapeContext {
  return { repo, app: ctx.world.app, urls: ctx.urls };
}

/** The user or the app's bot acting; the app's JWT acts for no account. */
export function actor(ctx: HandlerContext): Account {
  if (ctx.caller.kind === 'app') throw refused(403, 'A JWT cannot act on a repository; use an installation token');
  return ctx.caller.account;
}

/** An integer parameter; without validation it may still be text, and a non-number is not found. */
export function intParam(ctx: HandlerContext, name: string): number {
  const value = Number(ctx.params[name]);
  if (!Number.isInteger(value)) throw notFound();
  return value;
}

export function optionalString(ctx: HandlerContext, name: string): string | undefined {
  const value = ctx.params[name];
  return typeof value === 'string' ? value : undefined;
}

export function listReply<T>(ctx: HandlerContext, all: readonly T[], shape: (item: T) => unknown): Reply {
  const page = pageOf(all, ctx.params, ctx.url);
  return { status: 200, body: page.items.map(shape), ...(page.link ? { headers: { link: page.link } } : {}) };
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
