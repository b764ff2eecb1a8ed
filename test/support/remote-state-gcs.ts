// A stack whose Terraform state lives in the Cloud Storage stand-in, shared by the gcs
// remote state tests and the Pilot processes they start.

import type { BackendSettings } from '../../src/drivers/terraform/index.js';

/** Made up for the stand-in; never a real token. */
export const gcsStateToken = 'ya29.pilot-remote-state-stand-in';
export const gcsStateBucket = 'acme-pilot-state';
export const gcsPrefix = 'acme';

/** `endpoint` is the stand-in's origin (https://127.0.0.1:PORT); terraform gets its JSON API base. */
export function gcsBackend(endpoint: string, apiBase = `${endpoint}/storage/v1/`): BackendSettings {
  return { kind: 'gcs', bucket: gcsStateBucket, prefix: gcsPrefix, endpoint: apiBase };
}

/**
 * The environment terraform needs for the stand-in: a token (GOOGLE_OAUTH_ACCESS_TOKEN,
 * so it never lands in the stack's configuration) and the stand-in's certificate as the
 * only CA, through SSL_CERT_FILE, which Go reads on Linux. Other GOOGLE_* and CLOUDSDK_*
 * variables of the machine are dropped so no credentials file or project can get in the way.
 */
export function gcsEnv(certFile: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(GOOGLE_|CLOUDSDK_|SSL_CERT_)/.test(name)));
  return { ...env, GOOGLE_OAUTH_ACCESS_TOKEN: gcsStateToken, SSL_CERT_FILE: certFile, ...extra };
}
