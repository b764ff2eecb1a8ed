// A stack whose Terraform state lives in the S3 stand-in, shared by the remote state
// tests and the Pilot processes they start.

import { readFile } from 'node:fs/promises';
import type { BackendSettings } from '../../src/drivers/terraform/index.js';

/** Made up for the stand-in; never a real key. */
export const stateKey = { accessKeyId: 'AKIAPILOTSTATESTAND1', secretAccessKey: 'remote-state-test-secret-0123456789abcdef' };
export const stateBucket = 'acme-pilot-state';
export const keyPrefix = 'acme';

export function remoteBackend(endpoint: string): BackendSettings {
  return { kind: 's3', bucket: stateBucket, region: 'eu-west-1', keyPrefix, endpoint, usePathStyle: true };
}

/**
 * The environment terraform needs for the stand-in: its key, and its certificate as the
 * only CA (over https the AWS SDK sends the aws-chunked bodies real S3 gets). Other AWS_*
 * variables of the machine are dropped so no profile or token can get in the way.
 */
export function remoteEnv(certFile: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, AWS_ACCESS_KEY_ID: stateKey.accessKeyId, AWS_SECRET_ACCESS_KEY: stateKey.secretAccessKey, AWS_CA_BUNDLE: certFile, ...extra };
}

/**
 * One terraform_data resource, replaced whenever `label` changes. Its local-exec writes
 * "begin <label> <ms>" to $PILOT_TEST_MARKS, sleeps $PILOT_TEST_SLEEP seconds and writes
 * "end <label> <ms>": two applies that overlap show it in that file.
 */
export function markedStack(label: string): Record<string, unknown> {
  const mark = (what: string) => `echo "${what} \${self.input} $(date +%s%3N)" >> "$\${PILOT_TEST_MARKS:-/dev/null}"`;
  return {
    resource: {
      terraform_data: {
        marked: {
          input: label,
          triggers_replace: [label],
          provisioner: [{ 'local-exec': { command: `${mark('begin')}; sleep $\${PILOT_TEST_SLEEP:-0}; ${mark('end')}` } }],
        },
      },
    },
    output: { label: { value: '${terraform_data.marked.output}' } },
  };
}

export interface MarkedApply {
  label: string;
  begin: number;
  end: number;
}

/** The applies written to a marks file, in the order they began. */
export async function readMarks(file: string): Promise<MarkedApply[]> {
  const applies = new Map<string, Partial<MarkedApply>>();
  for (const line of (await readFile(file, 'utf8')).split('\n').filter(Boolean)) {
    const [what, label = '', ms] = line.split(' ');
    const apply = applies.get(label) ?? { label };
    if (what === 'begin' || what === 'end') apply[what] = Number(ms);
    applies.set(label, apply);
  }
  return [...applies.values()].map((a) => a as MarkedApply).sort((a, b) => a.begin - b.begin);
}

/** A stack's state as terraform writes it, what these tests read of it. */
export interface TerraformState {
  serial: number;
  lineage: string;
  /** terraform_data keeps its input as a typed value: { type, value }. */
  resources: { type: string; name: string; instances: { attributes: { input: { value: unknown } } }[] }[];
}

/** Each resource of a state with its input: [type.name, input]. */
export const inputsOf = (state: TerraformState | undefined) => state?.resources.map((r) => [`${r.type}.${r.name}`, r.instances[0]?.attributes.input.value]);
