// The read-only page of the local demo at /_stand-in/ (and its data at
// /_stand-in/state.json): per repository, the pull requests with their comments, the
// check runs with annotations, the statuses, the deployments with their statuses.
// Everything shown is escaped; comment bodies are shown as the text Pilot sent.

import type { World } from './world.js';

export function stateJson(world: World): unknown {
  return {
    repositories: world.allRepos().map((repo) => ({
      fullName: repo.fullName,
      defaultBranch: repo.defaultBranch,
      branches: Object.fromEntries(repo.branches),
      pullRequests: [...repo.pulls.values()].map((pr) => ({
        ...pr,
        user: pr.user.login,
        comments: repo.comments
          .filter((c) => c.issueNumber === pr.number)
          .map((c) => ({ id: c.id, author: c.author.login, body: c.body, createdAt: c.createdAt, updatedAt: c.updatedAt, edits: c.history.length - 1 })),
      })),
      checkRuns: repo.checkRuns,
      statuses: repo.statuses.map((s) => ({ ...s, creator: s.creator.login })),
      deployments: repo.deployments.map((d) => ({ ...d, creator: d.creator.login, statuses: d.statuses.map((s) => ({ ...s, creator: s.creator.login })) })),
    })),
  };
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const e = escapeHtml;

export function stateHtml(world: World): string {
  const sections = world.allRepos().map((repo) => {
    const pulls = [...repo.pulls.values()].map((pr) => {
      const comments = repo.comments.filter((c) => c.issueNumber === pr.number).map(
        (c) => `<div class="comment"><p><b>${e(c.author.login)}</b> at ${e(c.updatedAt)}${c.history.length > 1 ? ` (edited ${c.history.length - 1}×)` : ''}</p><pre>${e(c.body)}</pre></div>`,
      );
      const state = pr.merged ? `merged as ${e(pr.mergeCommitSha)}` : e(pr.state);
      return `<h3>#${e(pr.number)} ${e(pr.title)} <small>${e(pr.headRef)} → ${e(pr.baseRef)}, ${state}</small></h3>${comments.join('') || '<p>No comments.</p>'}`;
    });
    const runs = repo.checkRuns.map((run) => {
      const notes = run.annotations.map((a) => `<li>${e(a.annotation_level)} ${e(a.path)}:${e(a.start_line)} ${e(a.message)}</li>`).join('');
      return `<li><b>${e(run.name)}</b> on ${e(run.headSha.slice(0, 7))}: ${e(run.conclusion ?? run.status)} — ${e(run.output.title)}<pre>${e(run.output.summary)}</pre>${notes ? `<ul>${notes}</ul>` : ''}</li>`;
    });
    const statuses = repo.statuses.map((s) => `<li><b>${e(s.context)}</b> on ${e(s.sha.slice(0, 7))}: ${e(s.state)} — ${e(s.description)} ${link(s.targetUrl)}</li>`);
    const deployments = repo.deployments.map((d) => {
      const states = d.statuses.map((s) => `<li>${e(s.state)} — ${e(s.description)} ${link(s.environmentUrl)} ${link(s.logUrl)}</li>`).join('');
      return `<li><b>${e(d.environment)}</b> at ${e(d.sha.slice(0, 7))} (${e(d.ref)}) by ${e(d.creator.login)}<ul>${states}</ul></li>`;
    });
    const list = (title: string, items: string[]) => `<h3>${title}</h3>${items.length ? `<ul>${items.join('')}</ul>` : '<p>None.</p>'}`;
    return `<section><h2>${e(repo.fullName)}</h2>${pulls.join('')}${list('Check runs', runs)}${list('Commit statuses', statuses)}${list('Deployments', deployments)}</section>`;
  });
  const style = 'body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}pre{background:#f6f8fa;padding:.6em;white-space:pre-wrap}.comment{border-left:3px solid #ccc;padding-left:1em}';
  return `<!doctype html><html><head><meta charset="utf-8"><title>GitHub stand-in</title><style>${style}</style></head><body><h1>GitHub stand-in</h1><p><a href="state.json">state.json</a></p>${sections.join('') || '<p>No repositories.</p>'}</body></html>`;
}

/** Only http(s) addresses become links; anything else is shown as text. */
function link(url: string | null): string {
  if (!url) return '';
  return /^https?:\/\//i.test(url) ? `<a href="${e(url)}">${e(url)}</a>` : e(url);
}
