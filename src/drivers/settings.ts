// Cloud settings from the `clouds` section of pilot.config.yaml, PILOT_* variables and
// flags (in that order of strength), for the daemon and the CLI alike: merged once
// where the configuration is read, resolved against the state directory when opened.

import path from 'node:path';
import { PilotError } from '../reconciler/errors.js';
import type { CloudMode, CloudSettings } from './clouds.js';
import type { DriverSettings } from './contract.js';
import { builtInProviders, type ProviderRegistry } from './registry.js';
import type { BackendSettings } from './terraform/index.js';

/** The `clouds` section as the schema (schemas/pilot-config.schema.json) allows it. */
export interface RawClouds {
  mode?: CloudMode;
  terraform?: {
    binary?: string;
    mirror?: string;
    pluginCache?: string;
    backend?: {
      s3?: { bucket: string; region: string; dynamodbTable?: string; keyPrefix?: string; endpoint?: string; usePathStyle?: boolean };
      gcs?: { bucket: string; prefix?: string; endpoint?: string };
    };
  };
  aws?: DriverSettings['aws'];
  gcp?: DriverSettings['gcp'];
}

export interface CloudOverrides {
  mode?: string;
  binary?: string;
  mirror?: string;
}

const modes: readonly CloudMode[] = ['terraform', 'stand-in', 'off'];

function backendOf(raw: RawClouds): BackendSettings {
  const backend = raw.terraform?.backend;
  if (backend?.s3) return { kind: 's3', ...backend.s3 };
  if (backend?.gcs) return { kind: 'gcs', ...backend.gcs };
  return { kind: 'local' };
}

/** The section with PILOT_* variables and flags applied over it; the mode checked, naming where it came from. */
export function mergeClouds(raw: RawClouds, env: Readonly<Record<string, string | undefined>>, overrides: CloudOverrides): RawClouds {
  const mode = overrides.mode ?? env.PILOT_CLOUDS ?? raw.mode ?? 'terraform';
  if (!(modes as readonly string[]).includes(mode)) {
    const where = overrides.mode !== undefined ? '--clouds' : env.PILOT_CLOUDS !== undefined ? 'PILOT_CLOUDS' : 'clouds.mode';
    throw new PilotError('stalled', 'config.invalid', `${where}: ${JSON.stringify(mode)} is not terraform, stand-in or off`);
  }
  const binary = overrides.binary ?? env.PILOT_TERRAFORM ?? raw.terraform?.binary;
  const mirror = overrides.mirror ?? env.PILOT_TERRAFORM_MIRROR ?? raw.terraform?.mirror;
  const terraform = { ...raw.terraform, ...(binary ? { binary } : {}), ...(mirror ? { mirror } : {}) };
  return { ...raw, mode: mode as CloudMode, ...(Object.keys(terraform).length ? { terraform } : {}) };
}

/** What the drivers take from the section: each registered cloud's own key (the networks to reuse). */
export function driverSettingsOf(raw: RawClouds, providers: ProviderRegistry = builtInProviders): DriverSettings {
  const sections = raw as Readonly<Record<string, object | undefined>>;
  return Object.fromEntries(providers.names.filter((name) => sections[name]).map((name) => [name, sections[name]]));
}

/** Settings for openClouds: stacks and their state under <stateDir>/terraform. */
export function resolveClouds(merged: RawClouds, stateDir: string): CloudSettings {
  const mode = merged.mode ?? 'terraform';
  const { binary, mirror, pluginCache } = merged.terraform ?? {};
  return {
    mode,
    terraform: {
      dir: path.join(stateDir, 'terraform'),
      backend: mode === 'stand-in' ? { kind: 'local' } : backendOf(merged),
      ...(binary ? { binary } : {}),
      ...(mirror ? { mirror } : {}),
      ...(pluginCache ? { pluginCache } : {}),
    },
    drivers: driverSettingsOf(merged),
  };
}

/**
 * The workspace pull requests are planned in: its own stack folders beside the applying
 * ones (so a plan never touches a stack being applied), reading their state.
 */
export function planWorkspace(settings: CloudSettings): CloudSettings {
  const { dir } = settings.terraform;
  return { ...settings, terraform: { ...settings.terraform, dir: `${dir}-plans`, readStateFrom: dir } };
}
