// A loopback TCP relay that can go silent: every byte stops both ways but no connection
// closes, as in a network partition (nothing is refused, nothing answers). cutServerSide()
// then closes the relay's connections to the server, as the server does once its own
// TCP keepalives give up on a silent client.

import net from 'node:net';

export interface TcpPartition {
  port: number;
  /** From now on no byte passes, either way; connections stay open. */
  silence(): void;
  /** Closes every connection to the server (the server noticing the silence). */
  cutServerSide(): void;
  close(): Promise<void>;
}

export async function startTcpPartition(target: { host: string; port: number }): Promise<TcpPartition> {
  const upstreams = new Set<net.Socket>();
  const clients = new Set<net.Socket>();
  let silent = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    upstreams.add(upstream);
    clients.add(client);
    const relay = (from: net.Socket, to: net.Socket) => from.on('data', (chunk) => {
      if (!silent) to.write(chunk);
    });
    relay(client, upstream);
    relay(upstream, client);
    // While silent a closing side is not told to the other: nothing passes, and the
    // server keeps its side until cutServerSide().
    upstream.on('close', () => {
      upstreams.delete(upstream);
      if (!silent) client.destroy();
    });
    client.on('close', () => {
      clients.delete(client);
      if (!silent) upstream.destroy();
    });
    upstream.on('error', () => undefined);
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    silence() {
      silent = true;
    },
    cutServerSide() {
      for (const socket of upstreams) socket.destroy();
    },
    async close() {
      for (const socket of [...upstreams, ...clients]) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
