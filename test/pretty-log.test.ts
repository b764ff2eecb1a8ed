// `--log-format pretty`: the same records as the JSON log, as lines for people, secrets
// redacted all the same; colour only when asked; a wrong format is wrong usage.

import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/daemon/logger.js';
import { prettyLine } from '../src/daemon/pretty-log.js';
import { cli } from './support/cli.js';
import { captureLogs } from './support/daemon-harness.js';

describe('the pretty log', () => {
  it('prints time, level, message and fields, with secrets redacted before', async () => {
    const logs = captureLogs();
    const logger = createLogger({ destination: logs.stream, format: 'pretty' });
    logger.warn({ revision: 'ab12cd3', errors: 2, token: 'ghp_secret', first: 'pilot.yaml:3:5: bad value' }, 'invalid manifests');
    logger.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs.text()).toMatch(/^\d\d:\d\d:\d\d WARN {2}invalid manifests revision=ab12cd3 errors=2 token=\[redacted\] first="pilot\.yaml:3:5: bad value"\n$/);
    expect(logs.text()).not.toContain('ghp_secret');
  });

  it('colours the level only when asked, and passes on a line that is not JSON', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'reconcile failed', service: 'pilot' });
    expect(prettyLine(line, false)).toBe('00:00:00 ERROR reconcile failed');
    expect(prettyLine(line, true)).toBe('00:00:00 \u001b[31mERROR\u001b[39m reconcile failed');
    expect(prettyLine('not json', true)).toBe('not json');
  });

  it('is chosen with --log-format, and another format is wrong usage', async () => {
    const help = await cli(['serve', '--help']);
    expect(help.stdout).toContain('--log-format F');
    const wrong = await cli(['serve', '--log-format', 'xml']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/log-format/);
  });
});
