// The Bitcoin-family signer with real LocalStack KMS keys.
// - BTC: spends on btcd regtest. Every transaction must pass testmempoolaccept, be broadcast, mined and
//   found confirmed. Wallet scripts come from the wallets' regtest addresses (src/chains).
// - LTC, DOGE, BCH (no node here): the unsigned payloads are built by bitpay's bitcore-lib-ltc/-doge/-cash
//   exactly as Tatum builds them, and the signed transactions are checked by the same libraries' script
//   interpreters, which recompute every digest themselves.
import { randomUUID } from 'node:crypto';
import { payments } from 'bitcoinjs-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  addressToOutputScript,
  deriveAddress,
  type AddressFormat,
  type ChainId,
  type NetworkName,
} from '../../src/chains/index.js';
import { signBitcoinTransaction, type BitcoinSignRequest } from '../../src/signer/bitcoin/index.js';
import type { WalletKey } from '../../src/signer/types.js';
import { btcRpc } from '../../scripts/stack/btc-rpc.js';
import { btcTestKey, decodeRegtestWif } from '../../scripts/stack/btc-mining-key.js';
import { bitcorePayload, psbtPayload, type TestOutput, type TestUtxo } from '../support/bitcoin-payloads.js';
import { BITCORE, verifyWithBitcore, type BitcoreFlavour } from '../support/bitcore-verify.js';
import { broadcastAndConfirm, fundScripts, type Funding } from '../support/btc-funding.js';
import { stackEndpoints } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';

const endpoints = stackEndpoints();
const vault = testVault(endpoints.awsEndpoint);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

interface KmsWallet {
  wallet: WalletKey;
  /** scriptPubKey of the wallet's address in `format`, on the chain/network asked for. */
  script(chain: ChainId, network: NetworkName, format: AddressFormat): Uint8Array;
}

async function kmsWallet(label: string): Promise<KmsWallet> {
  const walletId = `signer-bitcoin-${label}-${randomUUID()}`;
  const { keyId } = await vault.createKey({ walletId, chain: 'BTC' });
  const { compressed } = await vault.getPublicKey(keyId);
  return {
    wallet: { keyId, publicKey: compressed, walletId },
    script: (chain, network, format) =>
      addressToOutputScript(chain, network, deriveAddress(chain, network, compressed, format)),
  };
}

function signRequest(
  unsigned: BitcoinSignRequest['unsigned'],
  wallets: KmsWallet[],
  chain: ChainId = 'BTC',
  network: NetworkName = 'regtest',
  options: BitcoinSignRequest['options'] = {},
): BitcoinSignRequest {
  return { chain, network, wallets: wallets.map((w) => w.wallet), signer: vault, unsigned, options };
}

let alice: KmsWallet;
let bob: KmsWallet;

beforeAll(async () => {
  [alice, bob] = await Promise.all([kmsWallet('alice'), kmsWallet('bob')]);
});

describe('BTC on btcd regtest', () => {
  const rpc = endpoints.btcRpc;
  const miner = btcTestKey(decodeRegtestWif(endpoints.btcMiningWif));
  const minerScript = payments.p2wpkh({ pubkey: miner.publicKey }).output!;
  const fee = 5_000n;
  let funding: Funding;
  const at = (vout: number): TestUtxo => funding.utxos[vout]!;
  /** Pays everything but the fee back to the miner, in two outputs. */
  const payAll = (utxos: TestUtxo[]): TestOutput[] => {
    const total = utxos.reduce((sum, u) => sum + u.amount, 0n);
    return [
      { script: minerScript, amount: 100_000n },
      { script: minerScript, amount: total - 100_000n - fee },
    ];
  };

  beforeAll(async () => {
    const script = (w: KmsWallet, format: AddressFormat) => w.script('BTC', 'regtest', format);
    funding = await fundScripts(rpc, endpoints.btcMiningWif, [
      { script: script(alice, 'p2wpkh'), amount: 1_000_000n }, // 0
      { script: script(alice, 'p2sh-p2wpkh'), amount: 1_100_000n }, // 1
      { script: script(alice, 'p2pkh'), amount: 1_200_000n }, // 2
      { script: script(alice, 'p2wpkh'), amount: 500_000n }, // 3
      { script: script(bob, 'p2pkh'), amount: 600_000n }, // 4
      { script: script(bob, 'p2sh-p2wpkh'), amount: 700_000n }, // 5
      { script: script(alice, 'p2pkh'), amount: 800_000n }, // 6
      { script: script(bob, 'p2wpkh'), amount: 300_000n }, // 7
      { script: script(bob, 'p2wpkh'), amount: 310_000n }, // 8
      { script: script(bob, 'p2wpkh'), amount: 320_000n }, // 9
    ]);
  });

  async function signAndMine(unsigned: BitcoinSignRequest['unsigned'], wallets: KmsWallet[], inputs: number) {
    // P2PKH inputs are proven against the funding transaction, as the loop does with its chain view.
    const previousTransactions = { [funding.txid]: Buffer.from(funding.rawTx).toString('hex') };
    const result = await signBitcoinTransaction(
      signRequest(unsigned, wallets, 'BTC', 'regtest', { previousTransactions }),
    );
    expect(result.digests).toHaveLength(inputs);
    const mined = await broadcastAndConfirm(rpc, result.signed);
    expect(mined.txid).toBe(result.txId);
    expect(mined.confirmations).toBeGreaterThanOrEqual(1);
    return result;
  }

  it('spends a P2WPKH output (PSBT)', async () => {
    const utxos = [at(0)];
    await signAndMine(psbtPayload(utxos, payAll(utxos)), [alice], 1);
  });

  it('spends a P2SH-P2WPKH output (bitcore JSON, redeem script derived from the key)', async () => {
    const utxos = [at(1)];
    await signAndMine(bitcorePayload(utxos, payAll(utxos)), [alice], 1);
  });

  it('spends a P2PKH output (PSBT with the funding transaction as nonWitnessUtxo)', async () => {
    const utxos = [{ ...at(2), prevTx: funding.rawTx }];
    await signAndMine(psbtPayload(utxos, payAll(utxos)), [alice], 1);
  });

  it('spends four inputs of two wallets and all three types in one transaction (bitcore JSON)', async () => {
    const utxos = [at(3), at(4), at(5), at(6)];
    const result = await signAndMine(bitcorePayload(utxos, payAll(utxos)), [bob, alice], 4);
    expect(result.digests.map((d) => d.keyId)).toEqual([
      alice.wallet.keyId,
      bob.wallet.keyId,
      bob.wallet.keyId,
      alice.wallet.keyId,
    ]);
  });

  it('signs three inputs of one key, one KMS call and one digest each (PSBT)', async () => {
    const utxos = [at(7), at(8), at(9)];
    const result = await signAndMine(psbtPayload(utxos, payAll(utxos)), [alice, bob], 3);
    expect(result.digests.map((d) => d.keyId)).toEqual(Array(3).fill(bob.wallet.keyId));
    expect(new Set(result.digests.map((d) => d.digest)).size).toBe(3);
  });
});

describe('test/support/btc-funding', () => {
  it('gives callers racing for the same coinbase distinct coinbases', async () => {
    const rpc = endpoints.btcRpc;
    const script = alice.script('BTC', 'regtest', 'p2wpkh');
    const race = { startHeight: 200, confirm: false };
    const fundings = await Promise.all(
      [1n, 2n, 3n].map((n) =>
        fundScripts(rpc, endpoints.btcMiningWif, [{ script, amount: n * 10_000n }], race),
      ),
    );
    expect(new Set(fundings.map((f) => f.coinbaseHeight)).size).toBe(3);
    await btcRpc(rpc, 'generate', [1]);
    for (const { txid } of fundings) {
      const { confirmations } = await btcRpc(
        rpc,
        'getrawtransaction',
        [txid, 1],
        z.object({ confirmations: z.number() }),
      );
      expect(confirmations).toBe(1);
    }
  });
});

describe('LTC, DOGE and BCH, verified by bitcore', () => {
  const fakeTxid = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
  const utxo = (n: number, script: Uint8Array, amount: bigint): TestUtxo => ({
    txid: fakeTxid(n),
    vout: n % 4,
    script,
    amount,
  });

  interface Spend {
    utxos: TestUtxo[];
    pay: TestOutput;
    change: Uint8Array;
    fee: number;
    /** In the order the request lists them. */
    wallets: KmsWallet[];
    /** Turns bitcore's unsigned transaction into the payload Tatum would queue. */
    payload: (unsigned: BitcoreTest.Transaction) => BitcoinSignRequest['unsigned'];
  }

  /**
   * Builds the unsigned transaction with bitcore as Tatum does (inputs, one payment, change, fee),
   * signs it with the KMS wallets and has bitcore verify every input.
   */
  async function signAndVerify(flavour: BitcoreFlavour, spend: Spend) {
    const lib = BITCORE[flavour];
    const unsigned = new lib.Transaction()
      .from(
        spend.utxos.map((u) => ({
          txId: u.txid,
          outputIndex: u.vout,
          satoshis: Number(u.amount),
          script: hex(u.script),
        })),
      )
      .addOutput(
        new lib.Transaction.Output({ script: hex(spend.pay.script), satoshis: Number(spend.pay.amount) }),
      )
      .change(lib.Address.fromScript(new lib.Script(Buffer.from(spend.change)), 'testnet'))
      .fee(spend.fee);
    const result = await signBitcoinTransaction(
      // Made-up previous txids: this test is about the digests bitcore recomputes, not amount proofs
      // (those are proven in prove-amounts.test.ts and against btcd in tatum-loop.test.ts).
      signRequest(spend.payload(unsigned), spend.wallets, flavour, 'testnet', {
        trustPayloadAmountsAndRiskOverpayingFees: true,
      }),
    );
    expect(verifyWithBitcore(flavour, result.signed, spend.utxos)).toEqual({
      txId: result.txId,
      verdicts: spend.utxos.map(() => 'ok'),
    });
    return result;
  }

  it('LTC: P2WPKH, P2SH-P2WPKH and P2PKH inputs of two wallets, bitcore-lib-ltc payload', async () => {
    const s = (w: KmsWallet, format: AddressFormat) => w.script('LTC', 'testnet', format);
    const result = await signAndVerify('LTC', {
      utxos: [
        utxo(1, s(alice, 'p2wpkh'), 2_000_000n),
        utxo(2, s(alice, 'p2sh-p2wpkh'), 3_000_000n),
        utxo(3, s(bob, 'p2pkh'), 4_000_000n),
        utxo(4, s(alice, 'p2wpkh'), 5_000_000n),
      ],
      pay: { script: s(bob, 'p2wpkh'), amount: 10_000_000n },
      change: s(alice, 'p2wpkh'),
      fee: 10_000,
      wallets: [alice, bob],
      payload: (unsigned) => unsigned.toObject(),
    });
    expect(result.digests.map((d) => d.keyId)).toEqual([alice, alice, bob, alice].map((w) => w.wallet.keyId));
  });

  it('DOGE: P2PKH inputs of two wallets, bitcore-lib-doge payload as JSON text', async () => {
    const s = (w: KmsWallet) => w.script('DOGE', 'testnet', 'p2pkh');
    const result = await signAndVerify('DOGE', {
      utxos: [
        utxo(1, s(alice), 50_000_000_000n),
        utxo(2, s(bob), 2_000_000_000n),
        utxo(3, s(alice), 300_000_000n),
      ],
      pay: { script: s(bob), amount: 40_000_000_000n },
      change: s(alice),
      fee: 100_000_000, // 1 DOGE
      wallets: [bob, alice],
      payload: (unsigned) => JSON.stringify(unsigned.toObject()),
    });
    expect(result.signed.slice(8, 12)).not.toBe('0001'); // no segwit serialisation
  });

  it('BCH: "hex:[amounts]" with wallets[i] → inputs[i], one key on two inputs, SIGHASH_ALL|FORKID', async () => {
    const s = (w: KmsWallet) => w.script('BCH', 'testnet', 'cashaddr');
    const utxos = [utxo(1, s(alice), 3_500_000n), utxo(2, s(bob), 1_000_000n), utxo(3, s(alice), 20_000n)];
    const result = await signAndVerify('BCH', {
      utxos,
      pay: { script: s(bob), amount: 4_000_000n },
      change: s(alice),
      fee: 1_000,
      wallets: [alice, bob, alice],
      payload: (unsigned) =>
        `${unsigned.uncheckedSerialize()}:${JSON.stringify(utxos.map((u) => Number(u.amount)))}`,
    });
    expect(result.digests.map((d) => d.keyId)).toEqual([alice, bob, alice].map((w) => w.wallet.keyId));
  });
});
