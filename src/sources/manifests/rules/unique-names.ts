// Project names are unique across the repository; app and database names within their project.

import type { Rule, ValidDocument } from './rule.js';
import { locate } from '../locate.js';

/** Across documents: the one rule that needs the whole repository at once. */
export const uniqueProjects: Rule = (docs, report) => {
  const projects = new Map<string, ValidDocument>();
  for (const doc of docs) {
    const name = doc.manifest.name;
    const first = projects.get(name);
    if (first) {
      const at = `${first.parsed.file}:${locate(first.parsed, ['name']).line}`;
      report(doc, ['name'], 'names.duplicate-project', `project ${JSON.stringify(name)} is already declared at ${at}: project names are unique across the repository`);
    } else {
      projects.set(name, doc);
    }
  }
};

/** Within each document: its apps, and its databases. */
export const uniqueNames: Rule = (docs, report) => {
  for (const doc of docs) {
    for (const kind of ['apps', 'databases'] as const) {
      const seen = new Map<string, number>();
      (doc.manifest[kind] ?? []).forEach((item, i) => {
        const index = seen.get(item.name);
        if (index === undefined) {
          seen.set(item.name, i);
          return;
        }
        const noun = kind === 'apps' ? 'app' : 'database';
        report(doc, [kind, i, 'name'], `names.duplicate-${noun}`, `${noun} ${JSON.stringify(item.name)} is already declared as ${kind}[${index}]: ${noun} names are unique within a project`);
      });
    }
  }
};
