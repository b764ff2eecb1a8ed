// HashiCorp's own HCL parser (hcl2json, as wasm), with its diagnostics unwrapped
// into the "file:line,col-col: summary; detail" text that Go's hcl prints.

import { parse } from '@cdktf/hcl2json';

export type HclParse = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

export async function parseHcl(filename: string, text: string): Promise<HclParse> {
  try {
    return { ok: true, body: await parse(filename, text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message.replace(/^parse config: \[/, '').replace(/\]$/, '') };
  }
}

/** waypoint.hcl in either of its formats (Hcl.Format HCL or JSON). */
export async function parseWaypointHcl(filename: string, contents: Uint8Array, format: 'HCL' | 'JSON'): Promise<HclParse> {
  const text = Buffer.from(contents).toString('utf8');
  if (format !== 'JSON') return parseHcl(filename, text);
  try {
    const body: unknown = JSON.parse(text);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return { ok: false, error: `${filename}: the root of a JSON waypoint.hcl must be an object` };
    }
    return { ok: true, body: body as Record<string, unknown> };
  } catch (error) {
    return { ok: false, error: `${filename}: invalid JSON: ${(error as Error).message}` };
  }
}

/** App names declared by `app "<name>"` blocks. */
export function appNames(body: Record<string, unknown>): string[] {
  const apps = body.app;
  return apps && typeof apps === 'object' && !Array.isArray(apps) ? Object.keys(apps) : [];
}

/** The plugin named by `<stage> { use "<name>" {…} }` inside `app "<app>"`, if any. */
export function pluginName(body: Record<string, unknown>, app: string, stage: 'build' | 'deploy' | 'release'): string | undefined {
  const blocks = (body.app as Record<string, unknown[]> | undefined)?.[app];
  const appBody = Array.isArray(blocks) ? (blocks[0] as Record<string, unknown> | undefined) : undefined;
  const stageBlocks = appBody?.[stage];
  const stageBody = Array.isArray(stageBlocks) ? (stageBlocks[0] as Record<string, unknown> | undefined) : undefined;
  const use = stageBody?.use;
  return use && typeof use === 'object' && !Array.isArray(use) ? Object.keys(use)[0] : undefined;
}
