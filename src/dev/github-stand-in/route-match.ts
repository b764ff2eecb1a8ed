// Finds the OpenAPI path template and operation a request is for. A parameter marked
// x-multi-segment (a ref or sha such as feature/x) may span several path segments;
// when several templates match, the one with the most literal segments wins, as
// /commits/{ref}/status must win over /commits/{ref} with ref "abc/status".

import { resolveParameter, type OpenApiDocument, type Operation } from './openapi-document.js';

interface Template {
  path: string;
  segments: { literal?: string; param?: string; multi: boolean }[];
  operations: Record<string, Operation>;
}

export type RouteMatch =
  | { kind: 'operation'; template: string; operation: Operation; params: Record<string, string> }
  | { kind: 'no-method'; template: string }
  | { kind: 'no-path' };

const methods = new Set(['get', 'put', 'post', 'patch', 'delete', 'head', 'options']);
const compiled = new WeakMap<OpenApiDocument, Template[]>();

function templatesOf(document: OpenApiDocument): Template[] {
  const known = compiled.get(document);
  if (known) return known;
  const templates = Object.entries(document.paths).map(([path, item]) => {
    const operations = Object.fromEntries(Object.entries(item).filter(([m]) => methods.has(m)));
    const multi = new Set(
      Object.values(operations).flatMap((op) =>
        (op.parameters ?? []).map((p) => resolveParameter(document, p)).filter((p) => p['x-multi-segment']).map((p) => p.name),
      ),
    );
    const segments = path.split('/').slice(1).map((part) => {
      const param = /^\{(.+)\}$/.exec(part)?.[1];
      return param ? { param, multi: multi.has(param) } : { literal: part, multi: false };
    });
    return { path, segments, operations };
  });
  compiled.set(document, templates);
  return templates;
}

/** `segments` are the request path's segments, already percent-decoded one by one. */
function matchSegments(template: Template, segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const walk = (t: number, s: number): boolean => {
    if (t === template.segments.length) return s === segments.length;
    const part = template.segments[t]!;
    if (s >= segments.length) return false;
    if (part.literal !== undefined) return part.literal === segments[s] && walk(t + 1, s + 1);
    if (segments[s] === '') return false;
    const longest = part.multi ? segments.length - s - (template.segments.length - t - 1) : 1;
    // Shortest first: a ref takes as few segments as still lets the rest match.
    for (let take = 1; take <= longest; take += 1) {
      params[part.param!] = segments.slice(s, s + take).join('/');
      if (walk(t + 1, s + take)) return true;
    }
    return false;
  };
  return walk(0, 0) ? params : undefined;
}

export function matchRoute(document: OpenApiDocument, method: string, segments: string[]): RouteMatch {
  let best: { template: Template; params: Record<string, string>; literals: number } | undefined;
  let pathOnly: Template | undefined;
  for (const template of templatesOf(document)) {
    const params = matchSegments(template, segments);
    if (!params) continue;
    if (!template.operations[method.toLowerCase()]) {
      pathOnly ??= template;
      continue;
    }
    const literals = template.segments.filter((s) => s.literal !== undefined).length;
    if (!best || literals > best.literals) best = { template, params, literals };
  }
  if (best) return { kind: 'operation', template: best.template.path, operation: best.template.operations[method.toLowerCase()]!, params: best.params };
  return pathOnly ? { kind: 'no-method', template: pathOnly.path } : { kind: 'no-path' };
}

/** The request path's segments, decoded one by one so that an encoded %2F stays inside its segment. */
export function pathSegments(path: string): string[] | undefined {
  try {
    return path.split('/').slice(1).map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}
