// Database storage fits the cloud it lands on: the schema only knows the widest range.

import { resolvePlacement } from '../placement.js';
import type { Rule } from './rule.js';

export const storageRule: Rule = (docs, report, providers) => {
  for (const doc of docs) {
    (doc.manifest.databases ?? []).forEach((db, i) => {
      if (db.storageGB === undefined) return;
      const provider = resolvePlacement(doc.manifest, db, ['databases', i], providers).placement.provider;
      const facts = provider === undefined ? undefined : providers.find(provider)?.database;
      if (!facts) return;
      if (db.storageGB < facts.minStorageGB) {
        report(doc, ['databases', i, 'storageGB'], 'database.storage', `${db.storageGB} is below the minimum of ${facts.minStorageGB} for ${facts.product} (${provider}): use ${facts.minStorageGB} or more`);
      }
    });
  }
};
