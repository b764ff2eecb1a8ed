// Bundles pilot-sync and its SDKs into the one executable file the runner image ships.
import { chmodSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'pilot-sync.cjs');
// Written beside the target and renamed, so that a test or a runner never executes a half-written file.
const partial = `${outfile}.${process.pid}.tmp`;

mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile: partial,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // CommonJS, because several bundled SDK modules still call require() at run time.
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(partial, 0o755);
renameSync(partial, outfile);
