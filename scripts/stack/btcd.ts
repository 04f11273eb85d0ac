// btcd v0.25.0 in regtest: RPC on loopback only, no P2P, coinbases paid to the fixed mining key.
// After start it mines SEGWIT_BLOCKS blocks: regtest activates segwit through BIP9 only at height 432
// (window 144: STARTED at 144, LOCKED_IN at 288, ACTIVE at 432), and before that btcd's mempool
// rejects every witness transaction. 450 also leaves 350 mature coinbases (maturity 100).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { btcRpc, type BtcRpcEndpoint } from './btc-rpc.js';
import { miningKey } from './btc-mining-key.js';
import { freePort } from './ports.js';
import {
  serviceDir,
  startNodeService,
  stopOnFailure,
  type ServiceContext,
  type StartedService,
} from './service.js';
import { tools } from './tools.js';

export const SEGWIT_BLOCKS = 450;

export interface BtcStarted {
  rpc: BtcRpcEndpoint;
  miningWif: string;
}

interface ChainInfo {
  blocks: number;
  bip9_softforks?: Record<string, { status?: string } | undefined>;
}

/** Mines up to `height` blocks (if needed) and checks that segwit is active. Returns blocks mined. */
export async function mineForSegwit(rpc: BtcRpcEndpoint, height = SEGWIT_BLOCKS): Promise<number> {
  const count = await btcRpc<number>(rpc, 'getblockcount');
  const missing = Math.max(0, height - count);
  // 450 blocks take well under a second at regtest difficulty; the long timeout is for slow CI.
  if (missing > 0) await btcRpc(rpc, 'generate', [missing], undefined, 300_000);
  const info = await btcRpc<ChainInfo>(rpc, 'getblockchaininfo');
  const segwit = info.bip9_softforks?.segwit?.status;
  if (segwit !== undefined && segwit !== 'active') {
    throw new Error(`segwit is "${segwit}" at height ${info.blocks}, expected "active"`);
  }
  return missing;
}

export async function startBtcd(ctx: ServiceContext): Promise<StartedService<BtcStarted>> {
  const port = await freePort();
  const dir = serviceDir(ctx, 'btcd');
  const key = miningKey();
  // Fresh credentials per run: the RPC can mine and broadcast, even if only on loopback.
  const rpc: BtcRpcEndpoint = {
    url: `http://127.0.0.1:${port}`,
    user: 'kms-signer',
    pass: randomBytes(12).toString('hex'),
  };
  // btcd always creates an empty ~/.btcd (config.go MkdirAll(defaultHomeDir), home taken from
  // /etc/passwd, not $HOME). On regtest with the default config path it reads/writes no file there.
  const proc = await startNodeService(ctx, {
    name: 'btcd',
    command: tools.btcd,
    args: [
      '--regtest',
      `--datadir=${path.join(dir, 'data')}`,
      `--logdir=${path.join(dir, 'logs')}`,
      '--nolisten', // no P2P listener; regtest has no DNS seeds either
      `--rpclisten=127.0.0.1:${port}`, // regtest disables RPC unless a listen address is given
      '--notls', // only allowed because the RPC is bound to localhost
      `--rpcuser=${rpc.user}`,
      `--rpcpass=${rpc.pass}`,
      '--txindex',
      '--addrindex',
      `--miningaddr=${key.address}`,
      '--debuglevel=warn',
    ],
    ready: async () => (await btcRpc<number>(rpc, 'getblockcount', [], undefined, 2_000)) >= 0,
    timeoutMs: 30_000,
    intervalMs: 100,
  });
  const miningMs = await stopOnFailure(proc, async () => {
    const started = performance.now();
    await mineForSegwit(rpc);
    return performance.now() - started;
  });
  return {
    endpoint: { rpc, miningWif: key.wif },
    timings: { 'btc.mining': miningMs },
    stop: () => proc.stop(),
  };
}
