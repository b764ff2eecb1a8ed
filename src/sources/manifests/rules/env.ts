// Env values that read a database name one of the project's, on the same cloud network;
// plain values that look like secrets are flagged before they reach git history;
// Lambda apps, which Waypoint cannot place in a private network, are warned.

import { describePlacement, resolvePlacement } from '../placement.js';
import { closest } from '../suggest.js';
import type { Rule } from './rule.js';

const secretLike = /(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS)/;

export const envRule: Rule = (docs, report, providers) => {
  for (const doc of docs) {
    const { manifest } = doc;
    const databases = manifest.databases ?? [];
    (manifest.apps ?? []).forEach((app, i) => {
      for (const [name, value] of Object.entries(app.env ?? {})) {
        const at = ['apps', i, 'env', name];
        if (typeof value === 'string') {
          if (secretLike.test(name) && value !== '') {
            report(doc, at, 'env.plain-secret', `${name} looks like a secret written in plain text, which lands in git and in waypoint.hcl: use { secret: true } and set it with \`pilot secret set ${manifest.name}/${app.name} ${name}\``, { severity: 'warning' });
          }
          continue;
        }
        if (!value || !('fromDatabase' in value)) continue;
        const index = databases.findIndex((db) => db.name === value.fromDatabase);
        if (index === -1) {
          const names = databases.map((db) => db.name);
          const guess = closest(value.fromDatabase, names);
          const advice = guess ? `did you mean ${JSON.stringify(guess)}?` : names.length ? `its databases are ${names.join(', ')}` : 'it declares no databases: add one under databases';
          report(doc, [...at, 'fromDatabase'], 'env.database', `project ${manifest.name} has no database ${JSON.stringify(value.fromDatabase)}: ${advice}`);
          continue;
        }
        if (app.deploy?.platform === 'lambda') {
          report(doc, [...at, 'fromDatabase'], 'env.lambda-database', `Waypoint's aws-lambda plugin cannot put a function in the database's private network, so ${app.name} will not reach ${value.fromDatabase}: run it on ecs to use the database`, { severity: 'warning' });
        }
        const appAt = resolvePlacement(manifest, app, ['apps', i], providers).placement;
        const dbAt = resolvePlacement(manifest, databases[index]!, ['databases', index], providers).placement;
        if (!appAt.provider || !dbAt.provider) continue;
        if (appAt.provider !== dbAt.provider || appAt.region !== dbAt.region || appAt.gcpProject !== dbAt.gcpProject) {
          report(
            doc,
            [...at, 'fromDatabase'],
            'env.database-network',
            `database ${value.fromDatabase} runs on ${describePlacement(dbAt)} but this app runs on ${describePlacement(appAt)}: apps reach a database only inside its cloud network, so put both on the same provider and region`,
          );
        }
      }
    });
  }
};
