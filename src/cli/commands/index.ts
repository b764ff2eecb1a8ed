// The registry of CLI commands, in the order `pilot --help` lists them.

import type { Command } from '../command.js';
import { applyCommand } from './apply.js';
import { bootstrapCommand } from './bootstrap.js';
import { dbInfoCommand } from './db-info.js';
import { devWaypointCommand } from './dev-waypoint.js';
import { devWebhookCommand } from './dev-webhook.js';
import { initCommand } from './init.js';
import { migrateStateCommand } from './migrate-state.js';
import { newAppCommand } from './new-app.js';
import { newProjectCommand } from './new-project.js';
import { planCommand } from './plan.js';
import { renderCommand } from './render.js';
import { secretListCommand, secretSetCommand } from './secret.js';
import { serveCommand } from './serve.js';
import { statusCommand } from './status.js';
import { synthCommand } from './synth.js';
import { syncCommand } from './sync.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [
  initCommand,
  newProjectCommand,
  newAppCommand,
  validateCommand,
  renderCommand,
  synthCommand,
  planCommand,
  applyCommand,
  serveCommand,
  bootstrapCommand,
  syncCommand,
  statusCommand,
  migrateStateCommand,
  secretSetCommand,
  secretListCommand,
  dbInfoCommand,
  devWaypointCommand,
  devWebhookCommand,
];
