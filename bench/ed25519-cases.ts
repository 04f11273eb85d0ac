// One Tatum-shaped pending transaction per Ed25519 chain (SOL, XLM, ALGO, ADA, EGLD) for the overhead and
// kms-calls sections, built with the same builders the tests use (test/support): each is prepared, signed
// with one MessageSigner call and checked by the family's final verification, like in the loop.
import { ed25519 } from '@noble/curves/ed25519.js';
import { getBase58Decoder } from '@solana/kit';
import { createHash } from 'node:crypto';
import { CHAINS, deriveAddress, loadAllAddressCode, type ChainId } from '../src/chains/index.js';
import type { SignTransactionRequest } from '../src/signer/index.js';
import type { DigestSigner, MessageSigner, WalletKey } from '../src/signer/types.js';
import { tatumAlgoPayload } from '../test/support/algorand.js';
import { adaBodyHex } from '../test/support/cardano.js';
import { tatumEgldPayload } from '../test/support/multiversx.js';
import { compileLegacyMessage, tatumSolPayload, transferSol } from '../test/support/solana.js';
import { tatumXlmPayload, xlmPayment } from '../test/support/stellar.js';

// Every chain family's address code (src/chains/addresses/codecs.ts loads them on first use).
await loadAllAddressCode();

/** The seed of the benchmark's Ed25519 wallet key (what the stand-in KMS signs with). */
export const ED25519_SEED = Uint8Array.from(createHash('sha256').update('kms-signer bench ed25519').digest());
const PUBLIC_KEY = ed25519.getPublicKey(ED25519_SEED);
const DESTINATION_KEY = ed25519.getPublicKey(createHash('sha256').update('bench destination').digest());
export const ED25519_WALLET: WalletKey = {
  keyId: 'bench-ed25519-key',
  publicKey: PUBLIC_KEY,
  walletId: 'bench',
};

export interface Ed25519Case {
  chain: ChainId;
  request(signer: DigestSigner & MessageSigner): SignTransactionRequest;
}

function requestFor(chain: ChainId, unsigned: string, extra: Partial<SignTransactionRequest> = {}) {
  return (signer: DigestSigner & MessageSigner): SignTransactionRequest => ({
    chain,
    network: 'testnet',
    wallets: [ED25519_WALLET],
    unsigned,
    signer,
    ...extra,
  });
}

export function ed25519Cases(): Ed25519Case[] {
  const from = (chain: ChainId) => deriveAddress(chain, 'testnet', PUBLIC_KEY);
  const to = (chain: ChainId) => deriveAddress(chain, 'testnet', DESTINATION_KEY);
  const sol = compileLegacyMessage(from('SOL'), [transferSol(from('SOL'), to('SOL'), 1_000_000n)]);
  const blockhash = {
    blockhash: getBase58Decoder().decode(createHash('sha256').update('bench blockhash').digest()),
    genesisHash: CHAINS.SOL.networks.testnet.genesisHash,
  };
  return [
    { chain: 'SOL', request: requestFor('SOL', tatumSolPayload(sol), { recentBlockhash: blockhash }) },
    {
      chain: 'XLM',
      request: requestFor(
        'XLM',
        tatumXlmPayload({
          source: from('XLM'),
          timeoutSeconds: 3_600,
          operations: [xlmPayment(to('XLM'), '3.25')],
        }),
      ),
    },
    {
      chain: 'ALGO',
      request: requestFor('ALGO', tatumAlgoPayload({ from: from('ALGO'), to: to('ALGO'), amount: 250_000 })),
    },
    {
      chain: 'ADA',
      request: requestFor(
        'ADA',
        adaBodyHex({
          outputs: [
            { address: to('ADA'), lovelace: 3_000_000n },
            { address: from('ADA'), lovelace: 6_800_000n },
          ],
          fee: 200_000n,
        }),
      ),
    },
    {
      chain: 'EGLD',
      request: requestFor('EGLD', tatumEgldPayload({ from: from('EGLD'), to: to('EGLD'), value: '0.5' }), {
        options: { nonce: 7 },
      }),
    },
  ];
}
