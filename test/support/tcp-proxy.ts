// A loopback TCP proxy that can stall its connections: `pause()` stops relaying bytes in both directions
// (they are held, not dropped, like a connection stuck in a congested network or a GC-paused peer), and
// `resume()` delivers everything held, in order. Put in front of MongoDB, it makes a runner's writes land
// late — after its lease ran out — which is what fencing has to survive.
import net from 'node:net';

export class PausableTcpProxy {
  private paused = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly held: { to: net.Socket; chunk: Buffer }[] = [];
  /** Bytes relayed towards the target so far (tests use it to see that traffic happened). */
  bytesToTarget = 0;

  private constructor(private readonly server: net.Server) {}

  /** Listens on 127.0.0.1 (a free port) and relays every connection to host:port. */
  static async start(host: string, port: number): Promise<PausableTcpProxy> {
    const server = net.createServer();
    const proxy = new PausableTcpProxy(server);
    server.on('connection', (client) => {
      proxy.relay(client, host, port);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Holds every byte from now on, in both directions, until resume(). */
  pause(): void {
    this.paused = true;
  }

  /** Delivers what was held, in arrival order, and relays normally again. */
  resume(): void {
    this.paused = false;
    for (const { to, chunk } of this.held.splice(0)) if (!to.destroyed) to.write(chunk);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Chunks held since pause() and not yet delivered. */
  get heldChunks(): number {
    return this.held.length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private relay(client: net.Socket, host: string, port: number): void {
    const upstream = net.connect(port, host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const forward = (from: net.Socket, to: net.Socket, toTarget: boolean) => {
      from.on('data', (chunk: Buffer) => {
        if (toTarget) this.bytesToTarget += chunk.length;
        if (this.paused) this.held.push({ to, chunk });
        else to.write(chunk);
      });
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    };
    forward(client, upstream, true);
    forward(upstream, client, false);
  }
}
