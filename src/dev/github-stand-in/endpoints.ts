// Every endpoint the stand-in implements, by OpenAPI operationId. Without the OpenAPI
// description (openapi: 'if-installed'), their own paths make a small description to
// route by, so the stand-in still answers, unvalidated.

import type { OpenApiDocument, Operation } from './openapi-document.js';
import type { Endpoint } from './handler-kit.js';
import { appEndpoints } from './handlers-app.js';
import { checkEndpoints } from './handlers-checks.js';
import { commentEndpoints } from './handlers-comments.js';
import { deploymentEndpoints } from './handlers-deployments.js';
import { repoEndpoints } from './handlers-repos.js';
import { statusEndpoints } from './handlers-statuses.js';

export const endpoints: Readonly<Record<string, Endpoint>> = {
  ...appEndpoints,
  ...repoEndpoints,
  ...commentEndpoints,
  ...checkEndpoints,
  ...statusEndpoints,
  ...deploymentEndpoints,
};

/** Parameters that may span path segments (a ref such as feature/x), as GitHub's description marks them. */
const multiSegment = new Set(['ref', 'sha', 'commit_sha']);

export function routingOnlyDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [operationId, endpoint] of Object.entries(endpoints)) {
    const names = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const parameters = names.map((name) => ({ name, in: 'path' as const, required: true, 'x-multi-segment': multiSegment.has(name) }));
    const operation: Operation = { operationId, parameters };
    paths[endpoint.path] = { ...paths[endpoint.path], [endpoint.method]: operation };
  }
  return { paths, components: { schemas: {}, parameters: {}, responses: {} } };
}
