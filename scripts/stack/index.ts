/*
 * Starts and stops the local stand-ins the integration tests and the demo talk to: LocalStack (KMS and
 * Secrets Manager), FerretDB (MongoDB wire protocol), anvil (EVM) and btcd (Bitcoin regtest). Each
 * runs on a free 127.0.0.1 port with its data in `.tmp/stack-<run-id>/` and its log in
 * `.logs/stack-<run-id>-<service>.log`. Install them with `npm run stack:install`.
 *
 * Endpoint overrides: when one of these is set (non-empty), that service is NOT started and the
 * given endpoint is used instead, e.g. to reuse a stack from `npx tsx scripts/stack-up.ts`.
 *   AWS_ENDPOINT_URL  KMS + Secrets Manager endpoint, e.g. http://127.0.0.1:4566
 *   MONGODB_URI       MongoDB-compatible server, e.g. mongodb://127.0.0.1:27017/
 *   EVM_RPC_URL       EVM JSON-RPC (the tests expect chain id 31337)
 *   BTC_RPC_URL       btcd regtest JSON-RPC, e.g. http://127.0.0.1:18334; it needs
 *     BTC_RPC_USER, BTC_RPC_PASS  (required with BTC_RPC_URL)
 *     BTC_MINING_WIF    WIF of the key the node's coinbases pay (default: the fixed key in
 *                       btc-mining-key.ts, which is what stack-up.ts uses)
 * Other variables: STACK_DEBUG=1 turns on LocalStack's DEBUG logging.
 */
import path from 'node:path';
import { startAnvil } from './anvil.js';
import type { BtcRpcEndpoint } from './btc-rpc.js';
import { miningKey } from './btc-mining-key.js';
import { startBtcd, type BtcStarted } from './btcd.js';
import { startFerretDb } from './ferretdb.js';
import { startLocalStack } from './localstack.js';
import { startThorSolo } from './thor.js';
import { startFlowEmulator } from './flow-emulator.js';
export { THOR_SOLO_MNEMONIC } from './thor.js';
export { FLOW_EMULATOR_SERVICE_ADDRESS, FLOW_EMULATOR_SERVICE_KEY } from './flow-emulator.js';
import { prepareLogDir } from './logs.js';
import { onParentExit, ServiceStartError } from './process.js';
import { createRunDir, reapStaleRuns } from './run-dir.js';
import type { ServiceContext, StartedService } from './service.js';
import { assertToolsInstalled, repoRoot, type ServiceName, type ToolName } from './tools.js';

export type { BtcRpcEndpoint } from './btc-rpc.js';
export { btcRpc, BtcRpcError } from './btc-rpc.js';
export type { ServiceName } from './tools.js';
export { StackToolMissingError } from './tools.js';

export interface StackEndpoints {
  /** e.g. http://127.0.0.1:4566 */
  awsEndpoint: string;
  /** mongodb://127.0.0.1:PORT/ */
  mongoUri: string;
  /** anvil JSON-RPC */
  evmRpcUrl: string;
  btcRpc: BtcRpcEndpoint;
  /** WIF (regtest) of the fixed test key that receives the coinbase rewards, so tests can fund KMS wallets. */
  btcMiningWif: string;
}

export interface RunningStack {
  /** Endpoints of services that were not requested are empty strings. */
  endpoints: StackEndpoints;
  /** Start-up time per service in ms (`aws`, `mongo`, `evm`, `btc`, `btc.mining`) plus `total`. */
  startupMs: Record<string, number>;
  /** Stops every child this call started and removes its run directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartStackOptions {
  /** Default: all four. */
  services?: ServiceName[];
  /** Default: `<repo>/.logs`. */
  logDir?: string;
}

const ALL_SERVICES: readonly ServiceName[] = ['aws', 'mongo', 'evm', 'btc'];

interface Overrides {
  aws?: string;
  mongo?: string;
  evm?: string;
  btc?: BtcStarted;
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value === '' ? undefined : value;
}

function readOverrides(): Overrides {
  const overrides: Overrides = {
    aws: env('AWS_ENDPOINT_URL'),
    mongo: env('MONGODB_URI'),
    evm: env('EVM_RPC_URL'),
  };
  const btcUrl = env('BTC_RPC_URL');
  if (btcUrl !== undefined) {
    const user = env('BTC_RPC_USER');
    const pass = env('BTC_RPC_PASS');
    if (user === undefined || pass === undefined) {
      throw new Error('BTC_RPC_URL is set, so BTC_RPC_USER and BTC_RPC_PASS must be set too');
    }
    overrides.btc = { rpc: { url: btcUrl, user, pass }, miningWif: env('BTC_MINING_WIF') ?? miningKey().wif };
  }
  return overrides;
}

// The free-port probe and the service's own bind are not atomic; on the rare clash start once more.
async function withPortRetry<E>(start: () => Promise<StartedService<E>>): Promise<StartedService<E>> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof ServiceStartError && /address already in use|EADDRINUSE/i.test(error.logTail)) {
      return start();
    }
    throw error;
  }
}

function combineErrors(errors: unknown[]): Error {
  if (errors.length === 1 && errors[0] instanceof Error) return errors[0];
  const text = errors.map((e) => (e instanceof Error ? e.message : String(e))).join('\n\n');
  return new Error(`${errors.length} test-stack services failed to start:\n\n${text}`);
}

export async function startStack(opts: StartStackOptions = {}): Promise<RunningStack> {
  const began = performance.now();
  const wanted = new Set(opts.services ?? ALL_SERVICES);
  const overrides = readOverrides();
  const toStart = new Set([...wanted].filter((service) => overrides[service] === undefined));
  assertToolsInstalled(toStart);
  if (toStart.size === 0) {
    return {
      endpoints: endpointsFrom(overrides, {}),
      startupMs: { total: Math.round(performance.now() - began) },
      stop: () => Promise.resolve(),
    };
  }

  const logDir = path.resolve(opts.logDir ?? path.join(repoRoot, '.logs'));
  reapStaleRuns();
  prepareLogDir(logDir);
  const run = createRunDir();
  const forgetExitCleanup = onParentExit(() => {
    run.remove();
  });
  const ctx: ServiceContext = {
    runId: run.runId,
    runDir: run.dir,
    logDir,
    track: (proc) => {
      run.recordChild(proc.pid);
    },
  };

  const startupMs: Record<string, number> = {};
  const started: StartedService<unknown>[] = [];
  const launch = <E>(name: ServiceName, start: (c: ServiceContext) => Promise<StartedService<E>>) => {
    if (!toStart.has(name)) return undefined;
    const t0 = performance.now();
    return withPortRetry(() => start(ctx)).then((service) => {
      startupMs[name] = Math.round(performance.now() - t0);
      for (const [key, ms] of Object.entries(service.timings ?? {})) startupMs[key] = Math.round(ms);
      started.push(service);
      return service;
    });
  };

  // All in parallel; LocalStack (Python imports) dominates.
  const aws = launch('aws', startLocalStack);
  const mongo = launch('mongo', startFerretDb);
  const evm = launch('evm', (c) => startAnvil(c));
  const btc = launch('btc', startBtcd);
  const results = await Promise.allSettled([aws, mongo, evm, btc]);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await Promise.allSettled(started.map((service) => service.stop()));
      run.remove();
      forgetExitCleanup();
    })();
    return stopped;
  };

  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    await stop();
    throw combineErrors(failures);
  }

  const endpoints = endpointsFrom(overrides, {
    aws: (await aws)?.endpoint,
    mongo: (await mongo)?.endpoint,
    evm: (await evm)?.endpoint,
    btc: (await btc)?.endpoint,
  });
  startupMs.total = Math.round(performance.now() - began);
  return { endpoints, startupMs, stop };
}

function endpointsFrom(overrides: Overrides, started: Overrides): StackEndpoints {
  const btc = overrides.btc ?? started.btc;
  return {
    awsEndpoint: overrides.aws ?? started.aws ?? '',
    mongoUri: overrides.mongo ?? started.mongo ?? '',
    evmRpcUrl: overrides.evm ?? started.evm ?? '',
    btcRpc: btc?.rpc ?? { url: '', user: '', pass: '' },
    btcMiningWif: btc?.miningWif ?? '',
  };
}

/** One line for humans, e.g. "aws 5.1s, mongo 0.4s, evm 0.2s, btc 1.0s (mining 0.2s); total 5.2s". */
export function formatStartupTimes(startupMs: Record<string, number>): string {
  const s = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)}s`;
  const parts = ALL_SERVICES.filter((name) => name in startupMs).map((name) =>
    name === 'btc' && 'btc.mining' in startupMs
      ? `btc ${s(startupMs.btc)} (mining ${s(startupMs['btc.mining'])})`
      : `${name} ${s(startupMs[name])}`,
  );
  return `${parts.length > 0 ? parts.join(', ') : 'nothing started (all overridden)'}; total ${s(startupMs.total)}`;
}

/**
 * One extra anvil with `chainId` (e.g. 42220 for CELO), in its own run directory, for tests that need a
 * node of a particular chain besides the stack's 31337 one. `stop()` ends it and removes the directory.
 */
export function startChainAnvil(chainId: number): Promise<{ url: string; stop(): Promise<void> }> {
  return startExtraNode('evm', (ctx) => startAnvil(ctx, chainId));
}

/** A `thor solo` node (VET regtest) in its own run directory; `stop()` ends it and removes the directory. */
/** The Flow emulator (scripts/stack/flow-emulator.ts); url is its REST API. */
export function startFlowEmulatorNode(): Promise<{ url: string; stop(): Promise<void> }> {
  return startExtraNode('flow', startFlowEmulator);
}

export function startThorSoloNode(genesisId: string): Promise<{ url: string; stop(): Promise<void> }> {
  return startExtraNode('vet', (ctx) => startThorSolo(ctx, genesisId));
}

async function startExtraNode(
  service: ToolName,
  start: (ctx: ServiceContext) => Promise<StartedService<string>>,
): Promise<{ url: string; stop(): Promise<void> }> {
  assertToolsInstalled([service]);
  const logDir = path.join(repoRoot, '.logs');
  prepareLogDir(logDir);
  const run = createRunDir();
  const forgetExitCleanup = onParentExit(() => {
    run.remove();
  });
  const ctx: ServiceContext = {
    runId: run.runId,
    runDir: run.dir,
    logDir,
    track: (proc) => {
      run.recordChild(proc.pid);
    },
  };
  try {
    const node = await withPortRetry(() => start(ctx));
    return {
      url: node.endpoint,
      stop: async () => {
        await node.stop();
        run.remove();
        forgetExitCleanup();
      },
    };
  } catch (error) {
    run.remove();
    forgetExitCleanup();
    throw error;
  }
}
