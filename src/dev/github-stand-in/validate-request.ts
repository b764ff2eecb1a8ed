// Checks a request's path parameters, query and JSON body against its operation in
// GitHub's OpenAPI description, returning every problem at once. Validators are
// compiled on an operation's first request and kept for the process, shared by every
// stand-in, so a suite of many tests compiles each operation once.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPkg from 'ajv-formats';
import { resolveParameter, type JsonSchema, type OpenApiDocument, type Operation, type Parameter } from './openapi-document.js';
import { selfContained } from './openapi-schema.js';

export interface CheckedRequest {
  /** Path and query parameters coerced to their schema's types (issue_number: 7). */
  params: Record<string, unknown>;
  problems: string[];
}

interface Compiled {
  path: ValidateFunction;
  query: ValidateFunction;
  queryArrays: Set<string>;
  body?: ValidateFunction;
  bodyRequired: boolean;
}

/** Formats GitHub's description uses that JSON Schema does not define: accepted as they come. */
const openFormats = ['int32', 'int64', 'double', 'binary', 'timestamp', 'repo.nwo'];

function newAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false, validateSchema: false, coerceTypes });
  addFormatsPkg.default(ajv);
  for (const name of openFormats) ajv.addFormat(name, true);
  return ajv;
}

const bodyAjv = newAjv(false);
const paramAjv = newAjv(true);
const compiledOperations = new WeakMap<OpenApiDocument, Map<string, Compiled>>();

function compile(document: OpenApiDocument, operation: Operation): Compiled {
  let cache = compiledOperations.get(document);
  if (!cache) compiledOperations.set(document, (cache = new Map()));
  const known = cache.get(operation.operationId);
  if (known) return known;
  const parameters = (operation.parameters ?? []).map((p) => resolveParameter(document, p));
  const objectOf = (where: Parameter['in']): JsonSchema => {
    const list = parameters.filter((p) => p.in === where);
    const properties = Object.fromEntries(list.map((p) => [p.name, p.schema ?? {}]));
    const required = list.filter((p) => p.required).map((p) => p.name);
    return selfContained(document, { type: 'object', properties, required }, { closeObjects: true });
  };
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  const compiled: Compiled = {
    path: paramAjv.compile(objectOf('path')),
    query: paramAjv.compile(objectOf('query')),
    queryArrays: new Set(parameters.filter((p) => p.in === 'query' && p.schema?.type === 'array').map((p) => p.name)),
    ...(bodySchema ? { body: bodyAjv.compile(selfContained(document, bodySchema, { closeObjects: true })) } : {}),
    bodyRequired: operation.requestBody?.required === true,
  };
  cache.set(operation.operationId, compiled);
  return compiled;
}

export function checkRequest(
  document: OpenApiDocument,
  operation: Operation,
  pathParams: Record<string, string>,
  query: URLSearchParams,
  body: unknown,
): CheckedRequest {
  const compiled = compile(document, operation);
  const problems: string[] = [];
  const path: Record<string, unknown> = { ...pathParams };
  if (!compiled.path(path)) problems.push(...describe(compiled.path.errors, 'in the path'));
  const queryValues: Record<string, unknown> = {};
  for (const name of new Set(query.keys())) {
    queryValues[name] = compiled.queryArrays.has(name) ? query.getAll(name) : query.get(name);
  }
  if (!compiled.query(queryValues)) problems.push(...describe(compiled.query.errors, 'in the query'));
  if (compiled.body && (body !== undefined || compiled.bodyRequired)) {
    if (!compiled.body(body ?? {})) problems.push(...describe(compiled.body.errors, ''));
  }
  return { params: { ...queryValues, ...path }, problems };
}

/** ajv's errors in the words GitHub uses where it has them ("x" wasn't supplied). */
function describe(errors: ErrorObject[] | null | undefined, where: string): string[] {
  const suffix = where ? ` ${where}` : '';
  return (errors ?? []).map((error) => {
    const at = error.instancePath.replace(/^\//, '') || 'the body';
    if (error.keyword === 'required') return `"${String(error.params.missingProperty)}" wasn't supplied${suffix}.`;
    if (error.keyword === 'additionalProperties') {
      const key = String(error.params.additionalProperty);
      return `"${key}" is not a permitted key${error.instancePath ? ` of '${at}'` : ''}${suffix}.`;
    }
    const value = JSON.stringify(error.data)?.slice(0, 80) ?? 'undefined';
    const allowed = error.keyword === 'enum' ? `: ${JSON.stringify(error.params.allowedValues)}` : '';
    return `For '${at}'${suffix}, ${value} ${error.message ?? 'is invalid'}${allowed}.`;
  });
}
