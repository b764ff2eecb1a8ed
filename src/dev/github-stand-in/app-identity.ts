// The stand-in's one GitHub App: an id, a slug, a fresh RSA key pair (PKCS#8 PEM) and
// one installation that covers every repository. Its bot account writes what
// installation tokens write. The key pair is made when first asked for: making one
// takes about 0.2 s, which tests that never act as the app need not pay.

import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Account } from './types.js';

export interface AppIdentity {
  id: number;
  slug: string;
  name: string;
  keys(): { privateKey: string; publicKey: KeyObject };
  installationId: number;
  bot: Account;
  owner: Account;
}

export function newAppIdentity(slug = 'pilot-stand-in'): AppIdentity {
  let keys: { privateKey: string; publicKey: KeyObject } | undefined;
  return {
    id: 424_242,
    slug,
    name: 'Pilot (stand-in)',
    keys() {
      if (!keys) {
        const pair = generateKeyPairSync('rsa', {
          modulusLength: 2048,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        });
        keys = { privateKey: pair.privateKey, publicKey: createPublicKey(pair.publicKey) };
      }
      return keys;
    },
    installationId: 5_150_001,
    bot: { login: `${slug}[bot]`, id: 9_100_001, type: 'Bot' },
    owner: { login: 'stand-in-org', id: 9_000_001, type: 'Organization' },
  };
}

/** What tests and the demo need to act as the app: never the public key object. */
export interface PublicAppInfo {
  id: number;
  slug: string;
  /** PKCS#8 PEM; made on first read. */
  readonly privateKey: string;
  installationId: number;
  botLogin: string;
}

export function publicAppInfo(app: AppIdentity): PublicAppInfo {
  return {
    id: app.id,
    slug: app.slug,
    get privateKey() {
      return app.keys().privateKey;
    },
    installationId: app.installationId,
    botLogin: app.bot.login,
  };
}
