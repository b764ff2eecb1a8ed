// Checks the stand-in's own answers against the response schemas of GitHub's OpenAPI
// description (with startGithubStandIn({ checkAnswers: true })), so that what clients
// read here has every field and type GitHub's answers have.

import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPkg from 'ajv-formats';
import type { JsonSchema, OpenApiDocument, Operation } from './openapi-document.js';
import { selfContained } from './openapi-schema.js';

const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
addFormatsPkg.default(ajv);
for (const name of ['int32', 'int64', 'double', 'binary', 'timestamp', 'repo.nwo']) ajv.addFormat(name, true);
// GitHub answers "" for a deployment status's unset target_url and log_url, though the
// description gives them format uri (and "" as their default).
const uri = ajv.formats.uri;
ajv.addFormat('uri', (value: string) => value === '' || (typeof uri === 'function' ? uri(value) : uri instanceof RegExp ? uri.test(value) : true));

const compiled = new WeakMap<OpenApiDocument, Map<string, ValidateFunction | null>>();

function responseSchema(document: OpenApiDocument, operation: Operation, status: number): JsonSchema | undefined {
  let response = operation.responses?.[String(status)];
  if (response?.$ref) response = document.components.responses[response.$ref.replace('#/components/responses/', '')] as typeof response;
  return response?.content?.['application/json']?.schema;
}

/** What in `body` breaks the description's schema for this answer; [] when it conforms or has no schema. */
export function answerProblems(document: OpenApiDocument, operation: Operation, status: number, body: unknown): string[] {
  let cache = compiled.get(document);
  if (!cache) compiled.set(document, (cache = new Map()));
  const key = `${operation.operationId} ${status}`;
  let validate = cache.get(key);
  if (validate === undefined) {
    const schema = responseSchema(document, operation, status);
    validate = schema ? ajv.compile(selfContained(document, schema, { closeObjects: false })) : null;
    cache.set(key, validate);
  }
  if (!validate || validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
}
