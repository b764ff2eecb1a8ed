// A throwaway self-signed certificate for localhost, made with openssl, for the
// emulator's TLS mode.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface SelfSignedCertificate {
  cert: Buffer;
  key: Buffer;
  /** The certificate file, which is also the CA file a client should trust. */
  certFile: string;
  remove(): Promise<void>;
}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, (error, _stdout, stderr) => {
      if (!error) return resolve();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new Error('openssl is not installed (or not on PATH); it is needed to make a self-signed certificate. Install it, or use --tls off.'));
      }
      reject(new Error(`openssl could not make a certificate: ${stderr.trim() || error.message}`));
    });
  });
}

export async function createSelfSignedCertificate(): Promise<SelfSignedCertificate> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pilot-waypoint-tls-'));
  const certFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'key.pem');
  try {
    await openssl([
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
    ]);
    return {
      cert: await readFile(certFile),
      key: await readFile(keyFile),
      certFile,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
