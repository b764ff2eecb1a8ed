// The status page's parts as plain functions: what the store remembers turned into app
// rows and runs, how times, commits and durations read, the headline beside a failed run,
// and everything escaped (a URL that is not a web page is never a link).

import { describe, expect, it } from 'vitest';
import type { DeployedApp, RunRecord } from '../src/reconciler/store-port.js';
import { newStatus, type AppStatus, type DaemonStatus } from '../src/daemon/status.js';
import { restoredApps, runStatuses, withDeployments } from '../src/daemon/status-history.js';
import { renderStatusPage } from '../src/daemon/status-page.js';
import { appRows, lastRunCaveat, readableDuration, readableTime, runsSection, shortCommit } from '../src/daemon/status-page-rows.js';

const sha = 'a'.repeat(40);
const web: DeployedApp = { project: 'shop', app: 'web', state: 'success', commit: sha, at: '2026-11-25T14:03:07.123Z', urls: { release: 'https://web.example', app: 'https://app.example' } };
const api: DeployedApp = { project: 'shop', app: 'api', state: 'error', commit: 'b'.repeat(40), at: '2026-11-25T15:00:00.000Z', error: 'health check failed\nsecond line', urls: { app: 'https://api.example' } };

function ready(lastRun?: DaemonStatus['lastRun']): DaemonStatus {
  const status = newStatus();
  Object.assign(status.ready, { source: true, waypoint: true, store: true });
  if (lastRun) status.lastRun = lastRun;
  return status;
}

describe('what the store remembers, as the status shows it', () => {
  it('restores each deployed app with its URL (the release first), commit and time; a failure with its first line; a pinned release named', () => {
    expect(restoredApps([web, api], [{ project: 'shop', app: 'web', tag: 'v3', trackedRef: 'main', baseCommit: sha, at: '2026-11-25T14:00:00.000Z' }])).toEqual([
      { project: 'shop', app: 'web', state: 'converged', detail: 'deployed release v3', url: 'https://web.example', commit: sha, deployedAt: web.at },
      { project: 'shop', app: 'api', state: 'failed', detail: 'health check failed', url: 'https://api.example', commit: api.commit, deployedAt: api.at },
    ]);
    expect(restoredApps([{ project: 'shop', app: 'web', state: 'success', commit: sha, at: web.at }], [])).toEqual([{ project: 'shop', app: 'web', state: 'converged', detail: 'deployed', commit: sha, deployedAt: web.at }]);
  });

  it('adds the latest deployment to the apps a run left, keeps a URL the run reported, and adds no app', () => {
    const apps: AppStatus[] = [
      { project: 'shop', app: 'api', state: 'attention', detail: 'not retried' },
      { project: 'shop', app: 'web', state: 'converged', detail: 'new app', url: 'https://fresh.example' },
      { project: 'shop', app: 'new', state: 'blocked', detail: 'blocked by stack' },
    ];
    expect(withDeployments(apps, [web, api, { ...web, app: 'gone' }])).toEqual([
      { ...apps[0], url: 'https://api.example', commit: api.commit, deployedAt: api.at },
      { ...apps[1], commit: sha, deployedAt: web.at },
      apps[2],
    ]);
  });

  it.each<[string, RunRecord, DaemonStatus['runs'][number]]>([
    ['a finished run', { id: 2, revision: sha, trigger: 'webhook,poll', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:05.500Z', outcome: 'converged', summary: { jobsQueued: 2, actions: 3 } },
      { revision: sha, triggers: ['webhook', 'poll'], startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:05.500Z', durationMs: 65_500, outcome: 'converged', jobsQueued: 2 }],
    ['an invalid one, whose summary counts errors', { id: 3, revision: sha, trigger: 'sync', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:00.000Z', outcome: 'invalid', summary: { errors: 2 } },
      { revision: sha, triggers: ['sync'], startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:00.000Z', durationMs: 0, outcome: 'invalid' }],
    ['one cut short', { id: 4, revision: sha, trigger: 'startup', startedAt: '2026-01-01T00:00:00.000Z', summary: null },
      { revision: sha, triggers: ['startup'], startedAt: '2026-01-01T00:00:00.000Z' }],
  ])('reads %s from the store', (_name, record, shown) => {
    expect(runStatuses([record])).toEqual([shown]);
  });
});

describe('the page', () => {
  it.each([
    ['2026-11-25T14:03:07.123Z', '<time datetime="2026-11-25T14:03:07.123Z">2026-11-25 14:03:07 UTC</time>'],
    ['2026-11-25T14:03:07Z', '<time datetime="2026-11-25T14:03:07Z">2026-11-25 14:03:07 UTC</time>'],
    ['yesterday <b>', '<time datetime="yesterday &#60;b&#62;">yesterday &#60;b&#62;</time>'],
  ])('shows %s readably, the ISO time kept', (iso, html) => {
    expect(readableTime(iso)).toBe(html);
  });

  it.each([[0, '0.0 s'], [1_250, '1.3 s'], [59_949, '59.9 s'], [65_500, '1 min 6 s'], [3_600_000, '60 min 0 s'], [-5, ''], [Number.NaN, '']])('reads %d ms as "%s"', (ms, text) => {
    expect(readableDuration(ms)).toBe(text);
  });

  it.each([
    [sha, `<code title="${sha}">aaaaaaaaaaaa</code>`],
    ['local-1f2e3d', '<code title="local-1f2e3d">local-1f2e3d</code>'],
    ['"><script>', '<code title="&#34;&#62;&#60;script&#62;">&#34;&#62;&#60;script&#62;</code>'],
  ])('quotes the commit %s short, whole in its title', (commit, html) => {
    expect(shortCommit(commit)).toBe(html);
  });

  it.each<[string, DaemonStatus['lastRun'], string]>([
    ['no run yet', undefined, ''],
    ['a converged run', { revision: sha, triggers: ['startup'], startedAt: '', outcome: 'converged' }, ''],
    ['a failed run', { revision: sha, triggers: ['startup'], startedAt: '', outcome: 'failed' }, ' (the last run failed: see below)'],
    ['a partly failed run', { revision: sha, triggers: ['startup'], startedAt: '', outcome: 'partial' }, ' (part of the last run failed: see below)'],
  ])('says "Ready" with %s as Ready%s', (_name, lastRun, caveat) => {
    expect(lastRunCaveat({ lastRun })).toBe(caveat);
    const page = renderStatusPage(ready(lastRun));
    expect(page).toContain(`<p>Ready${caveat}.\n`);
  });

  it('never says a bare "Ready." above a failed last run', () => {
    const page = renderStatusPage(ready({ revision: sha, triggers: ['sync'], startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', outcome: 'failed' }));
    expect(page).not.toMatch(/Ready\./);
    expect(page).toContain('Last run: failed');
  });

  it('escapes every text of an app row and links only web URLs', () => {
    const hostile: AppStatus = { project: '<b>p</b>', app: 'a"b', state: 'failed', detail: '<img src=x onerror=alert(1)>', url: 'javascript:alert(1)', commit: '<i>c</i>', deployedAt: '<x>' };
    const row = appRows([hostile, { project: 'p', app: 'a', state: 'converged', detail: '', url: 'https://a.example/?q="x"' }]);
    expect(row).not.toMatch(/<(b|i|img|x)[\s>]/);
    expect(row).not.toContain('href="javascript:');
    expect(row).toContain('<td>javascript:alert(1)</td>');
    expect(row).toContain('<a href="https://a.example/?q=&#34;x&#34;">https://a.example/?q=&#34;x&#34;</a>');
  });

  it('lists the recent runs, nothing when there are none, an unfinished one as such', () => {
    expect(runsSection([])).toBe('');
    const section = runsSection([
      { revision: sha, triggers: ['startup'], startedAt: '2026-01-01T00:00:00.000Z' },
      { revision: sha, triggers: ['webhook', 'poll'], startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:02.000Z', durationMs: 2000, outcome: 'partial', jobsQueued: 3 },
    ]);
    expect(section).toContain('<h2>Recent runs</h2>');
    expect(section).toContain('<tr class="attention"><td><time datetime="2026-01-01T00:00:00.000Z">2026-01-01 00:00:00 UTC</time></td><td>unfinished</td>');
    expect(section).toContain('<tr class="failed"><td><time datetime="2026-01-01T00:00:00.000Z">2026-01-01 00:00:00 UTC</time></td><td>partial</td>');
    expect(section).toContain('<td>webhook, poll</td><td>3</td><td>2.0 s</td></tr>');
  });
});

describe('the page of a daemon sharing its store', () => {
  const lease = { holder: 'pilot-a:4242', generation: 3, acquiredAt: '2026-12-01T10:00:00.000Z', renewedAt: '2026-12-01T10:05:00.000Z' };

  it('says whether this daemon leads or stands by, and who leads since when, escaped', () => {
    const standby = ready();
    standby.leadership = { role: 'standby', self: 'pilot-b:77<script>', lease };
    const page = renderStatusPage(standby);
    expect(page).toContain('This daemon (<code>pilot-b:77&#60;script&#62;</code>) stands by. Leader: <code>pilot-a:4242</code>, generation 3, since <time>2026-12-01T10:00:00.000Z</time>');
    const leader = ready();
    leader.leadership = { role: 'leader', self: 'pilot-a:4242', generation: 3, lease };
    expect(renderStatusPage(leader)).toContain('This daemon (<code>pilot-a:4242</code>) leads.');
    const lost = ready();
    lost.leadership = { role: 'lost', self: 'pilot-a:4242', lostReason: 'its connection closed' };
    expect(renderStatusPage(lost)).toContain('stopped leading (its connection closed). No leader yet.');
  });

  it('says nothing of leadership on a store of its own', () => {
    expect(renderStatusPage(ready())).not.toContain('id="leadership"');
  });
});
