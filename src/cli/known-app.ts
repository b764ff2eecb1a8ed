// Whether PROJECT/APP is an app of the manifests, and if not, the names near it: a typo
// is caught before anything is stored under a name no deploy will ever read.

import type { DesiredState } from '../reconciler/desired-state.js';
import { closest } from '../sources/manifests/suggest.js';

const listedAtMost = 10;

/** The candidates near `word`, nearest first (those `closest` would suggest). */
function nearest(word: string, names: readonly string[], most = 3): string[] {
  const left = [...names];
  const found: string[] = [];
  for (let guess = closest(word, left); guess !== undefined && found.length < most; guess = closest(word, left)) {
    found.push(guess);
    left.splice(left.indexOf(guess), 1);
  }
  return found;
}

/** ` (apps: api, web): did you mean "api"?`: the likely names first, the list cut short when long. */
export function suggestion(names: readonly string[], kind: string, guesses: readonly string[]): string {
  const listed = [...new Set([...guesses.filter((g) => names.includes(g)), ...names])];
  const more = listed.length > listedAtMost ? ` and ${listed.length - listedAtMost} more` : '';
  const known = listed.length === 0 ? ` (there are no ${kind}s)` : ` (${kind}s: ${listed.slice(0, listedAtMost).join(', ')}${more})`;
  return `${known}${guesses.length > 0 ? `: did you mean ${guesses.map((g) => JSON.stringify(g)).join(' or ')}?` : ''}`;
}

/** Why `project/app` is not an app of `state`, or undefined when it is. */
export function unknownApp(state: DesiredState, project: string, app: string): string | undefined {
  const declared = state.projects.find((p) => p.name === project);
  const projects = state.projects.map((p) => p.name);
  if (!declared) {
    // The app's name may be right and only its project wrong: such apps come first.
    const holders = state.projects.filter((p) => p.apps.some((a) => a.name === app)).map((p) => `${p.name}/${app}`);
    const near = nearest(project, projects).filter((p) => !holders.includes(`${p}/${app}`));
    return `no project ${JSON.stringify(project)} in the manifests${suggestion(projects, 'project', [...holders, ...near])}`;
  }
  if (declared.apps.some((a) => a.name === app)) return undefined;
  const apps = declared.apps.map((a) => a.name);
  return `project ${project} has no app ${JSON.stringify(app)}${suggestion(apps, 'app', nearest(app, apps))}`;
}
