// One stack's exclusive sections: queued in this process, locked across processes, and
// the terraform commands run inside them with progress reported and secrets scrubbed.

import type { Logger } from '../../reconciler/logger.js';
import { isPilotError } from '../../reconciler/errors.js';
import type { Diagnostic } from './ui-lines.js';
import { parseUiLine } from './ui-lines.js';
import { parseTextDiagnostics } from './text-diagnostics.js';
import { acquireStackLock, type HeldLock } from './lock.js';
import { createQueue, type Queue } from './queue.js';
import { runTerraform } from './run.js';
import { scrub } from './sensitive.js';
import { clearLeftoverStateLock, ensureStackDir } from './stack-files.js';
import type { BackendSettings, TerraformSettings } from './types.js';

/** What every stack of one executor shares. */
export interface ExecutorContext {
  binary: string;
  env: NodeJS.ProcessEnv;
  /** Writes the CLI config file (once) and returns its text. */
  ensureCliConfig(): Promise<string>;
  backend: BackendSettings;
  /** A plan-only workspace reads the state of this root's stacks (see TerraformSettings). */
  readStateFrom?: string;
  /** Inits of all stacks, one at a time: terraform's plugin cache is not safe for concurrent use. */
  initQueue: Queue;
  timeouts: { plan: number; apply: number; init: number };
  lockWaitMs: number;
  killGraceMs: number;
  logger: Logger;
  onProgress?: TerraformSettings['onProgress'];
}

/** ui: -json lines (progress and diagnostics); text: plain lines as progress; capture: stdout kept whole. */
export type OutputMode = 'ui' | 'text' | 'capture';

export interface CommandResult {
  ok: boolean;
  /** "exited with 1", "killed by SIGKILL": for messages. */
  exit: string;
  /** Only for 'capture'. May hold secrets: never log it, never put it in an error. */
  stdout: string;
  /** Secrets scrubbed. */
  diagnostics: Diagnostic[];
}

export interface Session {
  readonly lock: HeldLock;
  run(command: string, args: string[], options: { timeoutMs: number; output: OutputMode }): Promise<CommandResult>;
}

export interface StackSessions {
  /** `operation` names the call in messages: plan, apply, write... */
  exclusive<T>(operation: string, task: (session: Session) => Promise<T>): Promise<T>;
}

export function stackSessions(stack: { id: string; dir: string }, context: ExecutorContext, secrets: ReadonlySet<string>): StackSessions {
  const queue = createQueue();
  const logger = context.logger;

  const report = (command: string, message: string) => {
    const text = scrub(message, secrets);
    logger.debug({ stack: stack.id, command, message: text }, 'terraform progress');
    try {
      context.onProgress?.({ stack: stack.id, message: text });
    } catch (error) {
      // A broken progress consumer must not fail the apply it watches.
      logger.warn({ stack: stack.id, error: error instanceof Error ? error.message : String(error) }, 'terraform progress callback failed');
    }
  };

  const session = (lock: HeldLock): Session => ({
    lock,
    async run(command, args, options) {
      await context.ensureCliConfig();
      const diagnostics: Diagnostic[] = [];
      const onLine = (line: string) => {
        if (options.output === 'text') {
          if (line.trim() !== '') report(command, line.trim());
          return;
        }
        const event = parseUiLine(line);
        if (event?.kind === 'progress') report(command, event.message);
        else if (event?.kind === 'diagnostic') diagnostics.push(event.diagnostic);
      };
      const started = Date.now();
      logger.debug({ stack: stack.id, command }, 'terraform command started');
      let result;
      try {
        result = await runTerraform({
          binary: context.binary,
          args: [command, ...args],
          cwd: stack.dir,
          env: context.env,
          timeoutMs: options.timeoutMs,
          killGraceMs: context.killGraceMs,
          context: { stack: stack.id, command },
          ...(options.output === 'capture' ? {} : { onLine }),
          onStart: (pid) => lock.noteCommand(pid),
        });
      } catch (error) {
        // We killed terraform: whatever state lock it held is ours to clear.
        if (isPilotError(error) && error.code === 'terraform.timeout') await clearLeftoverStateLock(stack, logger, 'terraform was stopped on a timeout');
        throw error;
      } finally {
        lock.noteCommand(undefined);
      }
      // Errors terraform prints before its -json UI starts (bad flags) only reach stderr.
      if (!diagnostics.some((d) => d.severity === 'error')) diagnostics.push(...parseTextDiagnostics(result.stderr));
      const exit = result.signal ? `killed by ${result.signal}` : `exited with ${result.exitCode}`;
      logger.debug({ stack: stack.id, command, exit, durationMs: Date.now() - started }, 'terraform command finished');
      return {
        ok: result.exitCode === 0,
        exit,
        stdout: result.stdout,
        diagnostics: diagnostics.map((d) => ({ ...d, summary: scrub(d.summary, secrets), detail: scrub(d.detail, secrets) })),
      };
    },
  });

  return {
    exclusive(operation, task) {
      return queue.run(async () => {
        await ensureStackDir(stack.dir);
        const lock = await acquireStackLock(stack.dir, { stack: stack.id, command: operation, waitMs: context.lockWaitMs, logger });
        try {
          // The last holder died mid-command: its terraform cannot hold the state lock any more.
          if (lock.tookOver) await clearLeftoverStateLock(stack, logger, 'the previous holder of the stack died');
          return await task(session(lock));
        } finally {
          lock.release();
        }
      });
    },
  };
}
