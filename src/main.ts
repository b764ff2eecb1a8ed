#!/usr/bin/env node
// The `pilot` command.

import { runCli } from './cli/run.js';
import { processIo } from './cli/io.js';

// `pilot validate | head -1`: the reader left, so stop quietly as other CLIs do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo());
