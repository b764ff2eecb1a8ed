// The `up` operation as the simulated runner plays it: build (+push), deploy, release,
// with terminal output, operation records, status reports and the job result.

import { status, statusProto } from './errors.js';
import { appNames, pluginName } from './hcl-parse.js';
import { finishRecord, startRecord, type OperationRecord } from './records.js';
import { fail, line, pause, progress, say, succeed } from './runner-steps.js';
import type { EmulatorState, JobRecord } from './state.js';
import { timestamp } from './time.js';

function urls(project: string, app: string, workspace: string, sequence: string) {
  const host = `${app}.${project}${workspace === 'default' ? '' : `.${workspace}`}.localhost`.toLowerCase();
  return { release: `http://${host}`, app: `http://${host}`, deploy: `http://v${sequence}.${host}` };
}

function statusReport(state: EmulatorState, record: JobRecord, target: OperationRecord, kind: 'deployment_id' | 'release_id') {
  return finishRecord(
    startRecord(state, 'status_report', record.job, {
      target_id: kind,
      [kind]: target.id,
      health: { health_status: 'READY', health_message: 'all 1 instance(s) are ready' },
      generated_time: timestamp(),
      external: false,
      instances_count: 1,
    }),
  );
}

export async function runUp(state: EmulatorState, record: JobRecord, body: Record<string, unknown>, commit: string): Promise<void> {
  const job = record.job;
  const { project, application: app } = job.application!;
  const workspace = job.workspace!.workspace;
  if (!appNames(body).includes(app)) {
    const message = `Application ${JSON.stringify(app)} was not found in this project. Please ensure that you've created this project in the waypoint.hcl configuration.`;
    return fail(state, record, status.NOT_FOUND, message);
  }
  const plugin = (stage: 'build' | 'deploy' | 'release', fallback: string) => pluginName(body, app, stage) ?? fallback;

  say(record, line(`» Building ${app}...`, 'header'), line(`Building ${project}/${app} at commit ${commit}`, 'info'));
  say(record, ...progress(state, (i, n) => `Step ${i}/${n}: building layer ${i} of ${app}`));
  const build = startRecord(state, 'build', job, { component: { type: 'BUILDER', name: plugin('build', 'docker') } });
  if (!(await pause(state, record))) return;
  finishRecord(build);
  const image = `${project}-${app}:${commit.slice(0, 12)}`.toLowerCase();
  const artifact = finishRecord(
    startRecord(state, 'artifact', job, { component: { type: 'REGISTRY', name: 'docker' }, build_id: build.id }),
  );
  say(record, line(`✓ Image built and pushed: ${image}`, 'success'));

  say(record, line(`» Deploying ${app}...`, 'header'));
  say(record, ...progress(state, (i, n) => `Waiting for ${app} instances to become healthy (${i}/${n})`));
  const deployment = startRecord(state, 'deployment', job, {
    component: { type: 'PLATFORM', name: plugin('deploy', 'docker') },
    artifact_id: artifact.id,
    state: 'PENDING',
    deployment_json: '{}',
  });
  const links = urls(project, app, workspace, deployment.sequence);
  Object.assign(deployment, { url: links.deploy, generation: { id: deployment.id, initial_sequence: deployment.sequence } });
  if (!(await pause(state, record))) return;
  const reason = state.faults.failureReason({ project, application: app, workspace, jobId: job.id });
  if (reason !== undefined) {
    const message = `deploy failed: ${reason}`;
    finishRecord(deployment, statusProto(status.UNKNOWN, message));
    say(record, line(`Deployment v${deployment.sequence} of ${app} did not become healthy: ${reason}`, 'error'));
    return fail(state, record, status.UNKNOWN, message);
  }
  finishRecord(deployment);
  statusReport(state, record, deployment, 'deployment_id');
  say(record, line(`✓ Deployment v${deployment.sequence} created: ${links.deploy}`, 'success'));

  say(record, line(`» Releasing ${app}...`, 'header'));
  say(record, ...progress(state, (i, n) => `Routing traffic to v${deployment.sequence} (${i}/${n})`));
  if (!(await pause(state, record))) return;
  const release = finishRecord(
    startRecord(state, 'release', job, {
      component: { type: 'RELEASEMANAGER', name: plugin('release', plugin('deploy', 'docker')) },
      deployment_id: deployment.id,
      url: links.release,
      state: 'PENDING',
      unimplemented: false,
      release_json: '{}',
    }),
  );
  statusReport(state, record, release, 'release_id');
  say(
    record,
    line(`✓ Release v${release.sequence} is live`, 'success'),
    line('The deploy was successful!', 'success-bold'),
    line(`   Release URL: ${links.release}`),
    line(`Deployment URL: ${links.deploy}`),
  );
  succeed(state, record, {
    build: { build, push: artifact },
    push: { artifact },
    deploy: { deployment },
    release: { release },
    up: { release_url: links.release, app_url: links.app, deploy_url: links.deploy },
  });
}
