// Turns one OpenAPI 3.0 schema of GitHub's description into a self-contained JSON
// Schema (draft-07) for ajv: the components it refers to, and only those, copied into
// `definitions`; `nullable: true` made into a "null" type (or an anyOf when there is
// no type); request objects closed to keys they do not list (see closeObjects).

import type { JsonSchema, OpenApiDocument } from './openapi-document.js';

const schemaMaps = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const schemaValues = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else']);

export interface ConvertOptions {
  /**
   * GitHub ignores most keys a request body does not list; the stand-in refuses them
   * so that a misspelt field (conlusion, required_context) shows up in a test instead
   * of being dropped in production. Objects inside allOf/anyOf/oneOf stay open, since
   * their siblings may list the rest.
   */
  closeObjects: boolean;
}

export function selfContained(document: OpenApiDocument, root: JsonSchema, options: ConvertOptions): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const pending: string[] = [];

  function reference(ref: string): string {
    const prefix = '#/components/schemas/';
    if (!ref.startsWith(prefix)) throw new Error(`Cannot resolve ${ref}: only ${prefix}* is supported`);
    const name = ref.slice(prefix.length);
    if (!(name in definitions) && !pending.includes(name)) pending.push(name);
    return `#/definitions/${name}`;
  }

  function convert(node: JsonSchema, inBranch: boolean): JsonSchema {
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'nullable' || key === 'discriminator') continue;
      if (key === '$ref' && typeof value === 'string') out.$ref = reference(value);
      else if (schemaMaps.has(key) && isObject(value)) out[key] = mapValues(value, (v) => convert(v, false));
      else if (schemaLists.has(key) && Array.isArray(value)) out[key] = value.map((v: JsonSchema) => convert(v, true));
      else if (schemaValues.has(key) && isObject(value)) out[key] = convert(value, false);
      else out[key] = value;
    }
    const closable = options.closeObjects && !inBranch && isObject(out.properties) && out.additionalProperties === undefined && out.allOf === undefined;
    if (closable) out.additionalProperties = false;
    return node.nullable === true ? nullable(out) : out;
  }

  const converted = convert(root, false);
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    const source = document.components.schemas[name];
    if (!source) throw new Error(`The OpenAPI description has no schema #/components/schemas/${name}`);
    definitions[name] = {};
    definitions[name] = convert(source, false);
  }
  return Object.keys(definitions).length > 0 ? { ...converted, definitions } : converted;
}

/** OpenAPI 3.0's nullable: null is allowed too, also where an enum lists the values. */
function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string') {
    const enumValues = Array.isArray(schema.enum) && !schema.enum.includes(null) ? { enum: [...schema.enum, null] } : {};
    return { ...schema, type: [schema.type, 'null'], ...enumValues };
  }
  if (Array.isArray(schema.type)) return schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapValues(record: JsonSchema, f: (value: JsonSchema) => JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, isObject(v) ? f(v) : v]));
}
