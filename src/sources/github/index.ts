export { parseEvent, type PingEvent, type PullRequestEvent, type PushEvent, type ReleaseEvent, type WebhookEvent } from './events.js';
export { MalformedPayloadError } from './payload-fields.js';
export { checkHeaders, receive, type Answer, type Delivery, type Outcome } from './receive.js';
export { normalizeRepoUrl, repoMatches } from './repo-url.js';
export { maxBodyBytes, registerGithubWebhooks, type GithubWebhookOptions } from './route.js';
export { BodyBudget, defaultBodyBudgetBytes } from './body-budget.js';
export { verifySignature } from './verify.js';
