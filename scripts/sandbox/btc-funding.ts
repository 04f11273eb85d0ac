// Funds arbitrary scripts on btcd regtest from the mining key's mature coinbases, for tests that spend
// KMS-controlled outputs.
//
// Safe with several test files running at once: the search starts at a random height, skips any
// coinbase that btcd's `gettxout` (mempool included) reports as spent, and when another process wins
// the race for the same coinbase (sendrawtransaction refuses the double spend) it moves on to the next
// one. A coinbase is used only once it has at least 101 confirmations (maturity is 100).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { script, Transaction } from 'bitcoinjs-lib';
import { z } from 'zod';
import { btcRpc, BtcRpcError, type BtcRpcEndpoint } from '../stack/btc-rpc.js';
import { btcTestKey, decodeRegtestWif } from '../stack/btc-mining-key.js';
import { keyScripts } from './bitcoin-payloads.js';

export interface FundingOutput {
  script: Uint8Array;
  amount: bigint;
}

export interface FundedUtxo extends FundingOutput {
  txid: string;
  vout: number;
}

export interface Funding {
  txid: string;
  /** The funding transaction itself (e.g. for a PSBT's nonWitnessUtxo). */
  rawTx: Uint8Array;
  /** One per requested output, in order. */
  utxos: FundedUtxo[];
  /** Height of the coinbase that paid for it. */
  coinbaseHeight: number;
}

export interface FundingOptions {
  /** Fee of the funding transaction in satoshis (default 10,000; btcd's relay minimum is 1 sat/vB). */
  fee?: bigint;
  /** Mine one block so the outputs are confirmed (default true). */
  confirm?: boolean;
  /** Coinbase height where the search starts (default: random, which keeps parallel callers apart). */
  startHeight?: number;
}

const COINBASE_MATURITY = 100;
const MIN_CHANGE = 10_000n;
/** btcd's words for "someone else spent this coinbase in the meantime". */
const LOST_RACE = /already (been )?spent|orphan|missing input|already have/i;

const txOutSchema = z
  .object({
    value: z.number(),
    confirmations: z.number(),
    coinbase: z.boolean(),
    scriptPubKey: z.object({ hex: z.string() }),
  })
  .nullable();

/** Pays `outputs` from one mature coinbase of the mining key; change goes back to the mining key. */
export async function fundScripts(
  rpc: BtcRpcEndpoint,
  miningWif: string,
  outputs: readonly FundingOutput[],
  options: FundingOptions = {},
): Promise<Funding> {
  const miner = btcTestKey(decodeRegtestWif(miningWif));
  const minerScript = keyScripts(miner.publicKey).p2wpkh;
  const fee = options.fee ?? 10_000n;
  const needed = outputs.reduce((sum, o) => sum + o.amount, 0n) + fee;

  const tip = await btcRpc(rpc, 'getblockcount', [], z.number());
  const lastMature = tip - COINBASE_MATURITY;
  if (lastMature < 1) throw new Error(`regtest has only ${tip} blocks; no mature coinbase yet`);
  const start = options.startHeight ?? 1 + Math.floor(Math.random() * lastMature);
  for (let step = 0; step < lastMature; step++) {
    const height = 1 + ((start - 1 + step) % lastMature);
    const coinbase = await unspentCoinbase(rpc, height, minerScript);
    if (!coinbase || coinbase.amount < needed) continue;

    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(Buffer.from(coinbase.txid, 'hex').reverse(), 0);
    for (const o of outputs) tx.addOutput(o.script, o.amount);
    const change = coinbase.amount - needed;
    if (change >= MIN_CHANGE) tx.addOutput(minerScript, change);
    const scriptCode = keyScripts(miner.publicKey).p2pkh;
    const sighash = tx.hashForWitnessV0(0, scriptCode, coinbase.amount, Transaction.SIGHASH_ALL);
    const signature = secp256k1.sign(sighash, miner.privateKey, { prehash: false }); // low S
    tx.setWitness(0, [script.signature.encode(signature, Transaction.SIGHASH_ALL), miner.publicKey]);

    try {
      await btcRpc(rpc, 'sendrawtransaction', [tx.toHex()], z.string());
    } catch (error) {
      if (error instanceof BtcRpcError && LOST_RACE.test(error.message)) continue; // another test spent it
      throw error;
    }
    if (options.confirm ?? true) await btcRpc(rpc, 'generate', [1]);
    const txid = tx.getId();
    return {
      txid,
      rawTx: tx.toBuffer(),
      utxos: outputs.map((o, vout) => ({ txid, vout, script: o.script, amount: o.amount })),
      coinbaseHeight: height,
    };
  }
  throw new Error(`no unspent mature coinbase of at least ${needed} sat below height ${lastMature}`);
}

async function unspentCoinbase(
  rpc: BtcRpcEndpoint,
  height: number,
  minerScript: Uint8Array,
): Promise<{ txid: string; amount: bigint } | undefined> {
  const hash = await btcRpc(rpc, 'getblockhash', [height], z.string());
  const block = await btcRpc(rpc, 'getblock', [hash], z.object({ tx: z.array(z.string()).min(1) }));
  const txid = block.tx[0];
  if (txid === undefined) return undefined;
  const out = await btcRpc(rpc, 'gettxout', [txid, 0, true], txOutSchema);
  if (!out?.coinbase || out.confirmations <= COINBASE_MATURITY) return undefined;
  if (out.scriptPubKey.hex !== Buffer.from(minerScript).toString('hex')) return undefined;
  return { txid, amount: BigInt(Math.round(out.value * 1e8)) };
}

/** testmempoolaccept → sendrawtransaction → generate 1 → confirmations of the transaction. */
export async function broadcastAndConfirm(
  rpc: BtcRpcEndpoint,
  hex: string,
): Promise<{ txid: string; confirmations: number }> {
  const [verdict] = await btcRpc(
    rpc,
    'testmempoolaccept',
    [[hex], 0.1], // btcd requires maxfeerate (BTC/kvB)
    z.array(z.object({ txid: z.string(), allowed: z.boolean(), 'reject-reason': z.string().optional() })),
  );
  if (!verdict?.allowed)
    throw new Error(`btcd refuses the transaction: ${verdict?.['reject-reason'] ?? 'no verdict'}`);
  const txid = await btcRpc(rpc, 'sendrawtransaction', [hex], z.string());
  await btcRpc(rpc, 'generate', [1]);
  const { confirmations } = await btcRpc(
    rpc,
    'getrawtransaction',
    [txid, 1],
    z.object({ confirmations: z.number().default(0) }),
  );
  return { txid, confirmations };
}
