// Terraform failures turned into PilotErrors once, here: a kind that decides the retry,
// a stable code, and a message naming the stack and the command. Never stdout, never values.

import { PilotError } from '../../reconciler/errors.js';
import type { Diagnostic } from './ui-lines.js';

/** Which terraform command, for messages: "plan", "apply", "output"... */
export interface CommandContext {
  /** Absent for commands outside any stack (version). */
  stack?: string;
  command: string;
}

const maxSummaryLines = 4;
const maxLineLength = 300;

function what(context: CommandContext): string {
  return context.stack === undefined ? `terraform ${context.command}` : `terraform ${context.command} for stack ${context.stack}`;
}

export function missingBinary(binary: string, reason: string, context: CommandContext): PilotError {
  return new PilotError(
    'stalled',
    'terraform.missing',
    `${what(context)}: terraform binary ${JSON.stringify(binary)} ${reason}; install terraform >= 1.5 (https://developer.hashicorp.com/terraform/install) or set the path of the binary in the terraform settings`,
  );
}

export function invalidStackId(id: string): PilotError {
  return new PilotError('stalled', 'terraform.invalid-stack', `stack id ${JSON.stringify(id)} is not valid: lower-case letters, digits and "-", starting with a letter or digit, at most 63 characters`);
}

export function noConfiguration(stack: string, command: string): PilotError {
  return new PilotError('stalled', 'terraform.no-config', `terraform ${command} for stack ${stack}: the stack has no configuration yet (write it first)`);
}

export function timedOut(context: CommandContext, timeoutMs: number): PilotError {
  return new PilotError('transient', 'terraform.timeout', `${what(context)} timed out after ${formatDuration(timeoutMs)} and was stopped`);
}

/** Another Pilot process holds the stack. */
export function lockedByProcess(context: CommandContext, holder: string, waitedMs: number): PilotError {
  return new PilotError('waiting', 'terraform.locked', `${what(context)}: the stack is busy (${holder}); gave up after waiting ${formatDuration(waitedMs)}`, { retryAfterMs: 30_000 });
}

/** Terraform's own state lock stayed taken for all of -lock-timeout. */
export function stateLocked(context: CommandContext, lockTimeout: string): PilotError {
  return new PilotError('waiting', 'terraform.locked', `${what(context)} could not take terraform's state lock within ${lockTimeout}: another terraform run holds it`, { retryAfterMs: 30_000 });
}

export function stalePlan(context: CommandContext, why: string): PilotError {
  return new PilotError('transient', 'terraform.stale-plan', `${what(context)} refused the saved plan: ${why}; plan again`);
}

export function foreignPlan(stack: string, why: string): PilotError {
  return new PilotError('stalled', 'terraform.foreign-plan', `stack ${stack} cannot apply this plan: ${why}`);
}

export function providerUnavailable(context: CommandContext, providers: string[]): PilotError {
  const names = providers.length > 0 ? providers.join(', ') : 'a required provider';
  return new PilotError(
    'stalled',
    'terraform.provider-unavailable',
    `${what(context)} could not get provider ${names}: configure a filesystem mirror that holds it (terraform.mirror in pilot.config.yaml) or give this VM network access to registry.terraform.io`,
  );
}

/**
 * Any other failure, with terraform's own summary lines. Errors a person must fix
 * (configuration, credentials, backend changes) are 'stalled'; the rest may pass.
 */
export function failed(context: CommandContext, diagnostics: Diagnostic[], exit: string): PilotError {
  const lines = summaryLines(diagnostics);
  const kind = diagnostics.some((d) => d.severity === 'error' && needsPerson(d.summary)) ? 'stalled' : 'transient';
  const body = lines.length > 0 ? lines.map((l) => `\n  ${l}`).join('') : ` ${exit}, with no error message`;
  return new PilotError(kind, 'terraform.failed', `${what(context)} failed:${body}`);
}

/** "Error: summary (address): first line of detail", errors only, a few at most. */
export function summaryLines(diagnostics: Diagnostic[]): string[] {
  const lines = diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const where = d.address ? ` (${d.address})` : '';
      const detail = d.detail.split('\n').find((l) => l.trim() !== '')?.trim();
      return `Error: ${d.summary}${where}${detail ? `: ${detail}` : ''}`;
    });
  return [...new Set(lines)].slice(0, maxSummaryLines).map((l) => (l.length > maxLineLength ? `${l.slice(0, maxLineLength)}…` : l));
}

const personPatterns = [
  /^(Invalid|Unsupported|Missing required|Reference to undeclared|Incorrect attribute value type|Duplicate|Unknown variable)/,
  /^Backend (configuration changed|initialization required)/,
  /credential|unauthori[sz]ed|access denied|forbidden/i,
];

function needsPerson(summary: string): boolean {
  return personPatterns.some((p) => p.test(summary));
}

const providerFailure = /^(Failed to (query|install|resolve|read|obtain)\b.*provider|Incompatible provider version|Invalid provider registry host|Provider .* not available)/i;
const providerName = /provider ((?:[a-z0-9.-]+\/)?[a-z0-9_-]+\/[a-z0-9_-]+)/gi;

/** The providers init could not install, or undefined when init failed for another reason. */
export function unavailableProviders(diagnostics: Diagnostic[]): string[] | undefined {
  const failures = diagnostics.filter((d) => d.severity === 'error' && providerFailure.test(d.summary));
  if (failures.length === 0) return undefined;
  const names = new Set<string>();
  for (const d of failures) {
    for (const match of `${d.summary}\n${d.detail}`.matchAll(providerName)) names.add(match[1]!.replace(/^registry\.terraform\.io\//i, ''));
  }
  return [...names].sort();
}

export function isStateLockError(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error' && /^Error (acquiring|locking) the state lock/i.test(d.summary));
}

export function isStalePlanError(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error' && /^Saved plan is stale/i.test(d.summary));
}

/** JSON.parse whose error never quotes the text (V8's SyntaxError shows a piece of it, and this text holds values). */
export function parseJson(text: string, context: CommandContext): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PilotError('transient', 'terraform.failed', `${what(context)} printed output that is not JSON (${text.length} characters)`);
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
