// Database storage fits the cloud it lands on: the schema only knows the widest range.

import { resolvePlacement } from '../placement.js';
import { databaseStorage } from '../platforms.js';
import type { Rule } from './rule.js';

export const storageRule: Rule = (docs, report) => {
  for (const doc of docs) {
    (doc.manifest.databases ?? []).forEach((db, i) => {
      if (db.storageGB === undefined) return;
      const provider = resolvePlacement(doc.manifest, db, ['databases', i]).placement.provider;
      if (!provider) return;
      const limits = databaseStorage[provider];
      if (db.storageGB < limits.min) {
        report(doc, ['databases', i, 'storageGB'], 'database.storage', `${db.storageGB} is below the minimum of ${limits.min} for ${limits.product} (${provider}): use ${limits.min} or more`);
      }
    });
  }
};
