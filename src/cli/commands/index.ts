// The registry of CLI commands, in the order `pilot --help` lists them.

import type { Command } from '../command.js';
import { initCommand } from './init.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [initCommand, validateCommand];
