// One known wallet key and one representative unsigned transaction per chain family, shaped like the
// signer unit-test fixtures (test/unit/signer/*/fixtures.ts) and built with the same test helpers.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { deriveAddress, loadAllAddressCode } from '../src/chains/index.js';
import type { SignTransactionRequest } from '../src/signer/index.js';
import type { DigestSigner, WalletKey } from '../src/signer/types.js';
import { bitcorePayload, keyScripts } from '../scripts/sandbox/bitcoin-payloads.js';
import { blockHeader, RECIPIENT as TRON_RECIPIENT, trxTransfer } from '../scripts/fixtures/tron.js';

// Every chain family's address code (src/chains/addresses/codecs.ts loads them on first use).
await loadAllAddressCode();

export const SECRET_KEY = sha256(new TextEncoder().encode('kms-signer benchmark wallet'));
export const WALLET: WalletKey = {
  keyId: '00000000-0000-4000-8000-000000000000',
  publicKey: secp256k1.getPublicKey(SECRET_KEY, true),
  walletId: 'bench',
};

export interface FamilyCase {
  family: string;
  /** Number of inputs, i.e. the KMS Sign calls one transaction needs. */
  inputs: number;
  request: (signer: DigestSigner) => SignTransactionRequest;
}

/** Tatum web3-style legacy transfer (decimal wei strings, `from: 0`). */
function evmCase(): FamilyCase {
  const unsigned = {
    from: 0,
    to: '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
    value: '1000000000000000',
    data: '0x',
    gas: '21000',
    gasPrice: '20000000000',
    nonce: 3,
  };
  return {
    family: 'evm (ETH)',
    inputs: 1,
    request: (signer) => ({ chain: 'ETH', network: 'mainnet', wallets: [WALLET], signer, unsigned }),
  };
}

/** Tatum bitcore JSON spending `inputs` P2WPKH outputs of the wallet to one P2WPKH output. */
function bitcoinCase(inputs: number): FamilyCase {
  const own = keyScripts(WALLET.publicKey).p2wpkh;
  const recipient = keyScripts(
    secp256k1.getPublicKey(sha256(new TextEncoder().encode('bench recipient')), true),
  );
  const utxos = Array.from({ length: inputs }, (_, n) => ({
    txid: (n + 1).toString(16).padStart(2, '0').repeat(32),
    vout: n % 3,
    amount: 100_000n,
    script: own,
  }));
  const unsigned = bitcorePayload(utxos, [
    { script: recipient.p2wpkh, amount: BigInt(inputs) * 100_000n - 1_000n },
  ]);
  return {
    family: `bitcoin (BTC, bitcore JSON, ${inputs}× P2WPKH)`,
    inputs,
    request: (signer) => ({ chain: 'BTC', network: 'regtest', wallets: [WALLET], signer, unsigned }),
  };
}

/** TRX transfer built offline by tronweb, valid for an hour so the whole run fits. */
async function tronCase(): Promise<FamilyCase> {
  const from = deriveAddress('TRON', 'mainnet', WALLET.publicKey);
  const unsigned = await trxTransfer(from, TRON_RECIPIENT, 1_000_000, blockHeader(Date.now(), 3_600_000));
  return {
    family: 'tron (TRX transfer)',
    inputs: 1,
    request: (signer) => ({ chain: 'TRON', network: 'mainnet', wallets: [WALLET], signer, unsigned }),
  };
}

export async function familyCases(): Promise<FamilyCase[]> {
  return [evmCase(), bitcoinCase(1), bitcoinCase(3), await tronCase()];
}
