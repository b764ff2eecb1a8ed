// `npx tsx scripts/permissions-doc.ts`: writes the Pilot VM's permission tables into the
// README between their markers, from the data the policies are made of. test/readme.test.ts
// fails when the README's copy differs.

import { readFileSync, writeFileSync } from 'node:fs';
import { awsPermissionsTable, gcpPermissionsTable, withPermissionTables } from '../src/bootstrap/permissions-doc.js';

const file = new URL('../README.md', import.meta.url);
writeFileSync(file, withPermissionTables(readFileSync(file, 'utf8'), { aws: awsPermissionsTable(), gcp: gcpPermissionsTable() }));
