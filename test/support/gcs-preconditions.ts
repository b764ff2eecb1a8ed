// Cloud Storage's generation preconditions, which Terraform's gcs backend locks with:
// it creates <prefix>/<workspace>.tflock with ifGenerationMatch=0 (only if absent) and
// deletes it with ifGenerationMatch=<the generation it created>. A stand-in that ignored
// them would let two applies hold the lock at once.

import type { IncomingHttpHeaders } from 'node:http';

export interface Conditions {
  ifGenerationMatch?: string;
  ifGenerationNotMatch?: string;
  ifMetagenerationMatch?: string;
  ifMetagenerationNotMatch?: string;
}

export interface Refusal {
  status: 400 | 412;
  message: string;
  reason: string;
}

const names = ['ifGenerationMatch', 'ifGenerationNotMatch', 'ifMetagenerationMatch', 'ifMetagenerationNotMatch'] as const;

/** The JSON API takes them as query parameters. */
export function jsonConditions(query: URLSearchParams): Conditions {
  return Object.fromEntries(names.filter((name) => query.has(name)).map((name) => [name, query.get(name) as string]));
}

/** The XML API takes the two "match" ones as headers. */
export function xmlConditions(headers: IncomingHttpHeaders): Conditions {
  const generation = headers['x-goog-if-generation-match'];
  const metageneration = headers['x-goog-if-metageneration-match'];
  return {
    ...(typeof generation === 'string' ? { ifGenerationMatch: generation } : {}),
    ...(typeof metageneration === 'string' ? { ifMetagenerationMatch: metageneration } : {}),
  };
}

/**
 * Why the operation may not go ahead, or undefined when it may. `live` is the object as
 * it is now (undefined when there is none); generation 0 stands for "no live object".
 */
export function refusal(conditions: Conditions, live: { generation: number; metageneration: number } | undefined): Refusal | undefined {
  for (const name of names) {
    const text = conditions[name];
    if (text === undefined) continue;
    if (!/^\d+$/.test(text)) return { status: 400, message: `Invalid value for ${name}: ${text}`, reason: 'invalid' };
    const wanted = Number(text);
    const held = (() => {
      switch (name) {
        case 'ifGenerationMatch': return (live?.generation ?? 0) === wanted;
        case 'ifGenerationNotMatch': return live !== undefined && live.generation !== wanted;
        case 'ifMetagenerationMatch': return live !== undefined && live.metageneration === wanted;
        case 'ifMetagenerationNotMatch': return live !== undefined && live.metageneration !== wanted;
      }
    })();
    if (!held) return { status: 412, message: 'At least one of the pre-conditions you specified did not hold.', reason: 'conditionNotMet' };
  }
  return undefined;
}
