// The signing loop on the test stack for the Ed25519 chains' loop tests: wallets from the real
// WalletService (LocalStack KMS Ed25519 keys + FerretDB), the Tatum sandbox with the chains' verifiers,
// a SigningLoop over both, and the one set of assertions every broadcast must pass.
import { expect } from 'vitest';
import {
  startTatumSandbox,
  type TatumSandbox,
  type TatumSandboxOptions,
} from '../../scripts/sandbox/tatum-sandbox.js';
import type { ChainId } from '../../src/chains/index.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { createTatumClient, TATUM_BROADCAST_PATHS } from '../../src/tatum/client.js';
import { SigningLoop, type PassResult, type SigningLoopOptions } from '../../src/tatum/loop.js';
import { walletTestEnv, type WalletTestEnv } from './wallets.js';

export interface ExpectedBroadcast {
  chain: ChainId;
  /** The policy's decoded transfers, as stored in the audit record. */
  transfers: unknown[];
}

export interface Ed25519LoopHarness {
  env: WalletTestEnv;
  sandbox: TatumSandbox;
  audit(id: string): Promise<AuditRecord | null>;
  /** A testnet wallet of `chain` created through the WalletService. */
  createWallet(chain: ChainId): Promise<{ signatureId: string; address: string }>;
  /** A loop over the sandbox and the stack's KMS (testnet, concurrency 2); `more` overrides. */
  loop(chains: ChainId[], more?: Partial<SigningLoopOptions>): SigningLoop;
  /** Each job BROADCAST through Tatum's path for its chain, with the sandbox's txId and these transfers. */
  expectBroadcasts(pass: PassResult, expected: Map<string, ExpectedBroadcast>): Promise<void>;
  close(): Promise<void>;
}

export async function startEd25519LoopHarness(options: TatumSandboxOptions): Promise<Ed25519LoopHarness> {
  const env = await walletTestEnv();
  const sandbox = await startTatumSandbox(options);
  const audit = (id: string) => env.db.collection<AuditRecord>(SIGNING_AUDIT).findOne({ pendingId: id });
  return {
    env,
    sandbox,
    audit,
    async createWallet(chain) {
      const { wallet } = await env.service.createWallet({
        userId: 'loop',
        chain,
        asset: chain,
        network: 'testnet',
      });
      return wallet;
    },
    loop(chains, more = {}) {
      return new SigningLoop({
        db: env.db,
        api: createTatumClient({
          baseUrl: sandbox.url,
          apiKey: sandbox.apiKey,
          clientVersion: 'test',
          retries: 0,
        }),
        wallets: env.service,
        signer: env.vault,
        chains,
        network: 'testnet',
        concurrency: 2,
        ...more,
      });
    },
    async expectBroadcasts(pass, expected) {
      for (const [id, { chain, transfers }] of expected) {
        const result = pass.results.find((r) => r.id === id);
        expect(result, `${chain} ${id}`).toMatchObject({ outcome: 'BROADCAST' });
        const completed = sandbox.completed.get(id);
        expect(completed?.path).toBe(TATUM_BROADCAST_PATHS[chain]);
        expect(completed?.txId).toBe(result?.txId);
        expect((await audit(id))?.policy?.transfers).toEqual(transfers);
      }
      expect(sandbox.reportedErrors).toEqual([]);
    },
    async close() {
      await sandbox.close();
      await env.close();
    },
  };
}
