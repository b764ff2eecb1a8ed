// The pure rules of pilot-sync, called directly: cache headers, content types, the sync plan,
// the command line, redaction and bounded concurrency.

import { describe, expect, it } from 'vitest';
import { parseArgs } from '../plugins/pilot-sync/src/args.js';
import { cacheControlFor, isHashedName } from '../plugins/pilot-sync/src/cache-rules.js';
import { contentTypeFor } from '../plugins/pilot-sync/src/content-type.js';
import { mapLimit } from '../plugins/pilot-sync/src/map-limit.js';
import { toOptions } from '../plugins/pilot-sync/src/options.js';
import { redactor } from '../plugins/pilot-sync/src/redact.js';
import type { SiteFile } from '../plugins/pilot-sync/src/site.js';
import { planSync, uploadPhases } from '../plugins/pilot-sync/src/sync-plan.js';
import { normalizeImageRef } from '../src/dev/waypoint-emulator/docker-engine.js';
import { createHash } from 'node:crypto';

describe('cache rules', () => {
  it.each([
    ['index.html', 'no-cache'], ['blog/first-post/index.html', 'no-cache'], ['404.HTM', 'no-cache'],
    ['service-worker.js', 'no-cache'], ['manifest.json', 'no-cache'], ['site.webmanifest', 'no-cache'],
    ['assets/main.3f9a1c2b.js', 'public, max-age=31536000, immutable'],
    ['assets/app-Bx7Kq9Zt.css', 'public, max-age=31536000, immutable'],
    ['static/js/main.3f9a1c2b.chunk.js', 'public, max-age=31536000, immutable'],
    ['_next/static/chunks/framework-0e8d27528ba61906.js', 'public, max-age=31536000, immutable'],
    ['assets/style.css', 'public, max-age=300'], ['images/logo.png', 'public, max-age=300'],
    ['favicon-1024x1024.png', 'public, max-age=300'], ['img/team-photograph.jpg', 'public, max-age=300'],
    ['report-20240115.pdf', 'public, max-age=300'], ['js/bootstrap.bundle.min.js', 'public, max-age=300'],
    ['robots.txt', 'public, max-age=300'],
  ])('%s gets %s', (key, expected) => {
    expect(cacheControlFor(key)).toBe(expected);
  });

  it('takes a hashed name only when a segment mixes digits and letters', () => {
    expect(isHashedName('index-B3x7Kq9Z.js')).toBe(true);
    expect(isHashedName('index-BackgroundImage.js')).toBe(false);
  });
});

describe('content types', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'], ['a/b.css', 'text/css; charset=utf-8'], ['main.3f9a1c2b.js', 'text/javascript; charset=utf-8'],
    ['data.json', 'application/json; charset=utf-8'], ['logo.svg', 'image/svg+xml'], ['logo.png', 'image/png'],
    ['font.woff2', 'font/woff2'], ['app.wasm', 'application/wasm'], ['LICENSE', 'application/octet-stream'],
  ])('%s is %s', (key, expected) => {
    expect(contentTypeFor(key)).toBe(expected);
  });
});

function file(key: string, content: string): SiteFile {
  return { key, path: `/site/${key}`, size: content.length, md5: createHash('md5').update(content).digest() };
}
const md5 = (content: string) => createHash('md5').update(content).digest('hex');

describe('the sync plan', () => {
  it('uploads new and changed files, keeps equal ones and deletes what the site no longer has', () => {
    const site = [file('index.html', 'new'), file('a.js', 'same'), file('b.css', 'added')];
    const remote = [{ key: 'index.html', md5: md5('old') }, { key: 'a.js', md5: md5('same') }, { key: 'gone.png', md5: md5('x') }];
    const plan = planSync(site, remote);
    expect(plan.upload.map((f) => f.key)).toEqual(['b.css', 'index.html']);
    expect(plan.remove).toEqual(['gone.png']);
    expect(plan.unchanged).toBe(1);
  });

  it('uploads again an object whose MD5 is unknown (multipart ETag)', () => {
    expect(planSync([file('big.mp4', 'x')], [{ key: 'big.mp4', md5: undefined }]).upload).toHaveLength(1);
  });

  it('puts entry files in a second upload phase', () => {
    const [assets, entries] = uploadPhases([file('index.html', ''), file('a.3f9a1c2b.js', ''), file('sw.js', ''), file('b.png', '')]);
    expect(assets.map((f) => f.key)).toEqual(['a.3f9a1c2b.js', 'b.png']);
    expect(entries.map((f) => f.key)).toEqual(['index.html', 'sw.js']);
  });
});

describe('the command line', () => {
  const flags = (...argv: string[]) => {
    const parsed = parseArgs(argv);
    if (parsed.kind !== 'flags') throw new Error('help');
    return parsed.flags;
  };

  it('makes typed options, with defaults', () => {
    expect(toOptions(flags('--provider', 'gcp', '--project', 'acme-prod', '--bucket', 'acme-web', '--image', 'acme-web:3f9a', '--url-map=acme-lb'), {})).toEqual({
      provider: 'gcp', project: 'acme-prod', urlMap: 'acme-lb', bucket: 'acme-web',
      site: { kind: 'image', image: 'acme-web:3f9a', imagePath: '/site' }, waitTimeoutMs: 900_000, pollIntervalMs: 5_000, concurrency: 8,
    });
  });

  it('takes the AWS region from AWS_REGION when --region is absent', () => {
    expect(toOptions(flags('--provider', 'aws', '--bucket', 'acme-web', '--dir', 'build'), { AWS_REGION: 'eu-west-1' })).toMatchObject({ region: 'eu-west-1', distribution: undefined });
    expect(() => toOptions(flags('--provider', 'aws', '--bucket', 'acme-web', '--dir', 'build'), {})).toThrow('--region is required');
  });

  it.each([
    [['--bucket', '-x'], 'starts with "-"'], [['--bucket', 'a', '--bucket', 'b'], 'given twice'], [['--bucket', ' '], 'is empty'],
    [['--provider', 'gcp', '--bucket', 'acme-web', '--dir', 'd'], '--project is required'],
    [['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--image', 'i', '--image-path', 'site'], 'must be an absolute folder path'],
    [['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--dir', 'd', '--wait-timeout', '0'], 'not a positive number'],
    [['--provider', 'aws', '--region', 'us-east-1', '--bucket', 'acme-web', '--dir', 'd', '--distribution', 'e1; rm'], 'not a CloudFront distribution id'],
  ])('refuses %j', (argv, message) => {
    expect(() => toOptions(flags(...argv), {})).toThrow(message);
  });

  it('treats --help as help only where a flag stands', () => {
    expect(parseArgs(['--bucket', 'acme-web', '--help'])).toEqual({ kind: 'help' });
    expect(() => parseArgs(['--bucket', '--help'])).toThrow('starts with "-"');
  });
});

describe('redaction and concurrency', () => {
  it('removes secrets from a line before it is printed', () => {
    const redact = redactor({ AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG' });
    expect(redact('key wJalrXUtnFEMI/K7MDENG and Authorization: Bearer ya29.abc-DEF and "private_key": "-----BEGIN PRIVATE KEY-----\\nMII\\n-----END PRIVATE KEY-----\\n"'))
      .toBe('key [redacted] and Authorization: Bearer [redacted] and "private_key": "[redacted]"');
  });

  it('never runs more than the limit at once, and stops starting work after a failure', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const work = async (n: number) => {
      started.push(n);
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (n === 3) throw new Error('boom');
    };
    await expect(mapLimit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, work)).rejects.toThrow('boom');
    expect(most).toBe(3);
    expect(started.length).toBeLessThan(10);
  });

  it('normalizes image references the way the engine does', () => {
    expect(normalizeImageRef('acme-web')).toBe('acme-web:latest');
    expect(normalizeImageRef('registry.local:5000/acme/web')).toBe('registry.local:5000/acme/web:latest');
    expect(normalizeImageRef('acme-web:3f9a1c2b7d10')).toBe('acme-web:3f9a1c2b7d10');
  });
});
