/**
 * A TCP proxy to PostgreSQL that can stall: connections stay open but no byte
 * moves either way (a hung server or a black-holed network, where no error
 * ever arrives), then resume and deliver what it held, late and in order.
 * Only a client-side deadline can end a query while it is stalled.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { SERVER_URL } from '../../../test-support/postgres.js';

interface Link {
  client: Socket;
  upstream: Socket;
  /** Chunks held while stalled, each with the socket it is bound for. */
  held: { to: Socket; chunk: Buffer }[];
}

export class PgStallProxy {
  #server: Server | null = null;
  readonly #links = new Set<Link>();
  #stalled = false;
  port = 0;

  async start(): Promise<number> {
    const target = new URL(SERVER_URL);
    const server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      const link: Link = { client, upstream, held: [] };
      this.#links.add(link);
      const forward = (to: Socket) => (chunk: Buffer) => {
        if (this.#stalled) link.held.push({ to, chunk });
        else to.write(chunk);
      };
      client.on('data', forward(upstream));
      upstream.on('data', forward(client));
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.#links.delete(link);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  /** From now on, nothing is forwarded; connections stay open. */
  stall(): void {
    this.#stalled = true;
  }

  /** Forwards again, first delivering everything held (to connections still open). */
  resume(): void {
    this.#stalled = false;
    for (const link of this.#links) {
      for (const { to, chunk } of link.held) if (!to.destroyed) to.write(chunk);
      link.held = [];
    }
  }

  async stop(): Promise<void> {
    for (const link of this.#links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.#links.clear();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
