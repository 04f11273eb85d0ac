// Free TCP ports on 127.0.0.1 for the stand-ins.
//
// Candidates come from 20000-32767, below Linux's ephemeral range (32768-60999): a port the kernel
// hands out as port 0 can be grabbed again by any outgoing connection in the moment between our probe
// closing it and the service binding it. A probe bind still confirms the port is free right now, and
// ports already handed out by this process are never reused, so parallel starts cannot collide.
import net from 'node:net';

const LOW = 20_000;
const HIGH = 32_767;
const handedOut = new Set<number>();

function canBind(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => {
      resolve(undefined);
    });
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => {
        resolve(bound);
      });
    });
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (handedOut.has(candidate)) continue;
    if ((await canBind(candidate)) === candidate) {
      handedOut.add(candidate);
      return candidate;
    }
  }
  // Very busy range: let the kernel choose.
  const port = await canBind(0);
  if (port === undefined || handedOut.has(port))
    throw new Error('could not find a free TCP port on 127.0.0.1');
  handedOut.add(port);
  return port;
}
