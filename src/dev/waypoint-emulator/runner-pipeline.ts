// The pipeline a runner builds from one app's waypoint.hcl before it runs anything:
// each stage's plugin, checked against what that plugin implements, its config decoded
// against its schema, and the types of consecutive stages connected through mappers.
// Every failure reads as the real runner's would, and is met where the real runner
// meets it: when the stage runs (an ECS app with a `release` block builds and deploys,
// then fails at the release).

import { builtinPlugins, canMap, componentNoun, type Component, type Schema } from './runner-plugins.js';

export interface Stage {
  plugin: string;
  config: Record<string, unknown>;
  /** Why this stage fails when it runs (empty: it can run). */
  problems: string[];
}

export interface Pipeline {
  /** The app's `path`, relative to the runner's working directory. */
  path: string;
  build: Stage & { hooks: Record<string, unknown>[] };
  registry?: Stage;
  deploy: Stage;
  /** Absent: no release block and no default releaser (exec). `default`: the platform releases itself. */
  release?: Stage | 'default';
  /** `config { env = {...} }`: plain values the runner writes to the config store. */
  env: Record<string, string>;
}

type Body = Record<string, unknown>;

const first = (value: unknown): Body | undefined => (Array.isArray(value) && value[0] && typeof value[0] === 'object' ? (value[0] as Body) : undefined);

function isBlockList(value: unknown): value is Body[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
}

/** gohcl's decode diagnostics for one body against a schema. */
export function schemaProblems(body: Body, schema: Schema, where: string): string[] {
  const problems: string[] = [];
  const attributes = new Set([...(schema.required ?? []), ...(schema.optional ?? [])]);
  for (const [key, value] of Object.entries(body)) {
    const block = schema.blocks?.[key];
    if (block && isBlockList(value)) {
      value.forEach((b, i) => problems.push(...schemaProblems(b, block, `${where}.${key}[${i}]`)));
    } else if (isBlockList(value) && !attributes.has(key)) {
      problems.push(`${where}: Unsupported block type; Blocks of type "${key}" are not expected here.`);
    } else if (!attributes.has(key)) {
      problems.push(`${where}: Unsupported argument; An argument named "${key}" is not expected here.`);
    }
  }
  for (const key of schema.required ?? []) {
    if (!(key in body)) problems.push(`${where}: Missing required argument; The argument "${key}" is required, but no definition was found.`);
  }
  return problems;
}

function stageOf(block: Body | undefined, component: Component, where: string): Stage | undefined {
  const use = block?.use;
  if (!use || typeof use !== 'object') return undefined;
  const [plugin, configs] = Object.entries(use as Body)[0] ?? [];
  if (!plugin) return undefined;
  const stage: Stage = { plugin, config: first(configs) ?? {}, problems: [] };
  const known = builtinPlugins[plugin];
  const implemented = known?.components[component];
  // waypoint-plugin-sdk internal/plugin: dispensing a component the plugin lacks.
  if (!known) stage.problems.push(`${where}: plugin "${plugin}" not found`);
  else if (!implemented) stage.problems.push(`plugin does not implement: ${componentNoun[component]} (${where} uses "${plugin}")`);
  else stage.problems.push(...schemaProblems(stage.config, implemented.schema, `${where}.use "${plugin}"`));
  return stage;
}

const makes = (stage: Stage | undefined, component: Component) => (stage ? builtinPlugins[stage.plugin]?.components[component]?.makes : undefined);
const takes = (stage: Stage | undefined, component: Component) => (stage ? builtinPlugins[stage.plugin]?.components[component]?.takes : undefined);

/** Argmapper: a stage's input must be made, directly or through mappers, from the one before. */
function connect(from: string | undefined, stage: Stage | undefined, component: Component, what: string): void {
  const to = takes(stage, component);
  if (!stage || !from || !to || canMap(from, to)) return;
  stage.problems.push(`argument cannot be satisfied: ${what} needs a ${to}, and no mapper makes one from ${from}`);
}

/** The app's pipeline, or why no operation can start at all. */
export function pipelineOf(body: Body, app: string): { pipeline: Pipeline } | { problems: string[] } {
  const appBody = first((body.app as Body | undefined)?.[app]) ?? {};
  const buildBlock = first(appBody.build);
  const build = stageOf(buildBlock, 'builder', 'build');
  const registry = stageOf(first(buildBlock?.registry), 'registry', 'build.registry');
  const deploy = stageOf(first(appBody.deploy), 'platform', 'deploy');
  const explicitRelease = stageOf(first(appBody.release), 'releasemanager', 'release');
  if (!build || !deploy) return { problems: [`app "${app}": ${!build ? 'a build' : 'a deploy'} stage with a "use" block is required`] };
  connect(makes(build, 'builder'), registry, 'registry', `the registry "${registry?.plugin}"`);
  connect(registry ? makes(registry, 'registry') : makes(build, 'builder'), deploy, 'platform', `the deploy of "${deploy.plugin}"`);
  const env = (first(appBody.config)?.env ?? {}) as Record<string, unknown>;
  const release = explicitRelease ?? (builtinPlugins[deploy.plugin]?.defaultReleaser ? 'default' : undefined);
  return {
    pipeline: {
      path: typeof appBody.path === 'string' ? appBody.path : '.',
      build: { ...build, hooks: Array.isArray(buildBlock?.hook) ? (buildBlock.hook as Body[]) : [] },
      ...(registry ? { registry } : {}),
      deploy,
      ...(release ? { release } : {}),
      env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    },
  };
}
