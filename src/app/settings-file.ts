// pilot.config.yaml as written: parsed and checked against its schema, every problem
// reported with file:line:col. Nothing is resolved here (see settings.ts).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RawClouds } from '../drivers/settings.js';
import { locate } from '../sources/manifests/locate.js';
import { parseManifestFile } from '../sources/manifests/parse.js';
import { formatPath, formatProblem, type Problem } from '../sources/manifests/problem.js';
import { checkSchema } from '../sources/manifests/schema.js';
import type { TlsMode } from '../waypoint/client/connection.js';
import { ConfigError, type SecretRef } from './setting-values.js';

export const configSchemaUrl = new URL('../../schemas/pilot-config.schema.json', import.meta.url);

export interface RawSettings {
  repository?: { url: string; branch?: string; token?: SecretRef; sshKeyFile?: string };
  pollInterval?: string;
  driftInterval?: string;
  selfHeal?: boolean;
  concurrency?: number;
  stateDir?: string;
  state?: { url: string | SecretRef };
  waypoint?: { address: string; tls?: TlsMode; caFile?: string; token?: RawWaypointToken };
  webhooks?: { secrets?: SecretRef[] };
  github?: { repository?: string; token?: SecretRef; apiUrl?: string; app?: { id: number; privateKey: SecretRef; installationId?: number }; comments?: boolean; deployments?: boolean };
  http?: { host?: string; port?: number; publicUrl?: string; apiToken?: SecretRef };
  clouds?: RawClouds;
  sources?: { host?: string; username?: string; token?: SecretRef; sshKeyFile?: string };
}

/** A secret, or a file the daemon makes on a fresh server with bootstrap: true (waypoint-token.ts). */
export type RawWaypointToken = SecretRef | { file: string; bootstrap: boolean };

export function readConfigFile(file: string): RawSettings {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the config file`);
  }
  const name = path.basename(file);
  const parsed = parseManifestFile({ path: name, content });
  const problems: Problem[] = [...parsed.problems];
  const doc = parsed.documents[0];
  if (doc) {
    for (const e of checkSchema(doc.value, configSchemaUrl)) {
      const { line, col } = locate(doc, e.segments, e.target);
      problems.push({ severity: 'error', file: name, line, col, path: formatPath(e.segments), message: e.message, rule: e.rule });
    }
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new ConfigError(errors.map(formatProblem).join('\n'));
  return (doc?.value ?? {}) as RawSettings;
}
