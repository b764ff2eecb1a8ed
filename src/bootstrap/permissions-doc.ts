// The VM's permissions as the README shows them, made from the same data the policies are
// made of (src/drivers/*/vm/permissions.ts): a test keeps the README's copy identical.

import { awsPermissions } from '../drivers/aws/vm/permissions.js';
import { gcpPermissions } from '../drivers/gcp/vm/permissions.js';

const code = (items: readonly string[]) => items.map((item) => `\`${item}\``).join(', ');

export function awsPermissionsTable(): string {
  const rows = awsPermissions.map((group) => {
    const condition = group.condition?.length ? `; only where ${group.condition.map((c) => `${c.variable} is ${c.values.join(' or ')}`).join(', ')}` : '';
    return `| ${group.sid}${group.effect === 'Deny' ? ' (deny)' : ''} | ${code(group.actions)} | ${code(group.resources)}${condition} | ${group.who}: ${group.why} |`;
  });
  return ['| group | actions | on | who needs them, and why |', '|---|---|---|---|', ...rows].join('\n');
}

export function gcpPermissionsTable(): string {
  const rows = gcpPermissions.map((group) => `| ${group.name} | ${code(group.permissions)} | ${group.who}: ${group.why} |`);
  return ['| group | permissions | who needs them, and why |', '|---|---|---|', ...rows].join('\n');
}

/** The README with each `<!-- permissions:CLOUD -->` section holding that cloud's table. */
export function withPermissionTables(readme: string, tables: Record<'aws' | 'gcp', string>): string {
  let text = readme;
  for (const [cloud, table] of Object.entries(tables)) {
    const open = `<!-- permissions:${cloud} -->`;
    const close = `<!-- /permissions:${cloud} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start === -1 || end < start) throw new Error(`README.md has no ${open} ... ${close} section`);
    text = `${text.slice(0, start + open.length)}\n${table}\n${text.slice(end)}`;
  }
  return text;
}
