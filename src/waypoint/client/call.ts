// One place where calls go out: headers, deadline, and error classification.

import type * as grpc from '@grpc/grpc-js';
import { callMetadata } from './connection.js';
import { classifyGrpcError } from './errors.js';

type UnaryMethod = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void;
type StreamMethod = (request: unknown, metadata: grpc.Metadata, options?: grpc.CallOptions) => grpc.ClientReadableStream<unknown>;

export interface Caller {
  readonly address: string;
  unary<T>(rpc: string, request: unknown): Promise<T>;
  stream<T>(rpc: string, request: unknown): grpc.ClientReadableStream<T>;
  close(): void;
}

export function createCaller(stub: grpc.Client, address: string, token: string | undefined, deadlineMs: number): Caller {
  const methods = stub as unknown as Record<string, UnaryMethod | StreamMethod>;
  return {
    address,
    unary<T>(rpc: string, request: unknown): Promise<T> {
      const method = methods[rpc] as UnaryMethod;
      return new Promise<T>((resolve, reject) => {
        method.call(stub, request, callMetadata(token, rpc), { deadline: Date.now() + deadlineMs }, (error, response) => {
          if (error) reject(classifyGrpcError(error, rpc, address));
          else resolve(response as T);
        });
      });
    },
    stream<T>(rpc: string, request: unknown): grpc.ClientReadableStream<T> {
      const method = methods[rpc] as StreamMethod;
      // Job streams last as long as the job: no deadline; keepalive notices a dead peer.
      return method.call(stub, request, callMetadata(token, rpc)) as grpc.ClientReadableStream<T>;
    },
    close() {
      stub.close();
    },
  };
}
