// Reads the fields of an untrusted webhook payload, collecting every problem so that a
// malformed delivery is rejected once with the whole list.

import { PilotError } from '../../reconciler/errors.js';

export class MalformedPayloadError extends PilotError {
  override name = 'MalformedPayloadError';
  readonly problems: readonly string[];

  constructor(event: string, problems: readonly string[]) {
    super('stalled', 'github.malformed-payload', `the ${event} payload is malformed: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

type Json = Record<string, unknown>;

export class PayloadReader {
  readonly problems: string[] = [];

  string(source: unknown, path: string): string {
    const value = this.at(source, path);
    if (typeof value === 'string') return value;
    this.problems.push(`${path} must be a string`);
    return '';
  }

  optionalString(source: unknown, path: string): string | undefined {
    const value = this.at(source, path);
    if (value === undefined || value === null) return undefined;
    return this.string(source, path);
  }

  boolean(source: unknown, path: string): boolean {
    const value = this.at(source, path);
    if (typeof value === 'boolean') return value;
    this.problems.push(`${path} must be true or false`);
    return false;
  }

  optionalBoolean(source: unknown, path: string): boolean | undefined {
    const value = this.at(source, path);
    if (value === undefined || value === null) return undefined;
    return this.boolean(source, path);
  }

  integer(source: unknown, path: string): number {
    const value = this.at(source, path);
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    this.problems.push(`${path} must be a whole number`);
    return 0;
  }

  optionalInteger(source: unknown, path: string): number | undefined {
    const value = this.at(source, path);
    if (value === undefined || value === null) return undefined;
    return this.integer(source, path);
  }

  /** The length of an optional array: 0 when missing. */
  optionalLength(source: unknown, path: string): number {
    const value = this.at(source, path);
    if (value === undefined || value === null) return 0;
    if (Array.isArray(value)) return value.length;
    this.problems.push(`${path} must be a list`);
    return 0;
  }

  /** An array of strings; a missing one reads as empty (Actions payloads omit file lists). */
  optionalStrings(source: unknown, path: string): string[] {
    const value = this.at(source, path);
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
    this.problems.push(`${path} must be a list of strings`);
    return [];
  }

  /** Throws every problem found so far, if any. */
  check(event: string): void {
    if (this.problems.length > 0) throw new MalformedPayloadError(event, this.problems);
  }

  private at(source: unknown, path: string): unknown {
    let value = source;
    for (const key of path.split('.')) {
      value = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
    }
    return value;
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
