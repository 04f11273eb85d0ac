// What the tests of the scheduled signer Lambda handler share: the environment the stack gives it (BTC on
// regtest, the Tatum sandbox, the test stack), a Lambda clock, process.env set for the handler and put
// back afterwards, a funded BTC wallet, a spend from a wallet to the miner, and btcd's confirmation count.
import { z } from 'zod';
import { bitcorePending } from '../../scripts/sandbox/pending-payloads.js';
import { keyScripts } from '../../scripts/sandbox/bitcoin-payloads.js';
import { fundScripts, type FundedUtxo } from '../../scripts/sandbox/btc-funding.js';
import type { TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { btcRpc } from '../../scripts/stack/btc-rpc.js';
import { btcTestKey, decodeRegtestWif } from '../../scripts/stack/btc-mining-key.js';
import type { WalletService, WalletView } from '../../src/wallets/contract.js';
import type { StackEndpoints } from './stack.js';
import { randomSuffix } from './wallets.js';

/** The handler's environment without AWS_REGION: its own database and Application tag. */
export function btcSignerEnv(
  endpoints: StackEndpoints,
  sandbox: TatumSandbox,
  jobBudgetMs: number,
): Record<string, string> {
  return {
    MONGODB_URI: endpoints.mongoUri,
    MONGODB_DB: `wallets_${randomSuffix()}`,
    APP_TAG: `kms-signer-test-${randomSuffix()}`,
    AWS_ENDPOINT_URL: endpoints.awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TATUM_API_URL: sandbox.url,
    TATUM_API_KEY: sandbox.apiKey,
    SIGNER_CHAINS: 'BTC',
    SIGNER_NETWORK: 'regtest',
    SIGNER_PERIOD_SECONDS: '1',
    SIGNER_JOB_BUDGET_MS: String(jobBudgetMs),
  };
}

/** A Lambda context whose remaining time counts down in real time from `ms`. */
export const clockOf = (ms: number) => {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
};

/** Sets process.env variables for the handler; restore() puts every one back as it was. */
export function processEnv(): { set(env: Record<string, string>): void; restore(): void } {
  const saved = new Map<string, string | undefined>();
  return {
    set(env) {
      for (const [name, value] of Object.entries(env)) {
        if (!saved.has(name)) saved.set(name, process.env[name]);
        process.env[name] = value;
      }
    },
    restore() {
      for (const [name, value] of saved) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
    },
  };
}

/** Queues at Tatum a spend of `utxo`: 300,000 sat to the miner, the rest less 10,000 back to the wallet. */
export function spendToMiner(
  sandbox: TatumSandbox,
  utxo: FundedUtxo,
  scripts: { wallet: Uint8Array; miner: Uint8Array },
  signatureId: string,
): string {
  return sandbox.enqueue(
    bitcorePending(
      'BTC',
      [utxo],
      [
        { script: scripts.miner, amount: 300_000n },
        { script: scripts.wallet, amount: utxo.amount - 310_000n },
      ],
      [signatureId],
    ),
  );
}

/** Mines one block, then returns btcd's confirmation count of `txId`. */
export async function mineAndConfirmations(
  endpoints: StackEndpoints,
  txId: string | undefined,
): Promise<number> {
  await btcRpc(endpoints.btcRpc, 'generate', [1]);
  const { confirmations } = await btcRpc(
    endpoints.btcRpc,
    'getrawtransaction',
    [txId, 1],
    z.object({ confirmations: z.number().default(0) }),
  );
  return confirmations;
}

export interface FundedBtcWallet {
  wallet: WalletView;
  scripts: { wallet: Uint8Array; miner: Uint8Array };
  utxos: FundedUtxo[];
}

/** A new BTC regtest wallet made by `service`, with one P2WPKH output of 1,000,000 sat per `outputs`. */
export async function fundedBtcWallet(
  service: WalletService,
  endpoints: StackEndpoints,
  userId: string,
  outputs: number,
): Promise<FundedBtcWallet> {
  const { wallet } = await service.createWallet({ userId, chain: 'BTC', asset: 'BTC', network: 'regtest' });
  const scripts = {
    wallet: keyScripts(Buffer.from(wallet.publicKey, 'hex')).p2wpkh,
    miner: keyScripts(btcTestKey(decodeRegtestWif(endpoints.btcMiningWif)).publicKey).p2wpkh,
  };
  const { utxos } = await fundScripts(
    endpoints.btcRpc,
    endpoints.btcMiningWif,
    Array.from({ length: outputs }, () => ({ script: scripts.wallet, amount: 1_000_000n })),
  );
  return { wallet, scripts, utxos };
}
