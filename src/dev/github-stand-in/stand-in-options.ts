// How a stand-in is started and what it remembers of each request it answered.

export interface StandInOptions {
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** '' (default) acts as api.github.com; '/api/v3' as GitHub Enterprise Server. */
  pathPrefix?: string;
  /** 'required' (default) throws when @octokit/openapi is missing; 'if-installed' runs unvalidated. */
  openapi?: 'required' | 'if-installed';
  /** How long installation tokens live; GitHub's live one hour. */
  installationTokenTtlMs?: number;
  /**
   * Check the stand-in's own answers against the description's response schemas; one
   * that breaks them becomes a 500 naming the problem (a bug in the stand-in, not the client).
   */
  checkAnswers?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** As sent, without the query; the GHES prefix included. */
  path: string;
  query: Record<string, string>;
  /** authorization is cut to its scheme ('token', 'bearer'). */
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
  status: number;
  /** The OpenAPI operation the path and method matched, e.g. issues/create-comment. */
  operationId?: string;
  /** Why the request was refused as invalid: OpenAPI, GitHub's extra rules, credentials. */
  invalid?: string[];
  rateLimited?: 'primary' | 'secondary';
}
