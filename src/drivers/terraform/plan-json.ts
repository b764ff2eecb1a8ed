// Pure: `terraform show -json <plan>` into the changes Pilot shows and decides on.
// Values that are (or may be) sensitive never leave this function unmasked.

import type { AttributeChange, ResourceChange } from './types.js';
import { addLeaves, anyMarked, holdsSecret, markedLeaves, sensitiveMask } from './sensitive.js';
import { isRecord } from './ui-lines.js';

export const unknownMark = '(known after apply)';

export interface PlanChanges {
  changes: ResourceChange[];
  /** Names of outputs whose action is not no-op, sorted. */
  outputChanges: string[];
}

/**
 * `doc` is the parsed show-json document; `knownSecrets` are values known to be secret
 * from elsewhere (e.g. sensitive outputs read earlier), masked wherever they turn up.
 */
export function planChanges(doc: unknown, knownSecrets: ReadonlySet<string> = new Set()): PlanChanges {
  const root = isRecord(doc) ? doc : {};
  const secrets = new Set([...knownSecrets, ...planSecrets(root)]);
  const changes: ResourceChange[] = [];
  for (const entry of list(root.resource_changes)) {
    const change = resourceChange(entry, secrets);
    if (change) changes.push(change);
  }
  const outputs = isRecord(root.output_changes) ? root.output_changes : {};
  const outputChanges = Object.entries(outputs)
    .filter(([, change]) => {
      const actions = isRecord(change) ? list(change.actions) : [];
      return actions.some((a) => a !== 'no-op');
    })
    .map(([name]) => name)
    .sort();
  return { changes, outputChanges };
}

/** Every value terraform marks sensitive anywhere in the document, and sensitive variables. */
export function planSecrets(doc: unknown): Set<string> {
  const secrets = new Set<string>();
  if (!isRecord(doc)) return secrets;
  for (const entry of list(doc.resource_changes)) {
    const change = isRecord(entry) && isRecord(entry.change) ? entry.change : {};
    markedLeaves(change.before, change.before_sensitive, secrets);
    markedLeaves(change.after, change.after_sensitive, secrets);
  }
  const outputs = isRecord(doc.output_changes) ? doc.output_changes : {};
  for (const change of Object.values(outputs)) {
    if (!isRecord(change)) continue;
    markedLeaves(change.before, change.before_sensitive, secrets);
    markedLeaves(change.after, change.after_sensitive, secrets);
  }
  const configuration = isRecord(doc.configuration) && isRecord(doc.configuration.root_module) ? doc.configuration.root_module : {};
  const declared = isRecord(configuration.variables) ? configuration.variables : {};
  const given = isRecord(doc.variables) ? doc.variables : {};
  for (const [name, variable] of Object.entries(declared)) {
    const value = given[name];
    if (isRecord(variable) && variable.sensitive === true && isRecord(value)) addLeaves(value.value, secrets);
  }
  for (const section of [doc.planned_values, isRecord(doc.prior_state) ? doc.prior_state.values : undefined]) {
    if (!isRecord(section)) continue;
    const plannedOutputs = isRecord(section.outputs) ? section.outputs : {};
    for (const output of Object.values(plannedOutputs)) {
      if (isRecord(output) && output.sensitive === true) addLeaves(output.value, secrets);
    }
    moduleSecrets(section.root_module, secrets);
  }
  return secrets;
}

function moduleSecrets(module: unknown, secrets: Set<string>): void {
  if (!isRecord(module)) return;
  for (const resource of list(module.resources)) {
    if (isRecord(resource)) markedLeaves(resource.values, resource.sensitive_values, secrets);
  }
  for (const child of list(module.child_modules)) moduleSecrets(child, secrets);
}

function resourceChange(entry: unknown, secrets: ReadonlySet<string>): ResourceChange | undefined {
  if (!isRecord(entry) || !isRecord(entry.change)) return undefined;
  const change = entry.change;
  const action = actionOf(list(change.actions));
  if (!action) return undefined;
  const result: ResourceChange = {
    address: String(entry.address ?? ''),
    type: String(entry.type ?? ''),
    name: String(entry.name ?? ''),
    action,
    destructive: action === 'delete' || action === 'replace',
    attributes: attributeChanges(change, secrets),
  };
  if (action === 'replace') {
    result.replaceBecause = list(change.replace_paths).map((p) => (Array.isArray(p) ? p.map(String).join('.') : String(p)));
  }
  return result;
}

function actionOf(actions: unknown[]): ResourceChange['action'] | undefined {
  const key = actions.map(String).sort().join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'create,delete':
      // Both orders: delete-then-create and create_before_destroy.
      return 'replace';
    default:
      // no-op, read, forget and anything newer: nothing Pilot changes.
      return undefined;
  }
}

function attributeChanges(change: Record<string, unknown>, secrets: ReadonlySet<string>): AttributeChange[] {
  const before = isRecord(change.before) ? change.before : {};
  const after = isRecord(change.after) ? change.after : {};
  const unknown = change.after_unknown;
  const beforeMarks = change.before_sensitive;
  const afterMarks = change.after_sensitive;
  // Marks of another shape than a map (true, or anything unexpected) cover the whole object.
  const wholeObjectSensitive = [beforeMarks, afterMarks].some((m) => !isRecord(m) && anyMarked(m));
  const names = new Set([...Object.keys(before), ...Object.keys(after), ...(isRecord(unknown) ? Object.keys(unknown) : [])]);
  const attributes: AttributeChange[] = [];
  for (const name of [...names].sort()) {
    const was = before[name] ?? null;
    const will = after[name] ?? null;
    const unknownMarks = isRecord(unknown) ? unknown[name] : unknown;
    const becomesUnknown = anyMarked(unknownMarks);
    if (!becomesUnknown && sameValue(was, will)) continue;
    const masked =
      wholeObjectSensitive ||
      anyMarked(isRecord(beforeMarks) ? beforeMarks[name] : undefined) ||
      anyMarked(isRecord(afterMarks) ? afterMarks[name] : undefined) ||
      holdsSecret(was, secrets) ||
      holdsSecret(will, secrets);
    const attribute: AttributeChange = { name };
    if (was !== null) attribute.before = masked ? sensitiveMask : was;
    if (unknownMarks === true) attribute.after = unknownMark;
    else if (becomesUnknown) attribute.after = masked ? sensitiveMask : withUnknown(will, unknownMarks);
    else if (will !== null) attribute.after = masked ? sensitiveMask : will;
    attributes.push(attribute);
  }
  return attributes;
}

/** `value` with the places `marks` says are unknown (terraform leaves them out) filled in. */
function withUnknown(value: unknown, marks: unknown): unknown {
  if (marks === true) return unknownMark;
  if (Array.isArray(marks)) {
    const items = Array.isArray(value) ? value : [];
    return Array.from({ length: Math.max(items.length, marks.length) }, (_, i) => withUnknown(items[i] ?? null, marks[i]));
  }
  if (isRecord(marks)) {
    const copy: Record<string, unknown> = isRecord(value) ? { ...value } : {};
    for (const [key, m] of Object.entries(marks)) if (anyMarked(m)) copy[key] = withUnknown(copy[key] ?? null, m);
    return copy;
  }
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
