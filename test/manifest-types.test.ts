import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateManifestTypes, generatedTypesUrl } from '../scripts/gen-manifest-types.js';

describe('manifest types', () => {
  it('are exactly what the schema generates (run `npm run gen:types` after editing the schema)', async () => {
    const committed = readFileSync(generatedTypesUrl, 'utf8');
    expect(committed).toBe(await generateManifestTypes());
  });
});
