// Values YAML reads but Pilot could not use as written: a number past 2^53 has already
// become another number, and a lone UTF-16 surrogate cannot be written as UTF-8 (HCL,
// git and the clouds refuse it). Messages never repeat the value: it may be a secret.

import { isScalar, visit, type Document } from 'yaml';

export interface UnusableValue {
  offset: number;
  rule: 'yaml.number' | 'yaml.surrogate';
  message: string;
}

const loneSurrogate = /\p{Cs}/u;

function check(value: unknown): Omit<UnusableValue, 'offset'> | undefined {
  if (typeof value === 'number' && Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    return {
      rule: 'yaml.number',
      message: `this number is too large to be read exactly (beyond ±${Number.MAX_SAFE_INTEGER}): use a value in the range the key allows, or quote it if it is text`,
    };
  }
  if (typeof value === 'string' && loneSurrogate.test(value)) {
    return {
      rule: 'yaml.surrogate',
      message: 'this text holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which cannot be written as UTF-8: write the character itself, or remove the escape',
    };
  }
  return undefined;
}

/** Every scalar, key or value, that cannot be used as written, in document order. */
export function unusableValues(doc: Document.Parsed): UnusableValue[] {
  const found: UnusableValue[] = [];
  visit(doc, {
    Scalar(_key, node) {
      const problem = isScalar(node) ? check(node.value) : undefined;
      if (problem) found.push({ offset: node.range?.[0] ?? 0, ...problem });
    },
  });
  return found;
}
