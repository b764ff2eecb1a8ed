// Text from manifests, plans and jobs is inert in the plan comment: no markdown, HTML,
// mentions, issue links, emoji or links to anything but http(s), wherever it appears.

import { describe, expect, it } from 'vitest';
import type { Action } from '../src/reconciler/plan-types.js';
import { encodePath, inline, safeUrl } from '../src/sources/github/comment/escape.js';
import { renderComment, renderPlanSummary, type CommentInput } from '../src/sources/github/comment/index.js';

const nasty = '**bold** <img src=x onerror=alert(1)> @octocat #12 [x](javascript:alert(1)) ``` | :smile: _em_ ~~gone~~ $x$ &amp; \\* GH-7\n=====\n- next line';

function nastyInput(): CommentInput {
  const action = (kind: Action['kind'], extra: Partial<Action> = {}): Action => ({
    id: `${kind}:${nasty}`, kind, symbol: '~', project: nasty, name: nasty, target: nasty, reasons: [nasty, nasty], after: [], status: 'pending', commit: nasty, ...extra,
  });
  return {
    links: { repoHtmlUrl: 'https://github.com/acme/infra' },
    state: 'closed',
    plan: {
      outcome: 'planned', revision: nasty, plannedAt: nasty, notes: [nasty], errors: [nasty],
      problems: [{ severity: 'error', file: nasty, line: 3, col: 4, message: nasty, rule: nasty }],
      plan: {
        version: 1, revision: nasty,
        actions: [
          action('ensure-project'), action('deploy'), action('set-config', { reasons: [nasty] }), action('destroy-database', { symbol: '-' }),
          action('provision-stack', { changes: [{ address: nasty, action: 'replace', destructive: true, attributes: [nasty] }, { address: `aws_db_instance.${nasty}`, action: 'create', destructive: false }] }),
          ...Array.from({ length: 7 }, (_, i) => action('missing-secret', { target: `${nasty} ${i}`, symbol: '!', status: 'report' })),
        ],
      },
    },
    applied: {
      revision: nasty, outcome: 'failed', startedAt: nasty, finishedAt: nasty, errors: [nasty],
      results: [
        { target: nasty, kind: nasty, status: 'failed', url: 'javascript:alert(1)', error: nasty, lastLines: [nasty, '`````', '</details>', '<details><summary>x</summary>'] },
        { target: nasty, kind: nasty, status: 'done', url: 'https://example.com/a"onmouseover="alert(1)' },
        { target: nasty, kind: nasty, status: 'done', url: 'https://example.com/(x)' },
      ],
    },
  };
}

/** The lines outside fenced code, checking on the way that every fence closes with its own length. */
function outsideFences(body: string): string[] {
  const outside: string[] = [];
  let fence: string | undefined;
  for (const line of body.split('\n')) {
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      continue;
    }
    const open = /^(`{3,})/.exec(line);
    if (open) fence = open[1];
    else outside.push(line);
  }
  expect(fence).toBeUndefined();
  return outside;
}

describe('escaping user text in the plan comment', () => {
  it('leaves no markdown, HTML, mention, reference, emoji or unsafe link live', () => {
    const bodies = [...renderComment(nastyInput()), ...renderComment(nastyInput(), { maxLength: 2000 }), renderPlanSummary(nastyInput()).summary];
    expect(bodies.length).toBeGreaterThan(3);
    for (const body of bodies) {
      const text = outsideFences(body).join('\n');
      // Link destinations are literal: only the repository's, percent-encoded, are there.
      expect(text).not.toMatch(/\]\((?!https:\/\/github\.com\/acme\/infra\/)/);
      expect([...text.matchAll(/\]\(([^)]*)\)/g)].every(([, url]) => /^[A-Za-z0-9%/:.#_~-]+$/.test(url!))).toBe(true);
      const visible = text.replace(/\]\([^)]*\)/g, ']');
      expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
      for (const live of ['**bold**', '<img', '@octocat', '[x]', '](javascript', '```', '|', ':smile:', '_em_', '~~gone~~', '$x$', '\\*', 'GH-7']) {
        expect(visible, live).not.toContain(live);
      }
      // A # before digits only in character references such as &#124;.
      expect(visible).not.toMatch(/(?<!&)#\d/);
      // Our own HTML only; no line of user text starts a block of its own.
      expect([...text.matchAll(/<(\/?[a-z]+)/g)].map((m) => m[1]).filter((tag) => !['details', '/details', 'summary', '/summary'].includes(tag!))).toEqual([]);
      expect(text).not.toMatch(/^(=====|&#45; next line|- next line)/m);
    }
  });

  it('keeps log lines as they are, in a fence longer than any backtick run in them', () => {
    const [body] = renderComment(nastyInput());
    expect(body).toContain(['``````text', nasty.replace(/\n/g, ' '), '`````', '</details>', '<details><summary>x</summary>', '``````'].join('\n'));
  });
});

describe('the escaping functions', () => {
  it.each([
    ['@octocat and a@b.example', '@&#8203;octocat and a@&#8203;b.example'],
    ['fixes #12, acme/infra#3 and GH-4', 'fixes &#35;&#8203;12, acme/infra&#35;&#8203;3 and GH&#8203;-4'],
    ['pilot.yaml:4:7 and :tada: and :100: and line:100:3', 'pilot.yaml:4:7 and :&#8203;tada: and :&#8203;100: and line:&#8203;100:3'],
    ['snake_case_name but _emphasis_', 'snake_case_name but &#95;emphasis&#95;'],
    ['- a list', '&#45; a list'],
    ['12. a list', '12&#46; a list'],
    ['> a quote', '&gt; a quote'],
    ['one\n\ttwo\r\n\u202ethree\u0007', 'one two three'],
    ['a "quoted" \'x\' & <b>', 'a &quot;quoted&quot; &#39;x&#39; &amp; &lt;b&gt;'],
  ])('%j -> %j', (text, expected) => {
    expect(inline(text)).toBe(expected);
  });

  it('clips long text', () => {
    expect(inline('x'.repeat(5000))).toBe(`${'x'.repeat(1999)}…`);
  });

  it.each([
    ['https://github.com/acme/infra', true],
    ['http://ci.example:8080/job/1?x=1&y=2', true],
    ['javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['https://a.example/x y', false],
    ['https://a.example/<x>', false],
    ['https://a.example/"x', false],
    ['https://a.example/x)', false],
    ['//a.example', false],
  ])('safeUrl(%j) is %s', (url, safe) => {
    expect(safeUrl(url) !== undefined).toBe(safe);
  });

  it('encodes a file path for a link', () => {
    expect(encodePath('my dir/pilot (1).yaml')).toBe('my%20dir/pilot%20%281%29.yaml');
  });
});
