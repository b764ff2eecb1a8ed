// A bare gRPC stub for the emulator tests: metadata, promised unary calls, and
// whole job streams collected as a list of event names and payloads.

import * as grpc from '@grpc/grpc-js';
import { waypointService } from '../../src/waypoint/proto/load.js';

/** A decoded reply: untyped on purpose, each test checks the fields it cares about. */
export type Reply = any;

export interface StreamEvent {
  kind: 'open' | 'state' | 'terminal' | 'error' | 'complete' | 'download' | 'job';
  body: Reply;
}

export interface Stub {
  call(method: string, request?: object, metadata?: grpc.Metadata, options?: grpc.CallOptions): Promise<Reply>;
  /** Every event of GetJobStream until it ends; `stopAfter` cancels the call once it returns true. */
  stream(jobId: string, options?: { metadata?: grpc.Metadata; stopAfter?: (event: StreamEvent, all: StreamEvent[]) => boolean }): Promise<{ events: StreamEvent[]; error?: grpc.ServiceError }>;
  close(): void;
}

export function metadata(headers: Record<string, string> = {}): grpc.Metadata {
  const result = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) result.set(key, value);
  return result;
}

/** The headers a well-behaved client sends. */
export function auth(token: string | undefined, extra: Record<string, string> = {}): grpc.Metadata {
  return metadata({ 'client-api-protocol': '1,1', ...(token === undefined ? {} : { 'waypoint-token': token }), ...extra });
}

export function createStub(address: string, token: string | undefined, credentials = grpc.credentials.createInsecure(), options: grpc.ChannelOptions = {}): Stub {
  const Service = waypointService();
  const client = new Service(address, credentials, options) as unknown as Record<string, (...args: unknown[]) => any> & grpc.Client;
  return {
    call(method, request = {}, md = auth(token), options = {}) {
      return new Promise((resolve, reject) => {
        client[method]!.call(client, request, md, { deadline: Date.now() + 10_000, ...options }, (error: grpc.ServiceError | null, reply: Reply) =>
          error ? reject(error) : resolve(reply),
        );
      });
    },
    stream(jobId, options = {}) {
      return new Promise((resolve) => {
        const events: StreamEvent[] = [];
        const call = client.GetJobStream!.call(client, { job_id: jobId }, options.metadata ?? auth(token)) as grpc.ClientReadableStream<Reply>;
        let settled = false;
        const done = (error?: grpc.ServiceError) => {
          if (settled) return;
          settled = true;
          resolve(error ? { events, error } : { events });
        };
        call.on('data', (message: Reply) => {
          const event: StreamEvent = { kind: message.event, body: message[message.event] };
          events.push(event);
          if (options.stopAfter?.(event, events)) {
            call.cancel();
            done();
          }
        });
        call.on('error', (error: grpc.ServiceError) => done(error.code === grpc.status.CANCELLED ? undefined : error));
        call.on('end', () => done());
      });
    },
    close: () => client.close(),
  };
}

/** The gRPC status code of a failed call (or 'OK'). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return grpc.status[(error as grpc.ServiceError).code] ?? String(error);
  }
}

export async function failure(promise: Promise<unknown>): Promise<{ code: string; details: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as grpc.ServiceError;
    return { code: grpc.status[e.code]!, details: e.details };
  }
  throw new Error('expected the call to fail');
}
