// The status page: server-rendered HTML that refreshes itself: the apps, the cloud
// stacks, the recent runs, the plans of open pull requests and the last errors.
// Everything is escaped.

import { notReadyReason } from './readiness.js';
import { appRows, lastRunCaveat, runsSection } from './status-page-rows.js';
import type { DaemonStatus } from './status.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const link = (text: string, url: string | undefined) => (url && /^https?:\/\//.test(url) ? `<a href="${escape(url)}">${escape(text)}</a>` : escape(text));

/** ", from #12" when GitHub said which pull request the revision merged. */
function mergedFrom(status: DaemonStatus, revision: string | undefined): string {
  const merge = status.merges.find((m) => m.revision === revision);
  return merge ? `, from ${link(`#${merge.number}`, merge.url)}` : '';
}

/** Daemons sharing a store: this one's role and who leads. */
function leadershipLine(status: DaemonStatus): string {
  const l = status.leadership;
  if (!l) return '';
  const role = l.role === 'leader' ? 'leads' : l.role === 'standby' ? 'stands by' : `stopped leading (${escape(l.lostReason ?? '')})`;
  const lease = l.lease ? `Leader: <code>${escape(l.lease.holder)}</code>, generation ${l.lease.generation}, since <time>${escape(l.lease.acquiredAt)}</time>, renewed <time>${escape(l.lease.renewedAt)}</time>.` : 'No leader yet.';
  return `<p id="leadership">This daemon (<code>${escape(l.self)}</code>) ${role}. ${lease}</p>`;
}

export function renderStatusPage(status: DaemonStatus): string {
  const notReady = notReadyReason(status.ready);
  const rows = appRows(status.apps);
  const stackRows = status.stacks
    .map((s) => `<tr class="${escape(s.state === 'converged' ? 'converged' : s.state === 'drift' ? 'attention' : 'failed')}"><td>${escape(s.project)} ${escape(s.provider)} ${escape(s.region)}</td><td>${escape(s.state)}</td><td>${escape(s.detail)}</td></tr>`)
    .join('\n');
  const pulls = status.pullRequests
    .map((p) => `<h3>${link(`${p.repository}#${p.number}`, p.url)} <code>${escape(p.headSha.slice(0, 12))}</code>: ${escape(p.outcome)}${p.fork ? ' (fork)' : ''}</h3><pre>${escape(p.lines.join('\n'))}</pre>`)
    .join('\n');
  const run = status.lastRun;
  const errors = status.lastErrors.map((e) => `<li>${escape(e)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Pilot</title><link rel="icon" href="data:,">
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
.converged td:nth-child(2){color:#176f2c}.failed td:nth-child(2){color:#b00020}.blocked td:nth-child(2),.attention td:nth-child(2){color:#8a5a00}code{background:#f3f3f3;padding:1px 4px}time{white-space:nowrap}</style>
</head><body>
<h1>Pilot</h1>
<p>${notReady === undefined ? `Ready${lastRunCaveat(status)}` : `Not ready: ${escape(notReady)}`}.
Revision <code>${escape(status.revision ?? 'none yet')}</code>${mergedFrom(status, status.revision)}${status.running ? ` &middot; reconciling <code>${escape(status.running.revision)}</code> (${escape(status.running.triggers.join(', '))})` : ''}.</p>
${leadershipLine(status)}
${status.rejected ? `<p class="failed">Revision <code>${escape(status.rejected.revision)}</code> was not applied: ${escape(status.rejected.reason)}</p>` : ''}
${run ? `<p>Last run: ${escape(run.outcome ?? '')} at ${escape(run.finishedAt ?? run.startedAt)} (${escape(run.triggers.join(', '))}), ${run.jobsQueued ?? 0} jobs queued.</p>` : '<p>No run yet.</p>'}
<table id="apps"><thead><tr><th>app</th><th>state</th><th>url</th><th>commit</th><th>deployed</th><th>detail</th></tr></thead><tbody>
${rows || '<tr><td colspan="6">No apps yet.</td></tr>'}
</tbody></table>
${stackRows ? `<h2>Cloud stacks</h2><table><thead><tr><th>stack</th><th>state</th><th>detail</th></tr></thead><tbody>\n${stackRows}\n</tbody></table>` : ''}
${runsSection(status.runs)}
${pulls ? `<h2>Pull request plans</h2>\n${pulls}` : ''}
${errors ? `<h2>Last errors</h2><ul>${errors}</ul>` : ''}
<p><a href="/api/status">/api/status</a> &middot; <a href="/metrics">/metrics</a></p>
</body></html>
`;
}
