// The records of the GitHub stand-in's world: plain data the tests read directly.
// Ids come from one counter, so they are unique across kinds, as GitHub's are.

export interface Account {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface CommentEdit {
  body: string;
  at: string;
  by: string;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  author: Account;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** Every body it had, the first one included. */
  history: CommentEdit[];
}

export interface PullRequestRecord {
  number: number;
  id: number;
  title: string;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** owner/name of the fork the head lives in, when not this repository. */
  headRepo?: string;
  user: Account;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommitSha: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
}

export interface AnnotationRecord {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationRecord[];
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: Account;
  createdAt: string;
}

export interface DeploymentStatusRecord {
  id: number;
  state: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  creator: Account;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  creator: Account;
  createdAt: string;
  statuses: DeploymentStatusRecord[];
}

export interface RepoState {
  id: number;
  owner: Account;
  name: string;
  fullName: string;
  defaultBranch: string;
  createdAt: string;
  commits: Set<string>;
  branches: Map<string, string>;
  pulls: Map<number, PullRequestRecord>;
  comments: CommentRecord[];
  checkRuns: CheckRunRecord[];
  statuses: StatusRecord[];
  deployments: DeploymentRecord[];
}

export interface NewPullRequest {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  headRepo?: string;
  user?: string;
  title?: string;
}
