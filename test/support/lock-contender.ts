// A process that contends for a state directory's lock on command, for the lock's race
// tests: `take` answers `held` or `refused <message>`, `release` answers `released`.

import { createInterface } from 'node:readline';
import { lockStateDir, type StateLock } from '../../src/app/lock.js';

const [dir = '', command = 'pilot serve'] = process.argv.slice(2);
let lock: StateLock | undefined;

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'take') {
    try {
      lock = lockStateDir(dir, command);
      process.stdout.write('held\n');
    } catch (error) {
      process.stdout.write(`refused ${(error as Error & { code?: string }).code ?? ''} ${(error as Error).message}\n`);
    }
  } else if (line === 'release') {
    lock?.release();
    lock = undefined;
    process.stdout.write('released\n');
  }
});
process.stdout.write('ready\n');
