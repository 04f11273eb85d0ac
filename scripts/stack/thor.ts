// VeChainThor `thor solo` (vechain/thor v2.4.0, built from its Go module by the installer) for VET tests:
// REST API on loopback only, in-memory chain (no --persist), a block only when a transaction is pending
// (--on-demand), and the devnet genesis whose block 0 id ends in 0xf6 (the registry's VET regtest chain
// tag). Its prefunded dev accounts come from the mnemonic thor solo prints (genesis/devnet.go).
import { freePort } from './ports.js';
import { serviceDir, startNodeService, type ServiceContext, type StartedService } from './service.js';
import { tools } from './tools.js';

/** thor solo's devnet mnemonic (vechain/thor genesis/devnet.go); account i is m/44'/818'/0'/0/i. */
export const THOR_SOLO_MNEMONIC =
  'denial kitchen pet squirrel other broom bar gas better priority spoil cross'.split(' ');

async function genesisIs(url: string, expected: string): Promise<boolean> {
  const response = await fetch(`${url}/blocks/0`, { signal: AbortSignal.timeout(2_000) });
  const block = (await response.json()) as { id?: string };
  if (block.id === expected) return true;
  throw new Error(`GET /blocks/0 returned id ${String(block.id)}`);
}

/** Starts thor solo and waits until its REST API serves the expected genesis block. */
export async function startThorSolo(ctx: ServiceContext, genesisId: string): Promise<StartedService<string>> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startNodeService(ctx, {
    name: 'thor-solo',
    command: tools.thor,
    args: [
      'solo',
      '--on-demand',
      '--api-addr',
      `127.0.0.1:${port}`,
      '--data-dir',
      serviceDir(ctx, 'thor-solo'),
      '--cache',
      '64',
      '--verbosity',
      '2',
      '--skip-logs',
    ],
    ready: () => genesisIs(url, genesisId),
    timeoutMs: 60_000,
  });
  return { endpoint: url, stop: () => proc.stop() };
}
