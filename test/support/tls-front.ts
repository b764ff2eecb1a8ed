// HTTPS in front of a loopback stand-in: each TLS connection piped, bytes unchanged, to
// the stand-in's plain HTTP port. Some clients only behave as they do in production over
// TLS (the AWS SDK for Go sends aws-chunked bodies with checksum trailers only there).

import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { TestCertificate } from './tls.js';

export interface TlsFront {
  /** https://127.0.0.1:<port>; the certificate names 127.0.0.1. */
  url: string;
  close(): Promise<void>;
}

export async function startTlsFront(target: string, certificate: TestCertificate): Promise<TlsFront> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: certificate.cert, key: certificate.key }, (client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    // One side failing ends the pair: the client sees a reset, as with a real server going away.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
