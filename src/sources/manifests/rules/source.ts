// source.repo is safe to store and to hand to git: no credentials written into it (they
// would sit in Pilot's state and in process lists), no part git or ssh reads as an option.

import { carriesCredentials, optionLikePart } from '../git-url.js';
import type { Rule } from './rule.js';

export const sourceRule: Rule = (docs, report) => {
  for (const doc of docs) {
    (doc.manifest.apps ?? []).forEach((app, i) => {
      const at = ['apps', i, 'source', 'repo'];
      const { repo } = app.source;
      if (carriesCredentials(repo)) {
        report(doc, at, 'source.credentials', 'this URL carries a user name or password (before the @), which Pilot would keep in its state and show in process lists: remove it, and give Pilot the token with PILOT_SOURCE_TOKEN (PILOT_SOURCE_USERNAME for the user) or `sources` in pilot.config.yaml');
      }
      const part = optionLikePart(repo);
      if (part) {
        report(doc, at, 'source.option', `the ${part} in this URL starts with -, which ssh or git would read as an option: write the repository's real ${part}`);
      }
    });
  }
};
