// Progress lines for the Waypoint job log: plain text, one event a line, secrets removed.

export type Say = (message: string) => void;

export function createSay(write: (line: string) => void, redact: (text: string) => string): Say {
  return (message) => write(`pilot-sync: ${redact(message)}\n`);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
