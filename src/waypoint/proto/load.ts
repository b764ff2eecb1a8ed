// Loads the hand-written Waypoint proto subset for @grpc/grpc-js.

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const protoDir = fileURLToPath(new URL('.', import.meta.url));

export const protoFile = fileURLToPath(new URL('server.proto', import.meta.url));

let definition: protoLoader.PackageDefinition | undefined;

export function waypointPackageDefinition(): protoLoader.PackageDefinition {
  definition ??= protoLoader.loadSync(protoFile, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [protoDir, `${protoDir}opaqueany`],
  });
  return definition;
}

/** The `hashicorp.waypoint.Waypoint` service: client constructor and service definition. */
export function waypointService(): grpc.ServiceClientConstructor {
  const loaded = grpc.loadPackageDefinition(waypointPackageDefinition()) as unknown as {
    hashicorp: { waypoint: { Waypoint: grpc.ServiceClientConstructor } };
  };
  return loaded.hashicorp.waypoint.Waypoint;
}
