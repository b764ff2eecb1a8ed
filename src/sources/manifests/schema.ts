// Checks documents against a JSON Schema of schemas/ (pilot.schema.json by default)
// and reports every problem at once. The providers a manifest may name are those of
// the registry it is checked with: the file lists the built-in ones, for editors.

import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPkg from 'ajv-formats';
import type { ProviderRegistry } from '../../drivers/registry.js';
import { hasUserinfo } from './git-url.js';
import { explain, type Explained } from './schema-messages.js';

export const schemaUrl = new URL('../../../schemas/pilot.schema.json', import.meta.url);

interface Checker {
  ajv: Ajv2020;
  validate: ValidateFunction;
  schemaId: string;
}

const checkers = new Map<string, Checker>();

type Schema = { $id: string; $defs?: { provider?: { enum?: readonly string[] } } };

function getChecker(url: URL, providers?: readonly string[]): Checker {
  const key = providers ? `${url.href} ${providers.join(',')}` : url.href;
  const cached = checkers.get(key);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(url, 'utf8')) as Schema;
  if (providers && schema.$defs?.provider) schema.$defs.provider.enum = providers;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  addFormatsPkg.default(ajv, ['hostname']);
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  const validate = ajv.compile(schema);
  const checker = { ajv, validate, schemaId: schema.$id };
  checkers.set(key, checker);
  return checker;
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * For an anyOf that failed, finds the branch the author most likely meant (the one
 * that fails least, not counting branches of the wrong type) and returns its errors;
 * none when no branch stands out.
 */
function closestBranch(c: Checker, anyOf: ErrorObject): ErrorObject[] | undefined {
  const branches = (anyOf.parentSchema as { anyOf?: Branch[] }).anyOf ?? [];
  let best: ErrorObject[] | undefined;
  let tie = false;
  for (const branch of branches) {
    const validate = branchValidator(c, branch);
    if (validate(anyOf.data)) continue;
    const errors = validate.errors ?? [];
    if (errors.some((e) => e.instancePath === '' && e.keyword === 'type')) continue;
    const rebased = errors.map((e) => ({ ...e, instancePath: anyOf.instancePath + e.instancePath }));
    if (!best || rebased.length < best.length) {
      best = rebased;
      tie = false;
    } else if (rebased.length === best.length) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

type Branch = { $ref?: string } & Record<string, unknown>;
const branchValidators = new WeakMap<Branch, ValidateFunction>();

/** ajv reports schema paths relative to the last $ref, so branches are compiled from the schema objects themselves. */
function branchValidator(c: Checker, branch: Branch): ValidateFunction {
  let validate = branchValidators.get(branch);
  if (!validate) {
    validate = branch.$ref?.startsWith('#') ? c.ajv.getSchema(`${c.schemaId}${branch.$ref}`)! : c.ajv.compile(branch);
    branchValidators.set(branch, validate);
  }
  return validate;
}

/** Replaces the noise of failed anyOf branches by the errors of the closest branch. */
function shape(c: Checker, errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf');
  const kept = errors.filter(
    (e) => e.keyword !== 'if' && e.keyword !== 'propertyNames' && !alternatives.some((a) => a !== e && isUnder(e.instancePath, a.instancePath)),
  );
  const out: ErrorObject[] = [];
  for (const error of kept) {
    if (error.keyword !== 'anyOf') {
      out.push(error);
      continue;
    }
    const branch = closestBranch(c, error);
    if (branch) out.push(...shape(c, branch));
    else out.push(error);
  }
  return out;
}

/** A value of the wrong type also fails its enum or pattern; the type error alone says what to fix. */
function withoutTypeEchoes(errors: ErrorObject[]): ErrorObject[] {
  const mistyped = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return errors.filter((e) => e.keyword === 'type' || !mistyped.has(e.instancePath));
}

/** Env values may be secrets pasted by mistake, and so may a repository URL: never repeat them in a message. */
function mayHoldSecret(instancePath: string, data: unknown): boolean {
  if (/^\/apps\/\d+\/source\/repo$/.test(instancePath)) return typeof data === 'string' && hasUserinfo(data);
  return /^\/apps\/\d+\/env\//.test(instancePath);
}

/** `providers`: when given, the names `provider` accepts, in place of the file's list. */
export function checkSchema(value: unknown, url: URL = schemaUrl, providers?: ProviderRegistry): Explained[] {
  const c = getChecker(url, providers?.names);
  if (c.validate(value)) return [];
  return withoutTypeEchoes(shape(c, c.validate.errors ?? [])).map((error) => explain(error, mayHoldSecret(error.instancePath, error.data)));
}
