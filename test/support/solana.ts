// Solana test helpers: Tatum-style SOL payloads (a compiled legacy message with Tatum's placeholder
// blockhash, as tatum-js v2 solana.tx.ts builds them), an in-process MessageSigner with known Ed25519
// seeds that records every call, and a LiteSVM runner for signed wire transactions.
import { ed25519 } from '@noble/curves/ed25519.js';
import { getTransferSolInstructionDataEncoder, SYSTEM_PROGRAM_ADDRESS } from '@solana-program/system';
import {
  type Address,
  type Blockhash,
  getAddressDecoder,
  getCompiledTransactionMessageEncoder,
  getTransactionDecoder,
} from '@solana/kit';
import { createHash } from 'node:crypto';
import type { MessageSigner, WalletKey } from '../../src/signer/types.js';

/** tatum-js v2 solana.tx.ts: "ANY RANDOM HASH SHOULD BE HERE - IT WILL BE REPLACED WITH CORRECT ONE". */
export const TATUM_PLACEHOLDER_BLOCKHASH = '7WyEshBZcZwEbJsvSeGgCkSNMxxxFAym3x7Cuj6UjAUE';

export interface AccountMeta {
  address: string;
  signer: boolean;
  writable: boolean;
}

export interface InstructionSpec {
  program: string;
  accounts: AccountMeta[];
  data: Uint8Array;
}

export function transferSol(from: string, to: string, lamports: bigint): InstructionSpec {
  return {
    program: SYSTEM_PROGRAM_ADDRESS,
    accounts: [
      { address: from, signer: true, writable: true },
      { address: to, signer: false, writable: true },
    ],
    data: Uint8Array.from(getTransferSolInstructionDataEncoder().encode({ amount: lamports })),
  };
}

/**
 * A legacy message in web3.js `compileMessage` order: fee payer, writable signers, read-only signers,
 * writable non-signers, read-only non-signers (programs last among those).
 */
export function compileLegacyMessage(
  feePayer: string,
  instructions: InstructionSpec[],
  blockhash = TATUM_PLACEHOLDER_BLOCKHASH,
): Uint8Array {
  const metas = new Map<string, { signer: boolean; writable: boolean }>();
  const note = (address: string, signer: boolean, writable: boolean) => {
    const known = metas.get(address);
    metas.set(address, { signer: signer || !!known?.signer, writable: writable || !!known?.writable });
  };
  note(feePayer, true, true);
  for (const ix of instructions) for (const a of ix.accounts) note(a.address, a.signer, a.writable);
  for (const ix of instructions) note(ix.program, false, false);
  const rank = (a: string) => {
    const m = metas.get(a)!;
    if (a === feePayer) return 0;
    return m.signer ? (m.writable ? 1 : 2) : m.writable ? 3 : 4;
  };
  const accounts = [...metas.keys()].sort((a, b) => rank(a) - rank(b));
  const count = (r: number) => accounts.filter((a) => rank(a) === r).length;
  const index = (a: string) => accounts.indexOf(a);
  const compiled = {
    version: 'legacy' as const,
    header: {
      numSignerAccounts: count(0) + count(1) + count(2),
      numReadonlySignerAccounts: count(2),
      numReadonlyNonSignerAccounts: count(4),
    },
    staticAccounts: accounts as Address[],
    lifetimeToken: blockhash as Blockhash,
    instructions: instructions.map((ix) => ({
      programAddressIndex: index(ix.program),
      accountIndices: ix.accounts.map((a) => index(a.address)),
      data: ix.data,
    })),
  };
  return Uint8Array.from(getCompiledTransactionMessageEncoder().encode(compiled));
}

/** Tatum's `serializedTransaction` for a SOL pending transaction. */
export function tatumSolPayload(message: Uint8Array, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ txData: Buffer.from(message).toString('hex'), ...extra });
}

export interface Ed25519TestKey {
  keyId: string;
  seed: Uint8Array;
  publicKey: Uint8Array;
  address: string;
  wallet: WalletKey;
}

/** A deterministic Ed25519 key: seed = sha256(label). */
export function ed25519TestKey(label: string): Ed25519TestKey {
  const seed = Uint8Array.from(createHash('sha256').update(label).digest());
  const publicKey = ed25519.getPublicKey(seed);
  const keyId = `fake-ed25519-${label}`;
  return {
    keyId,
    seed,
    publicKey,
    address: getAddressDecoder().decode(publicKey),
    wallet: { keyId, publicKey, walletId: label },
  };
}

export interface CountingMessageSigner extends MessageSigner {
  calls: { keyId: string; message: Uint8Array }[];
}

/** Records every call and forwards to `inner`, or signs with the known seeds when there is none. */
export function countingMessageSigner(
  inner: MessageSigner | readonly Ed25519TestKey[],
): CountingMessageSigner {
  const calls: CountingMessageSigner['calls'] = [];
  return {
    calls,
    signMessage(keyId, message, publicKey) {
      calls.push({ keyId, message: Uint8Array.from(message) });
      if (!Array.isArray(inner)) return (inner as MessageSigner).signMessage(keyId, message, publicKey);
      const key = (inner as readonly Ed25519TestKey[]).find((k) => k.keyId === keyId);
      if (!key) return Promise.reject(new Error(`fake signer has no key ${keyId}`));
      return Promise.resolve({ keyId, signature: ed25519.sign(message, key.seed) });
    },
  };
}

/** The kit Transaction of a signed hex wire transaction (what LiteSVM and RPC sendTransaction take). */
export function decodeWireTransaction(hex: string) {
  return getTransactionDecoder().decode(Uint8Array.from(Buffer.from(hex, 'hex')));
}
