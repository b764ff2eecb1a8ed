// gRPC status errors as the real server words them, including the ozzo-validation
// text ("name: cannot be blank; id: must be empty.") of its request checks.

import { status } from '@grpc/grpc-js';

export { status };

/** An error that becomes a gRPC status: grpc-js reads `code` and `details`. */
export class RpcError extends Error {
  override name = 'RpcError';
  readonly details: string;
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.details = message;
  }
}

export function rpcError(code: status, message: string): RpcError {
  return new RpcError(code, message);
}

/** Field -> problem, or field -> nested problems (rendered in parentheses like ozzo). */
export interface Violations {
  [field: string]: string | Violations;
}

/** ozzo-validation's Errors.Error(): keys sorted, "; "-joined, a final ".". */
export function violationText(violations: Violations): string {
  const parts = Object.keys(violations)
    .sort()
    .map((key) => {
      const value = violations[key]!;
      return typeof value === 'string' ? `${key}: ${value}` : `${key}: (${violationText(value)})`;
    });
  return `${parts.join('; ')}.`;
}

export function hasViolations(violations: Violations): boolean {
  return Object.keys(violations).length > 0;
}

/** A request-validation failure: INVALID_ARGUMENT with the ozzo text (the real one also adds a BadRequest detail). */
export function invalidRequest(violations: Violations): RpcError {
  return rpcError(status.INVALID_ARGUMENT, violationText(violations));
}

/** Any thrown value as the status grpc-js should send; unexpected errors become INTERNAL. */
export function toServiceError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  return rpcError(status.INTERNAL, `emulator internal error: ${(error as Error)?.message ?? String(error)}`);
}

export function statusProto(code: status, message: string): { code: number; message: string; details: [] } {
  return { code, message, details: [] };
}
