// pilot-sync: the command an `exec` deploy runs on the Waypoint runner for a static site.
// Exit codes: 0 synced, 1 a step failed, 2 bad command line.

import { parseArgs } from './args.js';
import { deployToAws } from './deploy-aws.js';
import { deployToGcp } from './deploy-gcp.js';
import { describeError, UsageError } from './errors.js';
import { createSay, type Say } from './log.js';
import { toOptions, type SyncOptions } from './options.js';
import { readSite, reportSkipped } from './read-site.js';
import { redactor } from './redact.js';
import { usage } from './usage.js';

async function run(options: SyncOptions, env: NodeJS.ProcessEnv, say: Say): Promise<void> {
  const site = await readSite(options.site, env, say);
  try {
    reportSkipped(site.skipped, say);
    const result = options.provider === 'aws'
      ? await deployToAws(options, site.files, env, say)
      : await deployToGcp(options, site.files, env, say);
    say(`done: ${result.uploaded} uploaded, ${result.deleted} deleted, ${result.unchanged} unchanged`);
  } finally {
    await site.cleanup();
  }
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  // The AWS SDK warns on every run that later releases will need Node 22: news for whoever builds
  // the runner image (see README), not for each deploy's job log.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const redact = redactor(env);
  const say = createSay((line) => process.stdout.write(line), redact);
  const fail = (message: string, code: number) => {
    process.stderr.write(`pilot-sync: error: ${redact(message)}\n`);
    return code;
  };
  let options: SyncOptions;
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      process.stdout.write(usage);
      return 0;
    }
    options = toOptions(parsed.flags, env);
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message} (see pilot-sync --help)`, 2);
    throw error;
  }
  try {
    await run(options, env, say);
    return 0;
  } catch (error) {
    return fail(describeError(error), 1);
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pilot-sync: error: ${redactor(process.env)(describeError(error))}\n`);
    process.exitCode = 1;
  },
);
