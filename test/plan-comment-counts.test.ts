// The counts in a plan comment's header and check run title: apps new or updated,
// databases created or destroyed (counted once), destructive cloud changes, errors.

import { describe, expect, it } from 'vitest';
import type { Action } from '../src/reconciler/plan-types.js';
import { renderPlanSummary } from '../src/sources/github/comment/index.js';
import { smallInput, smallPlan } from './fixtures/plan-comment/small-plan.js';

describe('the counts of the header', () => {
  const stack = (id: string, changes: NonNullable<Action['changes']>): Action => ({
    id, kind: 'provision-stack', symbol: '~', project: 'acme', target: id, reasons: [], after: [], status: 'pending', changes,
  });
  const count = (actions: Action[]) => renderPlanSummary({ plan: { ...smallInput.plan, problems: [], plan: { ...smallPlan, actions } } }).title;

  it('counts databases created and destroyed once, whether Terraform or Pilot names the destruction', () => {
    const actions: Action[] = [
      stack('stack:acme/aws/us-east-1', [
        { address: 'aws_db_instance.db-orders', action: 'create', destructive: false },
        { address: 'module.data.google_sql_database_instance.db-ledger["a"]', action: 'create', destructive: false },
        { address: 'aws_db_instance.db-old', action: 'delete', destructive: true },
        { address: 'aws_db_subnet_group.network-db-subnet-group', action: 'delete', destructive: true },
        { address: 'aws_db_instance_automated_backups_replication.x', action: 'create', destructive: false },
      ]),
      { id: 'destroy-database:acme/old', kind: 'destroy-database', symbol: '-', project: 'acme', name: 'old', target: 'acme/old', reasons: ['removed from the manifests (prune is on)'], after: [], status: 'pending', stack: 'stack:acme/aws/us-east-1' },
      { id: 'destroy-database:acme/gone', kind: 'destroy-database', symbol: '-', project: 'acme', name: 'gone', target: 'acme/gone', reasons: ['removed from the manifests; needs the gcp driver'], after: [], status: 'unsupported' },
    ];
    expect(count(actions)).toBe('2 databases to create, 2 to destroy, 2 destructive cloud changes');
  });

  it('counts what needs attention as errors (not an orphan, nor a protected database kept), and a refused stack\'s changes not as changes', () => {
    const attention = (kind: Action['kind'], target: string): Action => ({ id: `${kind}:${target}`, kind, symbol: '!', project: 'acme', target, reasons: ['x'], after: [], status: 'report' });
    const refused = { ...stack('stack:acme/aws/us-east-1', [{ address: 'aws_db_instance.db-main', action: 'delete', destructive: true }]), kind: 'refused' as const };
    const actions = [refused, attention('missing-secret', 'acme/a'), attention('source-error', 'acme/b'), attention('protected', 'acme/c'), attention('not-retried', 'acme/d'), attention('orphaned', 'acme/e')];
    expect(count(actions)).toBe('1 app orphaned, 4 errors');
  });

  it('counts an app as new only when Pilot creates it, and a followed job as an update', () => {
    const actions = smallPlan.actions.filter((a) => a.kind !== 'ensure-app' && a.kind !== 'provision-stack');
    const attach: Action = { id: 'deploy:acme/jobs', kind: 'attach', symbol: '~', project: 'acme', name: 'jobs', target: 'acme/jobs', reasons: ['job j-1 is still running: follow it'], after: [], status: 'pending' };
    expect(count([...actions, attach])).toBe('3 apps to update, 1 orphaned');
  });
});
