// Built-in minimal payloads for sample deliveries, used when @octokit/webhooks-examples
// (a devDependency) is not installed. They carry the fields GitHub sends that Pilot
// reads or that webhook-payload.ts sets; the placeholders are replaced there.

import type { Payload, SampleEvent } from './webhook-examples.js';

const zeros = '0'.repeat(40);
const when = '2024-01-01T00:00:00Z';

function user(): Payload {
  return { login: 'pilot-dev', id: 1, node_id: 'U_pilot-dev', type: 'User', site_admin: false };
}

function repository(): Payload {
  return {
    id: 1, node_id: 'R_pilot-dev', name: 'repository', full_name: 'pilot-dev/repository', private: true, owner: user(),
    html_url: '', clone_url: '', ssh_url: '', git_url: '', default_branch: 'main', fork: false, archived: false,
  };
}

function commit(): Payload {
  const person = { name: 'Pilot dev', email: 'dev@pilot.invalid', username: 'pilot-dev' };
  return { id: zeros, tree_id: zeros, distinct: true, message: 'sample commit', timestamp: when, author: person, committer: person, added: [], removed: [], modified: [] };
}

function push(): Payload {
  return {
    ref: 'refs/heads/main', before: zeros, after: zeros, created: false, deleted: false, forced: false, base_ref: null, compare: '',
    commits: [commit()], head_commit: commit(), repository: repository(), pusher: { name: 'pilot-dev', email: 'dev@pilot.invalid' }, sender: user(),
  };
}

function branch(ref: string): Payload {
  return { label: `pilot-dev:${ref}`, ref, sha: zeros, user: user(), repo: repository() };
}

function pullRequest(): Payload {
  return {
    action: 'opened', number: 1, repository: repository(), sender: user(),
    pull_request: {
      id: 1, node_id: 'PR_pilot-dev', number: 1, state: 'open', locked: false, title: 'A sample pull request', body: null, user: user(),
      created_at: when, updated_at: when, closed_at: null, merged_at: null, merge_commit_sha: null, draft: false, merged: false,
      head: branch('change'), base: branch('main'), html_url: '', commits: 1, additions: 0, deletions: 0, changed_files: 0,
    },
  };
}

function release(): Payload {
  return {
    action: 'published', repository: repository(), sender: user(),
    release: {
      id: 1, node_id: 'RE_pilot-dev', tag_name: 'v0.1.0', target_commitish: 'main', name: null, body: null, draft: false, prerelease: false,
      created_at: when, published_at: when, author: user(), assets: [], html_url: '',
    },
  };
}

export function builtInPayload(event: SampleEvent): Payload {
  return event === 'push' ? push() : event === 'pull_request' ? pullRequest() : release();
}
