// The stand-in's in-memory GitHub: users and their tokens, repositories with their
// commits, branches, pull requests, comments, check runs, statuses and deployments.
// Tests set it up with these methods (not over HTTP) and read what Pilot did to it.

import type { AppIdentity } from './app-identity.js';
import type { Account, CheckRunRecord, CommentRecord, DeploymentRecord, NewPullRequest, PullRequestRecord, RepoState, StatusRecord } from './types.js';

export type { NewPullRequest, RepoState } from './types.js';

/** GitHub's timestamps: seconds, UTC, no fraction. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class World {
  private readonly accounts = new Map<string, Account>();
  private readonly repos = new Map<string, RepoState>();
  private lastId = 1000;
  /** Personal access token -> login. */
  readonly tokens = new Map<string, string>();

  constructor(readonly app: AppIdentity) {}

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  addUser(login: string, options: { token?: string } = {}): Account {
    const account = this.account(login, 'User');
    if (options.token) this.tokens.set(options.token, login);
    return account;
  }

  addRepo(fullName: string, options: { defaultBranch?: string } = {}): RepoState {
    const [owner, name] = splitName(fullName);
    const repo: RepoState = {
      id: this.nextId(), owner: this.account(owner, 'Organization'), name, fullName: `${owner}/${name}`,
      defaultBranch: options.defaultBranch ?? 'main', createdAt: isoNow(), commits: new Set(), branches: new Map(),
      pulls: new Map(), comments: [], checkRuns: [], statuses: [], deployments: [],
    };
    this.repos.set(repo.fullName.toLowerCase(), repo);
    return repo;
  }

  /** A commit the repository has; with `branch`, that branch now points at it. */
  addCommit(fullName: string, sha: string, options: { branch?: string } = {}): void {
    const repo = this.must(fullName);
    repo.commits.add(sha);
    if (options.branch) repo.branches.set(options.branch, sha);
  }

  addPullRequest(fullName: string, pr: NewPullRequest): PullRequestRecord {
    const repo = this.must(fullName);
    if (repo.pulls.has(pr.number)) throw new Error(`${fullName} already has pull request #${pr.number}`);
    // GitHub keeps every pull request's head in the base repository (refs/pull/N/head), forks' too.
    repo.commits.add(pr.headSha);
    if (!pr.headRepo) repo.branches.set(pr.headRef, pr.headSha);
    else this.account(splitName(pr.headRepo)[0], 'User');
    const now = isoNow();
    const record: PullRequestRecord = {
      number: pr.number, id: this.nextId(), title: pr.title ?? `Pull request #${pr.number}`, headSha: pr.headSha,
      headRef: pr.headRef, baseRef: pr.baseRef, user: this.account(pr.user ?? 'octocat', 'User'), state: 'open',
      merged: false, mergeCommitSha: null, createdAt: now, updatedAt: now, closedAt: null, mergedAt: null,
      ...(pr.headRepo ? { headRepo: pr.headRepo } : {}),
    };
    repo.pulls.set(pr.number, record);
    return record;
  }

  /** Merged as GitHub does: closed, merged, the base branch moved to the merge commit. */
  mergePullRequest(fullName: string, number: number, mergeSha: string): void {
    const repo = this.must(fullName);
    const pr = this.mustPull(repo, number);
    repo.commits.add(mergeSha);
    repo.branches.set(pr.baseRef, mergeSha);
    const now = isoNow();
    Object.assign(pr, { state: 'closed', merged: true, mergeCommitSha: mergeSha, closedAt: now, mergedAt: now, updatedAt: now });
  }

  closePullRequest(fullName: string, number: number): void {
    const pr = this.mustPull(this.must(fullName), number);
    const now = isoNow();
    Object.assign(pr, { state: 'closed', closedAt: now, updatedAt: now });
  }

  repo(fullName: string): RepoState | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  allRepos(): RepoState[] {
    return [...this.repos.values()];
  }

  pullRequest(fullName: string, number: number): PullRequestRecord | undefined {
    return this.repo(fullName)?.pulls.get(number);
  }

  comments(fullName: string, issueNumber: number): readonly CommentRecord[] {
    return this.must(fullName).comments.filter((c) => c.issueNumber === issueNumber);
  }

  checkRuns(fullName: string, sha?: string): readonly CheckRunRecord[] {
    return this.must(fullName).checkRuns.filter((run) => sha === undefined || run.headSha === sha);
  }

  statuses(fullName: string, sha?: string): readonly StatusRecord[] {
    return this.must(fullName).statuses.filter((status) => sha === undefined || status.sha === sha);
  }

  deployments(fullName: string): readonly DeploymentRecord[] {
    return this.must(fullName).deployments;
  }

  /** Where commits nobody added may be found (the demo: its real git repository); none by default. */
  commitSource: ((fullName: string, sha: string) => boolean) | undefined;

  /** True when the repository has the commit (learning it from commitSource, if set). */
  hasCommit(repo: RepoState, sha: string): boolean {
    if (repo.commits.has(sha)) return true;
    if (!/^[0-9a-f]{40}$/.test(sha) || !this.commitSource?.(repo.fullName, sha)) return false;
    repo.commits.add(sha);
    return true;
  }

  /** A pull request as a delivery describes it: opened (added), pushed to (its head moves), closed or merged. */
  syncPullRequest(fullName: string, pr: NewPullRequest & { action: string; merged?: boolean; mergeSha?: string }): void {
    const known = this.pullRequest(fullName, pr.number);
    if (!known) this.addPullRequest(fullName, pr);
    else if (known.headSha !== pr.headSha) Object.assign(known, { headSha: pr.headSha, updatedAt: isoNow() });
    this.must(fullName).commits.add(pr.headSha);
    if (pr.action !== 'closed' || this.pullRequest(fullName, pr.number)?.state === 'closed') return;
    if (pr.merged && pr.mergeSha) this.mergePullRequest(fullName, pr.number, pr.mergeSha);
    else this.closePullRequest(fullName, pr.number);
  }

  /** A sha the repository has, or the tip of a branch; undefined when neither. */
  resolveRef(repo: RepoState, ref: string): string | undefined {
    if (this.hasCommit(repo, ref)) return ref;
    return repo.branches.get(ref.replace(/^(refs\/)?heads\//, ''));
  }

  accountByLogin(login: string): Account | undefined {
    return login === this.app.bot.login ? this.app.bot : this.accounts.get(login.toLowerCase());
  }

  private account(login: string, type: Account['type']): Account {
    const known = this.accounts.get(login.toLowerCase());
    if (known) return known;
    const account: Account = { login, id: this.nextId(), type };
    this.accounts.set(login.toLowerCase(), account);
    return account;
  }

  private must(fullName: string): RepoState {
    const repo = this.repo(fullName);
    if (!repo) throw new Error(`The GitHub stand-in has no repository ${fullName}; add it with world.addRepo('${fullName}')`);
    return repo;
  }

  private mustPull(repo: RepoState, number: number): PullRequestRecord {
    const pr = repo.pulls.get(number);
    if (!pr) throw new Error(`${repo.fullName} has no pull request #${number}`);
    return pr;
  }
}

function splitName(fullName: string): [string, string] {
  const [owner, name, ...rest] = fullName.split('/');
  if (!owner || !name || rest.length > 0) throw new Error(`A repository is named owner/name, not ${fullName}`);
  return [owner, name];
}
