// The emulator's gRPC server: wiring of the handlers behind the metadata checks and
// the fault switches, and its start, restart and stop.

import * as grpc from '@grpc/grpc-js';
import { waypointPackageDefinition } from '../../waypoint/proto/load.js';
import { checkCall } from './auth.js';
import { rpcError, status, toServiceError } from './errors.js';
import type { Faults } from './faults.js';
import { unaryHandlers } from './handlers.js';
import { outageMessage, streamJob } from './job-stream.js';
import { startRunnerDocker } from './runner-docker.js';
import { startScheduler } from './scheduler.js';
import { createState, type BehaviourOptions, type EmulatorState } from './state.js';
import { sleep } from './time.js';
import type { QueueJobRequest, Received } from './types.js';

export interface EmulatorOptions extends BehaviourOptions {
  /** 0 or absent: a free port. */
  port?: number | undefined;
  host?: string | undefined;
  tls?: { cert: Buffer | string; key: Buffer | string } | undefined;
}

export interface Emulator {
  /** host:port to dial, e.g. "127.0.0.1:40123". */
  readonly address: string;
  readonly port: number;
  /** The accepted token: the configured one, or the one BootstrapToken handed out. */
  readonly token: string | undefined;
  readonly faults: Faults;
  /** Every QueueJob request that passed the metadata checks, as received. */
  readonly queuedJobs: readonly Received<QueueJobRequest>[];
  /** Calls received so far, by method (GetProject, GetConfig, ...), refused ones included. */
  readonly calls: ReadonlyMap<string, number>;
  /** Drops every connection, stays down `downMs`, then listens on the same port again; state is kept. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const serviceName = 'hashicorp.waypoint.Waypoint';

/** Outage, metadata checks; a slow reply is delayed after the handler ran. */
function admit(state: EmulatorState, method: string, metadata: grpc.Metadata, stream: boolean): void {
  state.calls.set(method, (state.calls.get(method) ?? 0) + 1);
  if (state.faults.isUnavailable()) throw rpcError(status.UNAVAILABLE, outageMessage);
  const problem = checkCall(method, metadata, state.tokens, stream);
  if (problem) throw problem;
}

function implementation(state: EmulatorState): grpc.UntypedServiceImplementation {
  const methods: grpc.UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(unaryHandlers)) {
    methods[method] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const reply = async () => {
        admit(state, method, call.metadata, false);
        return handler(state, call.request as never);
      };
      reply().then(
        async (response) => {
          if (state.faults.delayMs > 0) {
            // The reply shows the state when the call was handled, not when it is sent.
            const snapshot = structuredClone(response);
            await sleep(state.faults.delayMs);
            return callback(null, snapshot);
          }
          callback(null, response);
        },
        async (error: unknown) => {
          if (state.faults.delayMs > 0) await sleep(state.faults.delayMs);
          callback(toServiceError(error));
        },
      );
    };
  }
  methods.GetJobStream = (call: grpc.ServerWritableStream<{ job_id: string }, unknown>) => {
    const open = async () => {
      if (state.faults.delayMs > 0) await sleep(state.faults.delayMs);
      admit(state, 'GetJobStream', call.metadata, true);
      if (!call.cancelled) streamJob(state, call);
    };
    open().catch((error: unknown) => call.emit('error', toServiceError(error)));
  };
  return methods;
}

function credentials(tls: EmulatorOptions['tls']): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }], false);
}

function listen(state: EmulatorState, host: string, port: number, tls: EmulatorOptions['tls']): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  const definition = waypointPackageDefinition()[serviceName] as grpc.ServiceDefinition;
  server.addService(definition, implementation(state));
  const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(where, credentials(tls), (error, bound) => (error ? reject(error) : resolve({ server, port: bound })));
  });
}

/** Graceful shutdown, forced after a short grace period so a hanging client cannot block it. */
function shutdown(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const state = createState(options);
  const closeDocker = await startRunnerDocker(state);
  startScheduler(state);
  let current = await listen(state, host, options.port ?? 0, options.tls);
  const port = current.port;
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return {
    address,
    port,
    get token() {
      return state.tokens.current;
    },
    faults: state.faults,
    queuedJobs: state.queuedJobs as Received<QueueJobRequest>[],
    calls: state.calls,
    async restart(downMs = 0) {
      current.server.forceShutdown();
      await sleep(downMs);
      current = await listen(state, host, port, options.tls);
    },
    async stop() {
      if (state.stopped) return;
      state.stopped = true;
      for (const timer of state.timers) clearTimeout(timer);
      for (const record of state.jobs.values()) record.wake.abort();
      // Open job streams would keep a graceful shutdown waiting: end them first.
      state.faults.cutStreams();
      await shutdown(current.server, 1000);
      await closeDocker();
    },
  };
}
