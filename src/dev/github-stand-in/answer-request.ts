// One API request from arrival to answer, in GitHub's order: route, credentials, rate
// limit, then the OpenAPI checks, then the endpoint. Returns the answer and what the
// record of the request should say about it; no I/O here.

import { ApiError, errorBody, refused } from './api-error.js';
import { isAppEndpoint, type Caller, type Credentials } from './credentials.js';
import { endpoints } from './endpoints.js';
import type { Reply } from './handler-kit.js';
import type { OpenApiDocument } from './openapi-document.js';
import type { RateLimits } from './rate-limits.js';
import { matchRoute, pathSegments } from './route-match.js';
import type { Urls } from './shapes-accounts.js';
import type { RecordedRequest } from './stand-in-options.js';
import { checkRequest } from './validate-request.js';
import { answerProblems } from './validate-response.js';
import type { World } from './world.js';

export interface Deps {
  document: OpenApiDocument;
  validating: boolean;
  checkAnswers: boolean;
  prefix: string;
  world: World;
  credentials: Credentials;
  limits: RateLimits;
  urls: Urls;
}

export interface Incoming {
  method: string;
  url: URL;
  authorization: string | undefined;
  rawBody: string;
}

export type Outcome = Reply & Pick<RecordedRequest, 'operationId' | 'invalid' | 'rateLimited'> & { body: unknown };

function identityOf(caller: Caller | ApiError): string {
  if (caller instanceof ApiError) return '127.0.0.1';
  if (caller.kind === 'user') return `user ID ${caller.account.id}`;
  return caller.kind === 'installation' ? `installation ID ${caller.installationId}` : 'app';
}

function fromError(error: ApiError, rateHeaders: Record<string, string>, operationId?: string): Outcome {
  return {
    status: error.status, body: error.body, headers: rateHeaders, ...(operationId ? { operationId } : {}),
    ...(error.invalid ? { invalid: [error.detail ?? String(error.body.message)] } : {}),
  };
}

export function answerRequest(deps: Deps, incoming: Incoming): Outcome {
  const method = incoming.method.toUpperCase();
  const path = incoming.url.pathname;
  const inside = deps.prefix === '' || path.startsWith(`${deps.prefix}/`);
  const segments = inside ? pathSegments(path.slice(deps.prefix.length)) : undefined;
  const route = segments ? matchRoute(deps.document, method, segments) : ({ kind: 'no-path' } as const);
  const caller = deps.credentials.authenticate(incoming.authorization, route.kind === 'operation' && isAppEndpoint(route.template));
  const limit = deps.limits.take(identityOf(caller));
  const operationId = route.kind === 'operation' ? route.operation.operationId : undefined;
  if (limit.refusal) {
    const refusal = fromError(limit.refusal.error, { ...limit.headers }, operationId);
    return { ...refusal, rateLimited: limit.refusal.kind };
  }
  const headers = limit.headers;
  if (route.kind !== 'operation') {
    const why = route.kind === 'no-method' ? `GitHub's REST API has ${route.template} but no ${method} on it` : `no ${method} ${path} in GitHub's REST API${deps.prefix ? ` under ${deps.prefix}` : ''}`;
    return fromError(refused(404, 'Not Found', { detail: why }), headers);
  }
  if (caller instanceof ApiError) return fromError(caller, headers, operationId);

  let body: unknown;
  try {
    body = incoming.rawBody.trim() === '' ? undefined : JSON.parse(incoming.rawBody);
  } catch {
    return fromError(refused(400, 'Problems parsing JSON'), headers, operationId);
  }
  const query = incoming.url.searchParams;
  let params: Record<string, unknown> = { ...Object.fromEntries(query), ...route.params };
  if (deps.validating) {
    const checked = checkRequest(deps.document, route.operation, route.params, query, body);
    if (checked.problems.length > 0) {
      const message = `Invalid request.\n\n${checked.problems.join('\n')}`;
      return fromError(refused(422, message, { detail: message }), headers, operationId);
    }
    params = checked.params;
  }
  const endpoint = endpoints[route.operation.operationId];
  if (!endpoint) {
    const message = `The GitHub stand-in does not implement ${method} ${route.template} (${route.operation.operationId}).`;
    return fromError(new ApiError(501, errorBody(501, message), true), headers, operationId);
  }
  try {
    const objectBody = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const reply = endpoint.handle({ world: deps.world, caller, credentials: deps.credentials, params, body: objectBody, url: incoming.url, urls: deps.urls });
    const problems = deps.validating && deps.checkAnswers ? answerProblems(deps.document, route.operation, reply.status, reply.body) : [];
    if (problems.length > 0) throw new Error(`The stand-in's answer to ${method} ${route.template} breaks GitHub's description: ${problems.join('; ')}`);
    return { ...reply, body: reply.body, headers: { ...headers, ...reply.headers }, operationId: route.operation.operationId };
  } catch (error) {
    if (error instanceof ApiError) return fromError(error, headers, operationId);
    throw error;
  }
}
