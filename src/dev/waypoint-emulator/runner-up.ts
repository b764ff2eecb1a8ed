// The `up` operation as the runner plays it, on the checked-out source: config sync,
// build (+push), deploy, release. Each stage fails where and as the real runner's
// would (runner-pipeline.ts); the app folder and the Dockerfile must exist; `exec`
// deploys really run their command. Other platforms' cloud calls are simulated.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { status, statusProto } from './errors.js';
import { finishRecord, startRecord, type OperationRecord } from './records.js';
import { buildStage, pushedImage, type Built } from './runner-build.js';
import { renderTemplate, runCommand } from './runner-exec.js';
import type { Pipeline, Stage } from './runner-pipeline.js';
import { fail, line, pause, progress, say, succeed } from './runner-steps.js';
import type { Checkout } from './runner-workspace.js';
import { syncFileConfig } from './runner-config.js';
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

/** A stage the runner cannot run ends the job with the plugin's or argmapper's words. */
function stageFails(state: EmulatorState, record: JobRecord, stage: Stage | undefined): boolean {
  if (!stage?.problems.length) return false;
  fail(state, record, status.UNKNOWN, stage.problems.join('\n'));
  return true;
}

export interface UpInput {
  pipeline: Pipeline;
  checkout: Checkout;
}

async function deployExec(state: EmulatorState, record: JobRecord, stage: Stage, built: Built, appDir: string): Promise<string | undefined> {
  const image = built.image ?? { name: '', tag: '' };
  const data = {
    Input: { DockerImageFull: `${image.name}:${image.tag}`, DockerImageName: image.name, DockerImageTag: image.tag },
    Env: {},
    Workspace: record.job.workspace!.workspace,
  };
  const command: string[] = [];
  for (const arg of (stage.config.command as string[] | undefined) ?? []) {
    const rendered = renderTemplate(String(arg), data);
    if ('error' in rendered) return rendered.error;
    command.push(rendered.text);
  }
  say(record, line(`Executing command: ${command.join(' ')}`, 'info'));
  const dir = typeof stage.config.dir === 'string' ? stage.config.dir : appDir;
  return runCommand({ command, cwd: dir, env: state.runner.env(), say: (text) => say(record, line(text)) });
}

export async function runUp(state: EmulatorState, record: JobRecord, input: UpInput): Promise<void> {
  const job = record.job;
  const { project, application: app } = job.application!;
  const workspace = job.workspace!.workspace;
  const { pipeline, checkout } = input;
  syncFileConfig(state, job, pipeline.env);

  say(record, line(`» Building ${app}...`, 'header'), line(`Building ${project}/${app} at commit ${checkout.commit}`, 'info'));
  if (stageFails(state, record, pipeline.build)) return;
  const appDir = path.join(checkout.dir, pipeline.path);
  if (!existsSync(appDir)) return fail(state, record, status.FAILED_PRECONDITION, `app path ${JSON.stringify(pipeline.path)} does not exist in the checkout: ${appDir}`);
  say(record, ...progress(state, (i, n) => `Step ${i}/${n}: building layer ${i} of ${app}`));
  const build = startRecord(state, 'build', job, { component: { type: 'BUILDER', name: pipeline.build.plugin } });
  const built = await buildStage(state, record, pipeline.build, appDir);
  if ('error' in built) {
    finishRecord(build, statusProto(built.code, built.error));
    return fail(state, record, built.code, built.error);
  }
  if (!(await pause(state, record))) return;
  finishRecord(build);
  if (stageFails(state, record, pipeline.registry)) return;
  const pushed = pushedImage(state, pipeline.registry, built);
  const artifact = finishRecord(
    startRecord(state, 'artifact', job, { component: { type: 'REGISTRY', name: pipeline.registry?.plugin ?? pipeline.build.plugin }, build_id: build.id }),
  );
  say(record, line(pipeline.registry ? `✓ Image pushed with ${pipeline.registry.plugin}` : '✓ Build kept on the runner (no registry)', 'success'));

  say(record, line(`» Deploying ${app}...`, 'header'));
  if (stageFails(state, record, pipeline.deploy)) return;
  say(record, ...progress(state, (i, n) => `Waiting for ${app} instances to become healthy (${i}/${n})`));
  const deployment = startRecord(state, 'deployment', job, {
    component: { type: 'PLATFORM', name: pipeline.deploy.plugin },
    artifact_id: artifact.id,
    state: 'PENDING',
    deployment_json: '{}',
  });
  const links = urls(project, app, workspace, deployment.sequence);
  Object.assign(deployment, { url: links.deploy, generation: { id: deployment.id, initial_sequence: deployment.sequence } });
  if (!(await pause(state, record))) return;
  const unhealthy = state.faults.failureReason({ project, application: app, workspace, jobId: job.id });
  const reason = unhealthy ?? (pipeline.deploy.plugin === 'exec' ? await deployExec(state, record, pipeline.deploy, pushed, appDir) : undefined);
  if (reason !== undefined) {
    const message = `deploy failed: ${reason}`;
    finishRecord(deployment, statusProto(status.UNKNOWN, message));
    say(record, line(`Deployment v${deployment.sequence} of ${app} ${unhealthy === undefined ? 'failed' : 'did not become healthy'}: ${reason}`, 'error'));
    return fail(state, record, status.UNKNOWN, message);
  }
  finishRecord(deployment);
  statusReport(state, record, deployment, 'deployment_id');
  say(record, line(`✓ Deployment v${deployment.sequence} created: ${links.deploy}`, 'success'));

  const result: Record<string, unknown> = { build: { build, push: artifact }, push: { artifact }, deploy: { deployment } };
  if (pipeline.release === undefined) {
    say(record, line(`${pipeline.deploy.plugin} has no release manager: the deployment is the release`, 'info'));
    succeed(state, record, { ...result, up: { release_url: '', app_url: '', deploy_url: links.deploy } });
    return;
  }
  say(record, line(`» Releasing ${app}...`, 'header'));
  if (pipeline.release !== 'default' && stageFails(state, record, pipeline.release)) return;
  say(record, ...progress(state, (i, n) => `Routing traffic to v${deployment.sequence} (${i}/${n})`));
  if (!(await pause(state, record))) return;
  const releaser = pipeline.release === 'default' ? pipeline.deploy.plugin : pipeline.release.plugin;
  const release = finishRecord(
    startRecord(state, 'release', job, {
      component: { type: 'RELEASEMANAGER', name: releaser },
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
  succeed(state, record, { ...result, release: { release }, up: { release_url: links.release, app_url: links.app, deploy_url: links.deploy } });
}
