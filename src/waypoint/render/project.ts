// Every app's waypoint.hcl for a project, or for a whole desired state.

import type { DesiredApp, DesiredState } from '../../reconciler/desired-state.js';
import { renderWaypointHcl } from './app.js';
import type { RenderOptions } from './options.js';

export interface RenderedApp {
  project: string;
  app: string;
  text: string;
}

/** Options per app (commit, wiring); none by default. */
export type OptionsFor = (app: DesiredApp) => RenderOptions;

const noOptions: OptionsFor = () => ({});

/** App name -> waypoint.hcl text, in app-name order; empty when the project is unknown. */
export function renderProject(state: DesiredState, project: string, optionsFor: OptionsFor = noOptions): Map<string, string> {
  const found = state.projects.find((p) => p.name === project);
  return new Map((found?.apps ?? []).map((app) => [app.name, renderWaypointHcl(app, optionsFor(app))]));
}

/** Every app of every project, in project then app order. */
export function renderState(state: DesiredState, optionsFor: OptionsFor = noOptions): RenderedApp[] {
  return state.projects.flatMap((project) =>
    project.apps.map((app) => ({ project: project.name, app: app.name, text: renderWaypointHcl(app, optionsFor(app)) })),
  );
}
