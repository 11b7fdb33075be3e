/**
 * A counting TCP proxy in front of Postgres (`--round-trips`): the product connects through it, and it
 * counts the client's round trips (a Sync of the extended protocol, or a simple Query), passing every
 * byte through unchanged. Adds one local hop, so figures from such a run are not the headline ones.
 */
import { connect, createServer, type Server } from 'node:net';

export class PgCounter {
  roundTrips = 0;
  /** Bytes the product sent to Postgres. */
  bytes = 0;
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(upstream: URL): Promise<PgCounter> {
    const box: { counter?: PgCounter } = {};
    const server = createServer((client) => {
      const up = connect(Number(upstream.port || 5432), upstream.hostname);
      up.pipe(client);
      client.on('error', () => up.destroy());
      up.on('error', () => client.destroy());
      let buf = Buffer.alloc(0);
      let started = false;
      client.on('data', (chunk: Buffer) => {
        up.write(chunk);
        box.counter!.bytes += chunk.length;
        buf = Buffer.concat([buf, chunk]);
        for (;;) {
          if (!started) {
            if (buf.length < 8) break;
            const len = buf.readInt32BE(0);
            if (buf.length < len) break;
            // An SSLRequest/GSSENCRequest is followed by another startup message.
            const code = buf.readInt32BE(4);
            if (code !== 80877103 && code !== 80877104) started = true;
            buf = buf.subarray(len);
            continue;
          }
          if (buf.length < 5) break;
          const len = buf.readInt32BE(1);
          if (buf.length < len + 1) break;
          const type = String.fromCharCode(buf[0]!);
          if (type === 'S' || type === 'Q') box.counter!.roundTrips++;
          buf = buf.subarray(len + 1);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    box.counter = new PgCounter(server, (server.address() as { port: number }).port);
    return box.counter;
  }

  /** The same database URL, through the proxy. */
  url(original: string): string {
    const u = new URL(original);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
