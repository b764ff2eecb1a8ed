// What a trigger asks for. A branch request reconciles the tracked branch (and is
// applied); a pull request plan plans one pull request's head (and is never applied).
// They run in separate lanes, so a plan never waits behind an apply.

export type TriggerName = 'startup' | 'poll' | 'webhook' | 'watch' | 'sync' | 'drift';

export interface BranchRequest {
  kind: 'branch';
  triggers: TriggerName[];
  /** A full reconcile of every project (drift checks, start-up); else only what changed. */
  full: boolean;
  /** App keys whose source moved (push or release to an app's repository). */
  apps: string[];
  /** For a release: app key -> tag to deploy in place of the branch the app tracks. */
  refs: Record<string, string>;
}

export interface PullRequestPlan {
  kind: 'pull-request';
  /** plan: opened, pushed to, reopened or edited. closed: closed, merged or not (nothing is planned). */
  action: 'plan' | 'closed';
  /** owner/name of the manifest repository. */
  repository: string;
  /** Its web address, for links to files (e.g. https://github.com/acme/infra). */
  htmlUrl?: string;
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** The head lives in another repository: planned without credentials, never with its code. */
  fork: boolean;
  /** closed: whether it was merged. */
  merged?: boolean;
}

export type Request = BranchRequest | PullRequestPlan;

/** Requests that arrive while a run is going are merged into one, so a burst makes one more run. */
export function mergeRequests(a: BranchRequest, b: BranchRequest): BranchRequest {
  return {
    kind: 'branch',
    triggers: [...new Set([...a.triggers, ...b.triggers])],
    full: a.full || b.full,
    apps: [...new Set([...a.apps, ...b.apps])].sort(),
    refs: { ...a.refs, ...b.refs },
  };
}

export function request(trigger: TriggerName, extra: Partial<Omit<BranchRequest, 'kind' | 'triggers'>> = {}): BranchRequest {
  return { kind: 'branch', triggers: [trigger], full: extra.full ?? false, apps: extra.apps ?? [], refs: extra.refs ?? {} };
}
