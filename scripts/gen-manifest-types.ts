// Regenerates src/sources/manifests/manifest.gen.ts from schemas/pilot.schema.json.
// `npm run gen:types`; test/manifest-types.test.ts fails when the two drift apart.
// `provider` is typed as a string: the schema file lists the built-in clouds, and
// loading checks a manifest against the providers of the registry it is given.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import { readFileSync } from 'node:fs';

export const generatedTypesUrl = new URL('../src/sources/manifests/manifest.gen.ts', import.meta.url);
const schemaUrl = new URL('../schemas/pilot.schema.json', import.meta.url);

export async function generateManifestTypes(): Promise<string> {
  const schema = JSON.parse(readFileSync(schemaUrl, 'utf8'));
  schema.$defs.provider.tsType = 'string';
  return compile(schema, 'ProjectManifest', {
    bannerComment:
      '// Generated from schemas/pilot.schema.json by `npm run gen:types`. Do not edit by hand.\n/* eslint-disable */',
    additionalProperties: false,
    strictIndexSignatures: true,
    format: true,
    cwd: fileURLToPath(new URL('../schemas/', import.meta.url)),
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(generatedTypesUrl, await generateManifestTypes());
  console.log(`wrote ${fileURLToPath(generatedTypesUrl)}`);
}
