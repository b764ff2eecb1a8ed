// A local stand-in for GitHub's REST API, at least as strict as api.github.com: every
// request is checked against GitHub's OpenAPI description and the rules GitHub adds,
// refusals are recorded, and the state is kept in memory for tests and the demo.

export { startGithubStandIn, type GithubStandIn } from './server.js';
export { World, type NewPullRequest, type RepoState } from './world.js';
export type { PublicAppInfo } from './app-identity.js';
export type { RateLimitKind } from './rate-limits.js';
export type * from './types.js';
export type * from './stand-in-options.js';
