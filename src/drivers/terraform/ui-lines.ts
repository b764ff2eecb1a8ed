// Reads terraform's machine-readable UI (-json): one JSON object a line. Only the human
// `@message` of progress events and the diagnostics are kept; raw lines carry values.

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  address?: string;
}

export type UiEvent = { kind: 'progress'; type: string; message: string } | { kind: 'diagnostic'; diagnostic: Diagnostic };

/**
 * Events worth showing a person. Left out: `log` and `provision_progress` (free text,
 * e.g. a provisioner's output) and `outputs` (which lists output values after apply).
 */
const progressTypes = new Set([
  'init_output',
  'planned_change',
  'resource_drift',
  'refresh_start',
  'refresh_complete',
  'apply_start',
  'apply_progress',
  'apply_complete',
  'apply_errored',
  'provision_start',
  'provision_complete',
  'provision_errored',
  'change_summary',
]);

/** One line of output; undefined for lines that are not UI events (terraform mixes in some plain text). */
export function parseUiLine(line: string): UiEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(event)) return undefined;
  const type = event.type;
  if (type === 'diagnostic' && isRecord(event.diagnostic)) {
    const d = event.diagnostic;
    return {
      kind: 'diagnostic',
      diagnostic: {
        severity: d.severity === 'warning' ? 'warning' : 'error',
        summary: typeof d.summary === 'string' ? d.summary : '',
        detail: typeof d.detail === 'string' ? d.detail : '',
        ...(typeof d.address === 'string' ? { address: d.address } : {}),
      },
    };
  }
  const message = event['@message'];
  if (typeof type === 'string' && progressTypes.has(type) && typeof message === 'string') {
    return { kind: 'progress', type, message: message.trim() };
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
