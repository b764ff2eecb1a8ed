// Users, the app, its installation and repositories in GitHub's response shapes
// (simple-user, public-user, integration, installation, full-repository), with every
// field the OpenAPI description marks required, so clients read what GitHub sends.

import type { AppIdentity } from './app-identity.js';
import type { RepoState } from './world.js';
import type { Account } from './types.js';

export interface Urls {
  /** The API base, GHES prefix included. */
  api: string;
  /** Where html_url values point. */
  web: string;
}

export function nodeId(kind: string, id: number): string {
  return `${kind}_${Buffer.from(`stand-in:${id}`).toString('base64url')}`;
}

export function userJson(account: Account, urls: Urls): Record<string, unknown> {
  const api = `${urls.api}/users/${encodeURIComponent(account.login)}`;
  const html = account.type === 'Bot' ? `${urls.web}/apps/${account.login.replace(/\[bot\]$/, '')}` : `${urls.web}/${account.login}`;
  return {
    login: account.login, id: account.id, node_id: nodeId(account.type === 'Bot' ? 'BOT' : 'U', account.id),
    avatar_url: `${urls.web}/avatars/${account.id}`, gravatar_id: '', url: api, html_url: html,
    followers_url: `${api}/followers`, following_url: `${api}/following{/other_user}`, gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`, subscriptions_url: `${api}/subscriptions`, organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`, events_url: `${api}/events{/privacy}`, received_events_url: `${api}/received_events`,
    type: account.type, user_view_type: 'public', site_admin: false,
  };
}

/** GET /user: the public-user shape. */
export function authenticatedUserJson(account: Account, createdAt: string, urls: Urls): Record<string, unknown> {
  const zero = { followers: 0, following: 0, public_gists: 0, public_repos: 0 };
  const blank = { name: null, company: null, blog: '', location: null, email: null, hireable: null, bio: null };
  return { ...userJson(account, urls), ...blank, ...zero, created_at: createdAt, updated_at: createdAt };
}

const permissions = { checks: 'write', deployments: 'write', issues: 'write', pull_requests: 'write', statuses: 'write', metadata: 'read', contents: 'read' };

export function appJson(app: AppIdentity, createdAt: string, urls: Urls): Record<string, unknown> {
  return {
    id: app.id, slug: app.slug, node_id: nodeId('A', app.id), client_id: `Iv1.${app.id}`, owner: userJson(app.owner, urls),
    name: app.name, description: 'The GitHub stand-in\'s app', external_url: urls.web, html_url: `${urls.web}/apps/${app.slug}`,
    created_at: createdAt, updated_at: createdAt, permissions, events: ['pull_request', 'push', 'check_run'],
  };
}

export function installationJson(app: AppIdentity, account: Account, createdAt: string, urls: Urls): Record<string, unknown> {
  return {
    id: app.installationId, account: userJson(account, urls), repository_selection: 'all',
    access_tokens_url: `${urls.api}/app/installations/${app.installationId}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`, html_url: `${urls.web}/settings/installations/${app.installationId}`,
    app_id: app.id, app_slug: app.slug, client_id: `Iv1.${app.id}`, target_id: account.id, target_type: account.type,
    permissions, events: ['pull_request', 'push', 'check_run'], created_at: createdAt, updated_at: createdAt,
    single_file_name: null, has_multiple_single_files: false, single_file_paths: [], suspended_by: null, suspended_at: null,
  };
}

export function tokenPermissions(): Record<string, string> {
  return { ...permissions };
}

/** The repository's API URL templates, relative to /repos/{owner}/{repo}. */
const repoLinks: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}', assignees_url: '/assignees{/user}', blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}', collaborators_url: '/collaborators{/collaborator}', comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}', compare_url: '/compare/{base}...{head}', contents_url: '/contents/{+path}',
  contributors_url: '/contributors', deployments_url: '/deployments', downloads_url: '/downloads', events_url: '/events',
  forks_url: '/forks', git_commits_url: '/git/commits{/sha}', git_refs_url: '/git/refs{/sha}', git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks', issue_comment_url: '/issues/comments{/number}', issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}', keys_url: '/keys{/key_id}', labels_url: '/labels{/name}', languages_url: '/languages',
  merges_url: '/merges', milestones_url: '/milestones{/number}', notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}', releases_url: '/releases{/id}', stargazers_url: '/stargazers', statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers', subscription_url: '/subscription', tags_url: '/tags', teams_url: '/teams', trees_url: '/git/trees{/sha}',
};

/** The full-repository shape; a fork's head repository is made from its name alone. */
export function repoJson(repo: Pick<RepoState, 'id' | 'owner' | 'name' | 'fullName' | 'defaultBranch' | 'createdAt'>, urls: Urls): Record<string, unknown> {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const html = `${urls.web}/${repo.fullName}`;
  const links = Object.fromEntries(Object.entries(repoLinks).map(([field, tail]) => [field, `${api}${tail}`]));
  const counts = { forks: 0, forks_count: 0, open_issues: 0, open_issues_count: 0, stargazers_count: 0, watchers: 0, watchers_count: 0, size: 0, network_count: 0, subscribers_count: 0 };
  const flags = { fork: false, private: true, archived: false, disabled: false, has_issues: true, has_projects: false, has_wiki: false, has_pages: false, has_downloads: false, has_discussions: false };
  return {
    id: repo.id, node_id: nodeId('R', repo.id), name: repo.name, full_name: repo.fullName, owner: userJson(repo.owner, urls),
    html_url: html, description: null, url: api, ...links, ...counts, ...flags,
    git_url: `${html}.git`, ssh_url: `${html}.git`, clone_url: `${html}.git`, svn_url: html, mirror_url: null, homepage: null, language: null,
    license: null, default_branch: repo.defaultBranch, visibility: 'private', pushed_at: repo.createdAt, created_at: repo.createdAt, updated_at: repo.createdAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}
