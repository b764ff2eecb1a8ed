#!/usr/bin/env node
// The `pilot` command.

import { runCli } from './cli/run.js';
import { processIo } from './cli/io.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
