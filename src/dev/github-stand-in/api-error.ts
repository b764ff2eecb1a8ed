// GitHub's error answers: {message, documentation_url, status} with the status as a
// string, as api.github.com sends them. A handler throws an ApiError; `invalid` says
// whether the request is recorded as one the client should never have sent.

export const docs = {
  rest: 'https://docs.github.com/rest',
  comments: 'https://docs.github.com/rest/issues/comments',
  checkRuns: 'https://docs.github.com/rest/checks/runs',
  statuses: 'https://docs.github.com/rest/commits/statuses',
  deployments: 'https://docs.github.com/rest/deployments/deployments',
  deploymentStatuses: 'https://docs.github.com/rest/deployments/statuses',
  apps: 'https://docs.github.com/rest/apps/apps',
  rateLimits: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
  appJwt: 'https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app',
} as const;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** Recorded in gh.invalid(): the request broke the description or one of GitHub's rules. */
    readonly invalid: boolean,
    /** What gh.invalid() records when it says more than the message (e.g. why a token is refused). */
    readonly detail?: string,
  ) {
    super(String(body.message));
  }
}

export function errorBody(status: number, message: string, documentationUrl: string = docs.rest, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { message, ...extra, documentation_url: documentationUrl, status: String(status) };
}

export interface RefusalOptions {
  docs?: string;
  extra?: Record<string, unknown>;
  detail?: string;
}

/** A refusal the client caused: wrong body, unknown sha, missing rights. */
export function refused(status: number, message: string, options: RefusalOptions = {}): ApiError {
  return new ApiError(status, errorBody(status, message, options.docs, options.extra), true, options.detail);
}

/** Something the world does not hold: a comment, pull request or repository. */
export function notFound(documentationUrl?: string): ApiError {
  return new ApiError(404, errorBody(404, 'Not Found', documentationUrl), false);
}

/** GitHub's "Validation Failed" answer, one error object per field. */
export function validationFailed(resource: string, field: string, message: string, documentationUrl: string): ApiError {
  const errors = [{ resource, code: 'custom', field, message }];
  return refused(422, 'Validation Failed', { docs: documentationUrl, extra: { errors }, detail: message });
}
