// The database `size` of the manifests, per cloud: one table, documented in the README.

import type { DatabaseSize } from '../reconciler/desired-state.js';

export interface SizeClass {
  /** RDS instance class or Cloud SQL tier. */
  instanceClass: string;
  /** Storage grows automatically up to this many GB (RDS max_allocated_storage, Cloud SQL disk_autoresize_limit). */
  maxStorageGB: number;
}

/** The built-in clouds' tables; their drivers ask for their own row by name. */
export const databaseSizes: Record<'aws' | 'gcp', Record<DatabaseSize, SizeClass>> = {
  aws: {
    small: { instanceClass: 'db.t4g.micro', maxStorageGB: 100 },
    medium: { instanceClass: 'db.t4g.medium', maxStorageGB: 500 },
    large: { instanceClass: 'db.m6g.large', maxStorageGB: 1000 },
  },
  gcp: {
    small: { instanceClass: 'db-custom-1-3840', maxStorageGB: 100 },
    medium: { instanceClass: 'db-custom-2-7680', maxStorageGB: 500 },
    large: { instanceClass: 'db-custom-4-15360', maxStorageGB: 1000 },
  },
};

/** Never below what the manifest asks for. */
export function sizeOf(provider: keyof typeof databaseSizes, size: DatabaseSize, storageGB: number): SizeClass {
  const row = databaseSizes[provider][size];
  return { ...row, maxStorageGB: Math.max(row.maxStorageGB, storageGB) };
}
