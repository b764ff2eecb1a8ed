// Who am I and the app's endpoints: GET /user, GET /app, a repository's installation
// and installation access tokens (the JWT-only ones; credentials.ts checks the JWT).

import { docs, notFound, refused } from './api-error.js';
import { intParam, repoOf, type Endpoint } from './handler-kit.js';
import { appJson, authenticatedUserJson, installationJson, repoJson, tokenPermissions } from './shapes-accounts.js';

export const appEndpoints: Record<string, Endpoint> = {
  'users/get-authenticated': {
    method: 'get',
    path: '/user',
    handle(ctx) {
      // An installation token is not a user: GitHub answers 403 "Resource not accessible by integration".
      // https://docs.github.com/rest/users/users#get-the-authenticated-user
      if (ctx.caller.kind !== 'user') throw refused(403, 'Resource not accessible by integration', { docs: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' });
      return { status: 200, body: authenticatedUserJson(ctx.caller.account, '2020-01-01T00:00:00Z', ctx.urls) };
    },
  },
  'apps/get-authenticated': {
    method: 'get',
    path: '/app',
    handle: (ctx) => ({ status: 200, body: appJson(ctx.world.app, '2020-01-01T00:00:00Z', ctx.urls) }),
  },
  'apps/get-repo-installation': {
    method: 'get',
    path: '/repos/{owner}/{repo}/installation',
    handle(ctx) {
      const repo = repoOf(ctx);
      return { status: 200, body: installationJson(ctx.world.app, repo.owner, repo.createdAt, ctx.urls) };
    },
  },
  'apps/create-installation-access-token': {
    method: 'post',
    path: '/app/installations/{installation_id}/access_tokens',
    handle(ctx) {
      if (intParam(ctx, 'installation_id') !== ctx.world.app.installationId) throw notFound(docs.apps);
      const names = Array.isArray(ctx.body.repositories) ? (ctx.body.repositories as unknown[]).map(String) : [];
      const owner = ctx.world.app.owner.login;
      const unknown = names.filter((name) => !ctx.world.allRepos().some((r) => r.name === name));
      if (unknown.length > 0) {
        // https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app
        const message = 'There is at least one repository that does not exist or is not accessible to the parent installation.';
        throw refused(422, message, { docs: docs.apps, detail: `${message} (${unknown.join(', ')}; ${owner}'s app knows only the repositories added to the world)` });
      }
      const issued = ctx.credentials.issueInstallationToken(ctx.world.app.installationId);
      const selected = ctx.world.allRepos().filter((r) => names.includes(r.name));
      return {
        status: 201,
        body: {
          token: issued.token, expires_at: new Date(issued.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: ctx.body.permissions ?? tokenPermissions(), repository_selection: names.length > 0 ? 'selected' : 'all',
          ...(names.length > 0 ? { repositories: selected.map((r) => repoJson(r, ctx.urls)) } : {}),
        },
      };
    },
  },
};
