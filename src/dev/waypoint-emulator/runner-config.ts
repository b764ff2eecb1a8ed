// The runner's config sync before an operation (internal/core/app_config.go): the
// file's `config { env = {...} }` values become app-scoped variables, with no
// workspace (internal/config/app.go 119-123). It never deletes one, so a value removed
// from the file stays on the server until someone unsets it.

import { setConfig } from './config-store.js';
import type { EmulatorState } from './state.js';
import type { ConfigVar, Job } from './types.js';

export function syncFileConfig(state: EmulatorState, job: Job, env: Record<string, string>): void {
  const application = { project: job.application!.project, application: job.application!.application };
  const variables: ConfigVar[] = Object.entries(env).map(([name, value]) => ({
    name,
    value: 'static',
    static: value,
    internal: false,
    name_is_path: false,
    target: { app_scope: 'application', application, workspace: null, label_selector: '', runner: null },
  }));
  if (variables.length) setConfig(state.config, { variables });
}
