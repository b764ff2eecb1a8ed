// The registry of CLI commands, in the order `pilot --help` lists them.

import type { Command } from '../command.js';
import { devWaypointCommand } from './dev-waypoint.js';
import { initCommand } from './init.js';
import { newAppCommand } from './new-app.js';
import { newProjectCommand } from './new-project.js';
import { renderCommand } from './render.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [initCommand, newProjectCommand, newAppCommand, validateCommand, renderCommand, devWaypointCommand];
