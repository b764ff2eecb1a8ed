// What a load hands out from its cache is shared by every later load of the same text,
// so it is frozen: a caller that changed it would change what the next reconcile reads.
// Frozen, such a change throws where it is made (modules are strict) instead.

export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}
