// GitHub's OpenAPI 3.0 description of api.github.com, from the @octokit/openapi
// package, read once per process: many tests start a stand-in, and parsing the 13 MB
// file costs about 0.3 s. The dereferenced variant (73 MB) takes 1.6–1.9 s, so the
// $ref'd one is used and each operation's schemas are resolved when first needed.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type JsonSchema = { [keyword: string]: unknown };

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
  'x-multi-segment'?: boolean;
}

export interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  externalDocs?: { url?: string };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; parameters: Record<string, Parameter>; responses: Record<string, unknown> };
}

const packageFile = '@octokit/openapi/generated/api.github.com.json';
let cached: { document: OpenApiDocument; loadMs: number } | undefined;

/** The description, or undefined when @octokit/openapi is not installed. */
export function loadOpenApi(): { document: OpenApiDocument; loadMs: number } | undefined {
  if (cached) return cached;
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve(packageFile);
  } catch {
    return undefined;
  }
  const started = performance.now();
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  cached = { document, loadMs: performance.now() - started };
  return cached;
}

export function missingOpenApiMessage(): string {
  return `The GitHub stand-in validates requests against GitHub's OpenAPI description, but ${packageFile} cannot be found. Install it (npm install --save-dev @octokit/openapi) or start the stand-in with openapi: 'if-installed' to run unvalidated.`;
}

/** A parameter with its $ref (#/components/parameters/x) resolved. */
export function resolveParameter(document: OpenApiDocument, parameter: Parameter | { $ref: string }): Parameter {
  if (!('$ref' in parameter)) return parameter;
  const name = parameter.$ref.replace('#/components/parameters/', '');
  const found = document.components.parameters[name];
  if (!found) throw new Error(`The OpenAPI description has no parameter ${parameter.$ref}`);
  return found;
}
