// Every message, enum and RPC of the hand-written proto must match Waypoint v0.11.4's real
// wire layout, as recorded in test/fixtures/waypoint/v0.11.4-messages.json (transcribed from
// the Waypoint wire facts and cross-checked against Waypoint's own server.proto at v0.11.4).
//
// The proto is read through Pilot's own loader (waypointPackageDefinition), from the
// FileDescriptorProtos it produces: unlike the package definition's plain-object view, those
// keep field presence, so a field outside any oneof is told apart from a member of oneof 0.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waypointPackageDefinition, waypointService } from '../src/waypoint/proto/load.js';

// ---- the table -----------------------------------------------------------------

type Label = 'optional' | 'repeated' | 'map';

interface FieldFact {
  number: number;
  name: string;
  label: Label;
  keyType?: string;
  type: string;
  oneof?: string;
}

interface MessageFact {
  name: string;
  source: string;
  fields: FieldFact[];
}

interface EnumFact {
  name: string;
  source: string;
  values: { name: string; number: number }[];
}

interface RpcFact {
  name: string;
  request: string;
  response: string;
  requestStream?: boolean;
  responseStream?: boolean;
  source: string;
}

interface Table {
  waypointVersion: string;
  package: string;
  service: string;
  messages: MessageFact[];
  enums: EnumFact[];
  rpcs: RpcFact[];
}

const table = JSON.parse(readFileSync(new URL('./fixtures/waypoint/v0.11.4-messages.json', import.meta.url), 'utf8')) as Table;

// ---- a minimal reader for the loader's FileDescriptorProtos ---------------------

type Raw = { field: number; varint?: bigint; bytes?: Uint8Array };

/** The top-level (field number, value) pairs of one encoded protobuf message. */
function readRaw(buf: Uint8Array): Raw[] {
  const out: Raw[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    switch (key & 7) {
      case 0:
        out.push({ field, varint: varint() });
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const length = Number(varint());
        out.push({ field, bytes: buf.subarray(pos, pos + length) });
        pos += length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
  return out;
}

const text = new TextDecoder();
const str = (raw: Raw[], field: number): string => {
  const bytes = raw.filter((r) => r.field === field).at(-1)?.bytes;
  return bytes ? text.decode(bytes) : '';
};
const int = (raw: Raw[], field: number): number | undefined => {
  const value = raw.filter((r) => r.field === field).at(-1)?.varint;
  return value === undefined ? undefined : Number(BigInt.asIntN(32, value));
};
const all = (raw: Raw[], field: number): Raw[][] => raw.filter((r) => r.field === field && r.bytes).map((r) => readRaw(r.bytes!));

/** google.protobuf.FieldDescriptorProto.Type -> proto scalar name (11 message, 14 enum resolved by name). */
const scalarTypes: Record<number, string> = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool',
  9: 'string', 12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};

interface RawField {
  name: string;
  number: number;
  label: number; // 1 optional, 2 required, 3 repeated
  type: number;
  typeName: string;
  oneof?: string;
}

interface RawMessage {
  fullName: string;
  fields: RawField[];
  nested: string[]; // nested messages and enums
  mapEntry: boolean;
}

interface Loaded {
  messages: Map<string, RawMessage>;
  enums: Map<string, { name: string; number: number }[]>;
  methods: Map<string, { service: string; input: string; output: string; clientStreaming: boolean; serverStreaming: boolean }>;
}

function loadDescriptors(): Loaded {
  const definition = waypointPackageDefinition() as unknown as Record<string, { fileDescriptorProtos?: Uint8Array[] }>;
  const files = Object.values(definition).find((d) => d.fileDescriptorProtos)?.fileDescriptorProtos;
  if (!files?.length) throw new Error('the package definition carries no FileDescriptorProtos');
  const loaded: Loaded = { messages: new Map(), enums: new Map(), methods: new Map() };
  const readEnum = (raw: Raw[], scope: string) => {
    const values = all(raw, 2).map((v) => ({ name: str(v, 1), number: int(v, 2) ?? 0 }));
    loaded.enums.set(`${scope}.${str(raw, 1)}`, values);
  };
  const readMessage = (raw: Raw[], scope: string) => {
    const fullName = `${scope}.${str(raw, 1)}`;
    const oneofs = all(raw, 8).map((o) => str(o, 1));
    const fields = all(raw, 2).map((f): RawField => {
      const oneofIndex = int(f, 9);
      return {
        name: str(f, 1),
        number: int(f, 3) ?? 0,
        label: int(f, 4) ?? 1,
        type: int(f, 5) ?? 0,
        typeName: str(f, 6),
        ...(oneofIndex === undefined ? {} : { oneof: oneofs[oneofIndex] ?? `#${oneofIndex}` }),
      };
    });
    const nestedMessages = all(raw, 3);
    const nestedEnums = all(raw, 4);
    const nested = [...nestedMessages, ...nestedEnums].map((n) => `${fullName}.${str(n, 1)}`);
    const mapEntry = all(raw, 7).some((options) => int(options, 7) === 1);
    loaded.messages.set(fullName, { fullName, fields, nested, mapEntry });
    for (const n of nestedMessages) readMessage(n, fullName);
    for (const e of nestedEnums) readEnum(e, fullName);
  };
  for (const file of files) {
    const raw = readRaw(file);
    const pkg = str(raw, 2);
    for (const m of all(raw, 4)) readMessage(m, pkg);
    for (const e of all(raw, 5)) readEnum(e, pkg);
    for (const s of all(raw, 6)) {
      const service = `${pkg}.${str(s, 1)}`;
      for (const m of all(s, 2)) {
        loaded.methods.set(`${service}/${str(m, 1)}`, {
          service,
          input: str(m, 2),
          output: str(m, 3),
          clientStreaming: int(m, 5) === 1,
          serverStreaming: int(m, 6) === 1,
        });
      }
    }
  }
  return loaded;
}

const loaded = loadDescriptors();

/** Resolves a (possibly relative) type name the way protoc does, from inside message `scope`. */
function resolveType(name: string, scope: string): string {
  if (name.startsWith('.')) return name.slice(1);
  const known = (full: string) =>
    loaded.messages.has(full) || loaded.enums.has(full) || [...loaded.messages.keys(), ...loaded.enums.keys()].some((k) => k.startsWith(`${full}.`));
  const first = name.split('.')[0]!;
  for (let parts = scope.split('.'); ; parts = parts.slice(0, -1)) {
    const prefix = parts.length ? `${parts.join('.')}.` : '';
    if (known(prefix + first)) return prefix + name;
    if (!parts.length) return `?${name}`;
  }
}

/** A field as the table describes fields: full type names, label optional/repeated/map, oneof. */
function describeField(message: RawMessage, field: RawField): FieldFact {
  const type = scalarTypes[field.type] ?? resolveType(field.typeName, message.fullName);
  const entry = loaded.messages.get(type);
  if (field.label === 3 && entry?.mapEntry) {
    const describe = (f: RawField | undefined) => (f ? (scalarTypes[f.type] ?? resolveType(f.typeName, entry.fullName)) : '?');
    return {
      number: field.number,
      name: field.name,
      label: 'map',
      keyType: describe(entry.fields.find((f) => f.number === 1)),
      type: describe(entry.fields.find((f) => f.number === 2)),
      ...(field.oneof === undefined ? {} : { oneof: field.oneof }),
    };
  }
  return {
    number: field.number,
    name: field.name,
    label: field.label === 3 ? 'repeated' : field.label === 2 ? ('required' as Label) : 'optional',
    type,
    ...(field.oneof === undefined ? {} : { oneof: field.oneof }),
  };
}

const show = (f: FieldFact) =>
  `${f.label === 'map' ? `map<${f.keyType}, ${f.type}>` : `${f.label === 'repeated' ? 'repeated ' : ''}${f.type}`} ${f.name} = ${f.number}${f.oneof ? ` (oneof ${f.oneof})` : ''}`;

/** Pilot's own types: everything but the well-known types that ship with protobufjs, and map entries. */
const pilotMessages = [...loaded.messages.values()].filter((m) => !m.fullName.startsWith('google.protobuf.') && !m.mapEntry);
const pilotEnums = [...loaded.enums.keys()].filter((name) => !name.startsWith('google.protobuf.'));
const tableMessages = new Map(table.messages.map((m) => [m.name, m]));
const tableEnums = new Map(table.enums.map((e) => [e.name, e]));
const tableRpcs = new Map(table.rpcs.map((r) => [r.name, r]));

// ---- the checks ----------------------------------------------------------------------

describe(`the Waypoint proto subset against Waypoint ${table.waypointVersion}`, () => {
  it('reads the table and the loaded proto', () => {
    expect(table.waypointVersion).toBe('v0.11.4');
    expect(table.messages.length).toBeGreaterThan(90);
    expect(tableMessages.size, 'a message is listed twice in the table').toBe(table.messages.length);
    expect(tableEnums.size, 'an enum is listed twice in the table').toBe(table.enums.length);
    expect(tableRpcs.size, 'an RPC is listed twice in the table').toBe(table.rpcs.length);
    for (const entry of [...table.messages, ...table.enums, ...table.rpcs]) expect(entry.source, `${entry.name} has no source`).toMatch(/^wire-facts\.md §\d/);
    expect(loaded.messages.has('hashicorp.waypoint.Job')).toBe(true);
    expect(loaded.methods.size).toBeGreaterThan(0);
  });

  describe('messages', () => {
    it.each(table.messages.map((m) => [m.name, m] as const))('%s', (name, fact) => {
      const message = loaded.messages.get(name);
      expect(message, `${name} is not declared in server.proto`).toBeDefined();
      const byName = new Map(fact.fields.map((f) => [f.name, f]));
      const byNumber = new Map(fact.fields.map((f) => [f.number, f]));
      const problems: string[] = [];
      for (const field of message!.fields) {
        const actual = describeField(message!, field);
        const expected = byName.get(actual.name);
        const atNumber = byNumber.get(actual.number);
        if (!expected) {
          problems.push(
            `${name}.${actual.name}: Waypoint ${table.waypointVersion} has no field of that name` +
              (atNumber ? ` (its field ${actual.number} is ${show(atNumber)})` : ''),
          );
          continue;
        }
        for (const key of ['number', 'label', 'keyType', 'type', 'oneof'] as const) {
          if (actual[key] !== expected[key]) {
            problems.push(`${name}.${actual.name}: ${key} is ${actual[key] ?? '(none)'} in server.proto, ${expected[key] ?? '(none)'} in Waypoint ${table.waypointVersion} — want ${show(expected)}`);
          }
        }
      }
      expect(problems, `${name} (${fact.source})`).toEqual([]);
    });
  });

  describe('enums', () => {
    it.each(table.enums.map((e) => [e.name, e] as const))('%s', (name, fact) => {
      const values = loaded.enums.get(name);
      expect(values, `${name} is not declared in server.proto`).toBeDefined();
      const show = (vs: { name: string; number: number }[]) => vs.map((v) => `${name}.${v.name} = ${v.number}`).sort();
      expect(show(values!), `${name} (${fact.source})`).toEqual(show(fact.values));
    });
  });

  describe(`RPCs of ${table.service}`, () => {
    const service = waypointService().service as unknown as Record<string, { path: string; requestStream: boolean; responseStream: boolean }>;
    it.each(table.rpcs.map((r) => [r.name, r] as const))('%s', (name, fact) => {
      const method = loaded.methods.get(`${table.service}/${name}`);
      expect(method, `${table.service}/${name} is not declared in server.proto`).toBeDefined();
      const expected: Record<string, unknown> = { request: fact.request, response: fact.response };
      const actual: Record<string, unknown> = { request: resolveType(method!.input, table.package), response: resolveType(method!.output, table.package) };
      if (fact.requestStream !== undefined) {
        expected.requestStream = fact.requestStream;
        actual.requestStream = method!.clientStreaming;
      }
      if (fact.responseStream !== undefined) {
        expected.responseStream = fact.responseStream;
        actual.responseStream = method!.serverStreaming;
      }
      expect(actual, `${name} (${fact.source})`).toEqual(expected);
      // What @grpc/grpc-js will actually call.
      expect(service[name]?.path).toBe(`/${table.service}/${name}`);
      expect(service[name]?.requestStream).toBe(method!.clientStreaming);
      expect(service[name]?.responseStream).toBe(method!.serverStreaming);
    });
  });

  it('declares nothing the table does not describe', () => {
    const unknown: string[] = [];
    for (const message of pilotMessages) {
      if (tableMessages.has(message.fullName)) continue;
      // A message used only as a namespace (`Ref`, `Operation`): no fields, every nested type listed.
      const container = message.fields.length === 0 && message.nested.length > 0 && message.nested.every((n) => tableMessages.has(n) || tableEnums.has(n));
      if (!container) unknown.push(`message ${message.fullName}`);
    }
    for (const name of pilotEnums) if (!tableEnums.has(name)) unknown.push(`enum ${name}`);
    for (const [key, method] of loaded.methods) {
      const rpc = key.slice(method.service.length + 1);
      if (method.service !== table.service || !tableRpcs.has(rpc)) unknown.push(`rpc ${key}`);
    }
    expect(unknown, `not in test/fixtures/waypoint/v0.11.4-messages.json: add them there from the Waypoint ${table.waypointVersion} facts first`).toEqual([]);
  });
});
