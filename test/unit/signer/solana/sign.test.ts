// The Solana signer with an in-process Ed25519 signer: what it prepares (transfers, fee, the exact
// message with a fresh blockhash), what it assembles, and every refusal — all before any Sign call.
import { ed25519 } from '@noble/curves/ed25519.js';
import { getBase58Decoder, getCompiledTransactionMessageDecoder } from '@solana/kit';
import { describe, expect, it } from 'vitest';
import { CHAINS } from '../../../../src/chains/index.js';
import {
  prepareSolanaTransaction,
  signSolanaTransaction,
  type SolanaSignRequest,
} from '../../../../src/signer/solana/index.js';
import { signTransaction } from '../../../../src/signer/index.js';
import { SigningRefusedError } from '../../../../src/signer/types.js';
import {
  compileLegacyMessage,
  countingMessageSigner,
  decodeWireTransaction,
  ed25519TestKey,
  tatumSolPayload,
  TATUM_PLACEHOLDER_BLOCKHASH,
  transferSol,
  type InstructionSpec,
} from '../../../support/solana.js';

const wallet = ed25519TestKey('sol-wallet');
const other = ed25519TestKey('someone-else');
const destination = ed25519TestKey('destination').address;
const DEVNET_GENESIS = CHAINS.SOL.networks.testnet.genesisHash;
const FRESH_BLOCKHASH = getBase58Decoder().decode(new Uint8Array(32).fill(7));

function request(unsigned: string, overrides: Partial<SolanaSignRequest> = {}) {
  const signer = countingMessageSigner([wallet, other]);
  return {
    signer,
    request: {
      chain: 'SOL' as const,
      network: 'testnet' as const,
      wallets: [wallet.wallet],
      unsigned,
      recentBlockhash: { blockhash: FRESH_BLOCKHASH, genesisHash: DEVNET_GENESIS },
      signer,
      ...overrides,
    },
  };
}

const payload = (instructions: InstructionSpec[], feePayer = wallet.address) =>
  tatumSolPayload(compileLegacyMessage(feePayer, instructions));

describe('prepareSolanaTransaction / signSolanaTransaction', () => {
  it('prepares the transfer, the fee and the message with the fresh blockhash, then signs it once', async () => {
    const { signer, request: req } = request(payload([transferSol(wallet.address, destination, 1_500_000n)]));
    const prepared = await prepareSolanaTransaction(req);
    expect(prepared).toMatchObject({
      chain: 'SOL',
      network: 'testnet',
      transfers: [{ asset: 'native', to: destination, amount: 1_500_000n }],
      fee: 5000n,
      nonce: null,
    });
    const message = Uint8Array.from(Buffer.from(prepared.digests[0]!.digest, 'hex'));
    const decoded = getCompiledTransactionMessageDecoder().decode(message);
    expect(decoded.lifetimeToken).toBe(FRESH_BLOCKHASH);
    expect(decoded.lifetimeToken).not.toBe(TATUM_PLACEHOLDER_BLOCKHASH);
    expect(signer.calls).toHaveLength(0);

    const signed = await prepared.sign(signer);
    expect(signer.calls).toHaveLength(1);
    expect(Buffer.from(signer.calls[0]!.message)).toEqual(Buffer.from(message));
    const tx = decodeWireTransaction(signed.signed);
    const signature = tx.signatures[wallet.address as keyof typeof tx.signatures]!;
    expect(ed25519.verify(signature, message, wallet.publicKey)).toBe(true);
    expect(signed.txId).toBe(getBase58Decoder().decode(signature));
  });

  it('is reached through signTransaction for SOL', async () => {
    const { signer, request: req } = request(payload([transferSol(wallet.address, destination, 1n)]));
    const signed = await signTransaction({
      ...req,
      signer: Object.assign(signer, { signDigest: () => Promise.reject(new Error('no')) }),
    });
    expect(signed.chain).toBe('SOL');
    expect(signer.calls).toHaveLength(1);
  });

  it('sums several transfers of one payload', async () => {
    const { request: req } = request(
      payload([transferSol(wallet.address, destination, 5n), transferSol(wallet.address, other.address, 7n)]),
    );
    expect((await prepareSolanaTransaction(req)).transfers).toEqual([
      { asset: 'native', to: destination, amount: 5n },
      { asset: 'native', to: other.address, amount: 7n },
    ]);
  });
});

describe('refusals (no Sign call)', () => {
  const memo: InstructionSpec = {
    program: 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr',
    accounts: [],
    data: new TextEncoder().encode('hello'),
  };
  const assign: InstructionSpec = {
    program: '11111111111111111111111111111111',
    accounts: [{ address: wallet.address, signer: true, writable: true }],
    // System Assign (discriminator 1) to a foreign owner program.
    data: Uint8Array.from([1, 0, 0, 0, ...new Uint8Array(32).fill(9)]),
  };
  const big = Buffer.alloc(5000, 1).toString('hex');
  const v0 = (() => {
    const legacy = compileLegacyMessage(wallet.address, [transferSol(wallet.address, destination, 1n)]);
    return Uint8Array.from([0x80, ...legacy, 0]); // version 0 prefix, empty lookup-table list
  })();
  const cases: [string, Partial<SolanaSignRequest> & { unsigned?: string }, string, string][] = [
    [
      'a blockhash from another cluster (wrong network)',
      {
        recentBlockhash: { blockhash: FRESH_BLOCKHASH, genesisHash: CHAINS.SOL.networks.mainnet.genesisHash },
      },
      'CHAIN_MISMATCH',
      'recentBlockhash.genesisHash',
    ],
    ['another chain', { chain: 'ETH' }, 'CHAIN_MISMATCH', 'chain'],
    [
      'a foreign fee payer',
      { unsigned: payload([transferSol(wallet.address, destination, 1n)], other.address) },
      'SENDER_NOT_OURS',
      'txData.feePayer',
    ],
    [
      'a foreign source (a second signer)',
      { unsigned: payload([transferSol(other.address, destination, 1n)]) },
      'SENDER_NOT_OURS',
      'txData.header',
    ],
    [
      'a message over 4,096 bytes',
      { unsigned: JSON.stringify({ txData: big }) },
      'MALFORMED_TRANSACTION',
      'txData',
    ],
    [
      'an unknown program (Memo)',
      { unsigned: payload([transferSol(wallet.address, destination, 1n), memo]) },
      'UNSUPPORTED_TRANSACTION',
      'txData.instructions[1].program',
    ],
    [
      'another System instruction (Assign)',
      { unsigned: payload([assign]) },
      'UNSUPPORTED_TRANSACTION',
      'txData.instructions[0].data',
    ],
    [
      'a mint private key in the payload',
      {
        unsigned: tatumSolPayload(
          compileLegacyMessage(wallet.address, [transferSol(wallet.address, destination, 1n)]),
          { mintPK: '00'.repeat(64) },
        ),
      },
      'UNSUPPORTED_TRANSACTION',
      'mintPK',
    ],
    ['a v0 message', { unsigned: tatumSolPayload(v0) }, 'UNSUPPORTED_TRANSACTION', 'txData'],
    [
      'trailing bytes after the message',
      {
        unsigned: tatumSolPayload(
          Uint8Array.from([
            ...compileLegacyMessage(wallet.address, [transferSol(wallet.address, destination, 1n)]),
            0,
          ]),
        ),
      },
      'MALFORMED_TRANSACTION',
      'txData',
    ],
    [
      'a zero transfer',
      { unsigned: payload([transferSol(wallet.address, destination, 0n)]) },
      'MALFORMED_TRANSACTION',
      'txData.instructions[0].lamports',
    ],
    ['not JSON', { unsigned: 'deadbeef' }, 'MALFORMED_TRANSACTION', 'serializedTransaction'],
    [
      'an unknown payload field',
      { unsigned: JSON.stringify({ txData: '00', fee: 1 }) },
      'MALFORMED_TRANSACTION',
      'fee',
    ],
    [
      'a secp256k1 wallet key',
      { wallets: [{ keyId: 'k', publicKey: new Uint8Array(33).fill(2) }] },
      'INVALID_REQUEST',
      'wallets[0].publicKey',
    ],
    [
      'a malformed blockhash',
      { recentBlockhash: { blockhash: 'not-a-blockhash', genesisHash: DEVNET_GENESIS } },
      'INVALID_REQUEST',
      'recentBlockhash.blockhash',
    ],
  ];
  it.each(cases)('refuses %s', async (_label, overrides, code, field) => {
    const base = request(payload([transferSol(wallet.address, destination, 1n)]));
    const req = { ...base.request, ...overrides };
    const error = await signSolanaTransaction(req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigningRefusedError);
    expect(error).toMatchObject({ code, field });
    expect(base.signer.calls).toHaveLength(0);
  });
});
