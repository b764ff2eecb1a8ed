// `--log-format pretty`: the daemon's JSON log lines, as a person reads them:
// "12:04:05 WARN  invalid manifests; ... revision=ab12cd3 errors=2". Redaction has
// already happened in pino; this only formats. Colour only when asked (a terminal).

import { Writable } from 'node:stream';

const levels: Record<number, { name: string; colour: string }> = {
  10: { name: 'TRACE', colour: '90' }, 20: { name: 'DEBUG', colour: '90' }, 30: { name: 'INFO ', colour: '32' },
  40: { name: 'WARN ', colour: '33' }, 50: { name: 'ERROR', colour: '31' }, 60: { name: 'FATAL', colour: '31' },
};
const hidden = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

function value(item: unknown): string {
  if (typeof item === 'string') return /^[^\s"=]+$/.test(item) ? item : JSON.stringify(item);
  return JSON.stringify(item);
}

/** One JSON log line as text; a line that is not JSON is passed on as it is. */
export function prettyLine(line: string, colour: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = levels[Number(record.level)] ?? { name: String(record.level), colour: '0' };
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 19) : '';
  const fields = Object.entries(record).filter(([key]) => !hidden.has(key)).map(([key, item]) => `${key}=${value(item)}`);
  const name = colour ? `\u001b[${level.colour}m${level.name}\u001b[39m` : level.name;
  return `${time} ${name} ${String(record.msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}`;
}

/** A destination for pino that writes each line pretty to `target`. */
export function prettyStream(target: NodeJS.WritableStream, colour: boolean): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) target.write(`${prettyLine(line, colour)}\n`);
      done();
    },
    final(done) {
      if (pending) target.write(`${prettyLine(pending, colour)}\n`);
      done();
    },
  });
}
