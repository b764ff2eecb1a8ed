// dist/, the compiled CLI the package's bin (bin/pilot.js) runs: `npm ci` builds it
// (prepare). Tests that run the bin make sure it is there and not older than src/.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './reconcile-child.js';

const run = promisify(execFile);

/** src/ files whose compiled output in dist/ is missing or older than they are. */
export function staleSources(root = repoRoot): string[] {
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) {
        const out = path.join(root, 'dist', path.relative(path.join(root, 'src'), file)).replace(/\.ts$/, '.js');
        if (!existsSync(out) || statSync(out).mtimeMs < statSync(file).mtimeMs) stale.push(path.relative(root, file));
      }
    }
  };
  walk(path.join(root, 'src'));
  return stale;
}

/**
 * Fails with what to do when dist/ was never built; rebuilds it (`npm run build`, as
 * `npm ci` does) when src/ changed since. A build that fails fails the test with its errors.
 */
export async function ensureBuiltDist(root = repoRoot): Promise<void> {
  if (!existsSync(path.join(root, 'dist', 'main.js'))) {
    throw new Error(`${path.join(root, 'dist')} is missing: run 'npm ci' (it builds dist/ for the pilot bin) or 'npm run build' first`);
  }
  const stale = staleSources(root);
  if (stale.length === 0) return;
  try {
    await run('npm', ['run', 'build'], { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`dist/ is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}, and 'npm run build' failed:\n${stdout}${stderr}`);
  }
  const still = staleSources(root);
  if (still.length) throw new Error(`'npm run build' left dist/ older than ${still.join(', ')}`);
}
