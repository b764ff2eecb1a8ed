// Every message and enum of the hand-written proto must match Waypoint's real field
// names and numbers, as recorded in ../shared/waypoint/wire-facts.md.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waypointPackageDefinition, waypointService } from '../src/waypoint/proto/load.js';

const factsUrl = new URL('../../shared/waypoint/wire-facts.md', import.meta.url);

interface Member {
  name: string;
  number: number;
}

interface TypeDescriptor {
  name: string;
  field?: Member[];
  value?: Member[];
  nestedType?: TypeDescriptor[];
  enumType?: TypeDescriptor[];
  options?: { mapEntry?: boolean };
}

/** Every message and enum of the definition, nested ones included, with their members. */
function allTypes(): Map<string, Member[]> {
  const definition = waypointPackageDefinition() as unknown as Record<string, { type?: TypeDescriptor }>;
  const types = new Map<string, Member[]>();
  const visit = (name: string, type: TypeDescriptor) => {
    if (type.options?.mapEntry) return; // map<K,V> fields' synthetic entry types
    types.set(name, type.field ?? type.value ?? []);
    for (const nested of type.nestedType ?? []) visit(`${name}.${nested.name}`, nested);
    for (const nested of type.enumType ?? []) visit(`${name}.${nested.name}`, nested);
  };
  for (const [fullName, descriptor] of Object.entries(definition)) {
    if (fullName.startsWith('google.protobuf.') || !descriptor.type) continue;
    visit(fullName.replace(/^hashicorp\.waypoint\./, ''), descriptor.type);
  }
  return types;
}

/** name -> (number -> field or value name), from the facts' tables. */
function readFacts(text: string): Map<string, Map<number, string>> {
  const facts = new Map<string, Map<number, string>>();
  const add = (type: string, number: number, name: string) => {
    if (!facts.has(type)) facts.set(type, new Map());
    facts.get(type)!.set(number, name);
  };
  for (const line of text.split('\n')) {
    const row = /^\| (?:enum )?`([A-Za-z.]+)` \| (.*) \|$/.exec(line);
    if (row) {
      const [, type, cells] = row;
      for (const m of cells!.matchAll(/(?:^|[;{|] ?)(\d+) (\w+):/g)) add(type!, Number(m[1]), m[2]!);
      for (const m of cells!.matchAll(/\b([A-Z_]+[A-Z0-9_]*)=(\d+)/g)) add(type!, Number(m[2]), m[1]!);
      continue;
    }
    const jobRow = /^\| (\d+) \| (\w+) \| /.exec(line);
    if (jobRow) add('Job', Number(jobRow[1]), jobRow[2]!);
    const operations = /^\| 50–71 \| \*oneof `operation`\* \| (.*) \|/.exec(line);
    if (operations) for (const m of operations[1]!.matchAll(/(\d+) (\w+):/g)) add('Job', Number(m[1]), m[2]!);
  }
  // §1 states these two inline rather than in a table.
  add('opaqueany.Any', 1, 'type_url');
  add('opaqueany.Any', 2, 'value');
  expect(text).toContain('message Any { 1 type_url:string; 2 value:bytes }');
  for (const [n, name] of [[1, 'code'], [2, 'message'], [3, 'details']] as const) add('google.rpc.Status', n, name);
  expect(text).toContain('`1 code:int32; 2 message:string; 3 details:[]google.protobuf.Any`');
  return facts;
}

describe('the Waypoint proto subset', () => {
  it('can read the facts file', () => {
    expect(existsSync(factsUrl), `missing ${factsUrl.pathname}: the shared folder must sit beside the repository`).toBe(true);
  });

  it('uses the real names and numbers for every field and enum value', () => {
    const facts = readFacts(readFileSync(factsUrl, 'utf8'));
    const checked: string[] = [];
    const mismatches: string[] = [];
    for (const [name, members] of allTypes()) {
      if (members.length === 0) continue;
      const known = facts.get(name);
      if (!known) {
        mismatches.push(`${name}: not in the facts`);
        continue;
      }
      for (const member of members) {
        const expected = known.get(member.number);
        if (expected !== member.name) mismatches.push(`${name}.${member.name} = ${member.number}: facts say ${expected ?? 'no such number'}`);
      }
      checked.push(name);
    }
    expect(mismatches).toEqual([]);
    expect(checked).toEqual(expect.arrayContaining(['Job', 'Job.Git', 'Job.State', 'GetJobStreamResponse', 'ConfigVar', 'Deployment', 'Ref.Application', 'opaqueany.Any', 'google.rpc.Status']));
    expect(checked.length).toBeGreaterThan(80);
  });

  it('declares every RPC Pilot calls on hashicorp.waypoint.Waypoint', () => {
    const service = waypointService().service as Record<string, { path: string; responseStream: boolean }>;
    const rpcs = ['GetVersionInfo', 'BootstrapToken', 'UpsertProject', 'GetProject', 'ListProjects', 'UpsertApplication', 'GetApplication', 'QueueJob', 'GetJob', 'ListJobs', 'GetJobStream', 'CancelJob', 'SetConfig', 'GetConfig', 'DeleteConfig', 'ListDeployments', 'GetLatestRelease', 'GetLatestStatusReport', 'WaypointHclFmt'];
    for (const rpc of rpcs) expect(service[rpc]?.path).toBe(`/hashicorp.waypoint.Waypoint/${rpc}`);
    expect(service.GetJobStream!.responseStream).toBe(true);
  });
});
