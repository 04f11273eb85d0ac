// FerretDB v1.24.2 with the SQLite backend: a MongoDB wire-protocol server without mongod.
import net from 'node:net';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from './ports.js';
import { serviceDir, startNodeService, type ServiceContext, type StartedService } from './service.js';
import { tools } from './tools.js';

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('TCP connect timed out'));
    });
    socket.once('error', reject);
  });
}

// A TCP connect first (cheap, fails fast while the port is closed), then a real `hello` through the
// driver, which proves the SQLite backend is usable.
async function answersHello(uri: string, port: number): Promise<boolean> {
  await tcpOpen(port);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2_000, connectTimeoutMS: 2_000 });
  try {
    const hello = await client.db('admin').command({ hello: 1 });
    return hello.ok === 1;
  } finally {
    await client.close();
  }
}

export async function startFerretDb(ctx: ServiceContext): Promise<StartedService<string>> {
  const port = await freePort();
  const dir = serviceDir(ctx, 'ferretdb');
  const dataDir = serviceDir(ctx, path.join('ferretdb', 'data'));
  const uri = `mongodb://127.0.0.1:${port}/`;
  const proc = await startNodeService(ctx, {
    name: 'ferretdb',
    command: tools.ferretdb,
    args: [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dir}`,
      '--debug-addr=-', // no :8088 debug HTTP listener
      '--telemetry=disable',
      '--log-level=warn',
    ],
    env: { DO_NOT_TRACK: '1' },
    ready: () => answersHello(uri, port),
    timeoutMs: 30_000,
  });
  return { endpoint: uri, stop: () => proc.stop() };
}
