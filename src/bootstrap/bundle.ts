// The Pilot that runs `pilot bootstrap`, packed for the VM: `npm pack` of this package
// (what `npm run build` last built, with deploy/, runner-image/ and pilot-sync's bundle),
// named in the state bucket by its hash, so the VM installs exactly these bytes.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PilotBundle } from './options.js';

/** This package's root: two folders up from src/bootstrap/ (tsx) or dist/bootstrap/ (built). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PackedPilot extends PilotBundle {
  /** Where the tarball was written. */
  path: string;
}

export async function packPilot(destination: string, npm = 'npm'): Promise<PackedPilot> {
  if (!existsSync(path.join(packageRoot, 'dist', 'main.js'))) {
    throw new Error(`${packageRoot} has no dist/: run npm run build first (pilot bootstrap packs the built Pilot for the VM), or give --pilot-package`);
  }
  // --ignore-scripts: pack what is built, without building again (prepare would).
  const { stdout } = await promisify(execFile)(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], { cwd: packageRoot, maxBuffer: 16 * 2 ** 20 });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (!packed) throw new Error('npm pack wrote no tarball');
  const file = path.join(destination, packed.filename);
  const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
  return { file: packed.filename, path: file, sha256, key: `bootstrap/packages/${packed.filename.replace(/\.tgz$/, '')}-${sha256.slice(0, 12)}.tgz` };
}
