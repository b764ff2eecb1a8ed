// `pilot synth [DIR] --out DIR`: every stack's Terraform JSON, for review and for
// tooling. Nothing is planned or applied; terraform is not run.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cloudDriver } from '../../drivers/registry.js';
import { stackInputs } from '../../drivers/stack-inputs.js';
import { countResources } from '../../drivers/contract.js';
import { driverSettingsOf } from '../../drivers/settings.js';
import { settingsFrom } from '../settings-flags.js';
import { stringOption, type Command } from '../command.js';
import { exitCodes, UsageError, UserError } from '../errors.js';
import { manifestFlags, readManifestInput } from '../manifest-input.js';
import { formatFlag, formatOf, printJson } from '../output.js';
import { printProblems } from '../problems.js';

export const synthCommand: Command = {
  path: ['synth'],
  summary: "write every cloud stack's Terraform JSON, without running terraform",
  maxPositionals: 1,
  options: { ...manifestFlags, out: { type: 'string' }, ...formatFlag, config: { type: 'string' } },
  help: `Usage: pilot synth [DIR | --repo URL --ref REF] --out OUT [--format text|json]

Synthesizes the CDKTF stack of every project in every provider and region it uses
(databases, static hosting, registries, networks) and writes each one's Terraform
JSON to OUT/<stack>/cdk.tf.json, for review or your own tooling. Terraform is not
run and no cloud is asked. Database passwords are random_password resources: no
secret is in the files.

Options:
  --out OUT           where to write (required); one folder per stack
  --config FILE       pilot.config.yaml, for its clouds.aws / clouds.gcp network settings
  --format text|json  output (default text); json prints one object:
                      {"revision","stacks":[{id,project,provider,region,path,resources}]},
                      with "problems" when the manifests are invalid

Exit codes: 0 written, 1 invalid manifests or a write failed, 2 wrong usage.

Example:
  pilot synth ./infra --out /tmp/stacks && ls /tmp/stacks
`,
  async run(args, io) {
    const format = formatOf(args);
    const outFlag = stringOption(args, 'out');
    if (!outFlag) throw new UsageError('--out DIR is required: where to write the stacks');
    const out = path.resolve(io.cwd, outFlag);
    const settings = settingsFrom(args, io);
    const input = await readManifestInput(args, io, settings.repository);
    if (!input.loaded.state) {
      printProblems(io, input.loaded.problems);
      if (format === 'json') printJson(io, { revision: input.revision, stacks: [], problems: input.loaded.problems });
      io.stderr.write(`pilot synth: the manifests at ${input.revision} are invalid; nothing written\n`);
      return exitCodes.failure;
    }
    const drivers = driverSettingsOf(settings.clouds);
    // Synthesize everything before writing anything.
    const stacks = [];
    for (const stack of stackInputs(input.loaded.state, drivers)) stacks.push({ stack, config: (await cloudDriver(stack.provider)).synth(stack) });
    const written = [];
    for (const { stack, config } of stacks) {
      const file = path.join(out, stack.id, 'cdk.tf.json');
      await mkdir(path.dirname(file), { recursive: true })
        .then(() => writeFile(file, `${JSON.stringify(config, null, 2)}\n`))
        .catch((error: NodeJS.ErrnoException) => {
          throw new UserError(`${file}: cannot write it (${error.code ?? error.message})`);
        });
      written.push({ id: stack.id, project: stack.project, provider: stack.provider, region: stack.region, path: file, resources: countResources(config) });
    }
    if (format === 'json') {
      printJson(io, { revision: input.revision, stacks: written });
      return exitCodes.ok;
    }
    for (const s of written) io.stdout.write(`wrote ${s.path} (${s.resources} resources)\n`);
    io.stdout.write(`synthesized ${written.length} stack${written.length === 1 ? '' : 's'} into ${out}\n`);
    return exitCodes.ok;
  },
};
