// Turns ajv's errors into messages that say what is wrong and what to write instead.

import type { ErrorObject } from 'ajv/dist/2020.js';
import type { PathSegment } from './problem.js';
import type { Target } from './locate.js';
import { closest } from './suggest.js';

export interface Explained {
  segments: PathSegment[];
  target: Target;
  message: string;
  rule: string;
}

interface SchemaNode {
  errorMessage?: string;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
}

export function pointerToSegments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function describeValue(data: unknown, redact = false): string {
  if (redact && data !== null && typeof data !== 'object') return 'this value';
  if (data === null) return 'null (an empty value)';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a mapping';
  if (typeof data === 'string') return `the string ${JSON.stringify(data)}`;
  return `${typeof data === 'number' ? 'the number' : 'the boolean'} ${String(data)}`;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'nothing',
};

function typeHint(expected: string[], data: unknown, redact = false): string {
  if (expected.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
    return redact ? ': put it in quotes' : `: put it in quotes, "${String(data)}"`;
  }
  if ((expected.includes('number') || expected.includes('integer')) && typeof data === 'string' && data.trim() !== '' && !Number.isNaN(Number(data))) {
    return ': remove the quotes';
  }
  if (expected.includes('integer') && typeof data === 'number') return ': use a whole number';
  if (expected.includes('boolean') && typeof data === 'string') return ': write true or false, without quotes';
  return '';
}

function listOf(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' | ');
}

/**
 * `redact`: the value may be a secret (anything under env), so messages describe it
 * without repeating it.
 */
export function explain(error: ErrorObject, redact = false): Explained {
  const segments = pointerToSegments(error.instancePath);
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const data: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  const own = schema.errorMessage;
  const shown = (value: unknown) => (redact ? 'this value' : JSON.stringify(value));
  const result = (message: string, extra: Partial<Explained> = {}): Explained => ({
    segments, target: 'value', message, rule: `schema.${error.keyword}`, ...extra,
  });

  if (error.propertyName !== undefined) {
    return result(`${JSON.stringify(error.propertyName)} is not a valid name: ${own ?? error.message ?? 'it is not allowed here'}`, {
      segments: [...segments, error.propertyName],
      target: 'key',
      rule: 'schema.propertyNames',
    });
  }

  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const property = schema.properties?.[missing];
      const hint = property?.enum ? ` (one of ${listOf(property.enum)})` : property?.description ? ` (${property.description})` : '';
      return result(`${JSON.stringify(missing)} is missing: add it${hint}`, { target: 'key' });
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      const guess = closest(key, allowed);
      const advice = guess ? `did you mean ${JSON.stringify(guess)}?` : `allowed keys here are ${allowed.join(', ')}`;
      return result(`unknown key ${JSON.stringify(key)}: ${advice}`, { segments: [...segments, key], target: 'key' });
    }
    case 'type': {
      const expected = ([] as string[]).concat(params.type as string | string[]);
      const wanted = expected.map((t) => typeNames[t] ?? t).join(' or ');
      return result(`expected ${wanted}, got ${describeValue(data, redact)}${typeHint(expected, data, redact)}`);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const guess = typeof data === 'string' ? closest(data, allowed.map(String)) : undefined;
      if (guess) return result(`${shown(data)} is not allowed: did you mean ${JSON.stringify(guess)}? (allowed: ${listOf(allowed)})`);
      return result(`${shown(data)} is not allowed: use one of ${listOf(allowed)}`);
    }
    case 'const': {
      const wanted = JSON.stringify(params.allowedValue);
      return result(`${shown(data)} is not supported: write ${wanted}`);
    }
    case 'pattern':
    case 'format':
      return result(`${shown(data)} is not valid: ${own ?? error.message ?? 'check its format'}`);
    case 'minimum':
    case 'exclusiveMinimum':
      return result(`${redact ? 'this value' : String(data)} is below the minimum of ${String(params.limit)}`);
    case 'maximum':
    case 'exclusiveMaximum':
      return result(`${redact ? 'this value' : String(data)} is above the maximum of ${String(params.limit)}`);
    case 'minLength':
      return result('must not be empty');
    case 'uniqueItems': {
      const list = Array.isArray(data) ? data : [];
      const later = Math.max(Number(params.i), Number(params.j));
      return result(`${JSON.stringify(list[later])} is listed twice: remove one`, { segments: [...segments, later] });
    }
    case 'anyOf':
    case 'oneOf': {
      const branches = (schema as { anyOf?: { type?: unknown }[]; oneOf?: { type?: unknown }[] })[error.keyword] ?? [];
      const takesString = branches.some((b) => b.type === 'string');
      if (takesString && (typeof data === 'number' || typeof data === 'boolean')) {
        return result(`${describeValue(data, redact)} is not allowed here${typeHint(['string'], data, redact)}`);
      }
      return result(`${describeValue(data, redact)} is not allowed here${own ? `: ${own}` : ''}`);
    }
    default:
      return result(own ?? error.message ?? 'is not valid');
  }
}
