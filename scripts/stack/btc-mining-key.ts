// The fixed, public, TEST-ONLY key that receives btcd's regtest coinbase rewards (`--miningaddr`).
// Tests spend those coinbases to fund KMS-derived addresses. Never use it outside regtest.
//
// privateKey = sha256("kms-signer regtest mining key (test only)"). btcd's --miningaddr accepts any
// address type it can decode for the network; P2WPKH (bcrt1q…) works and gives tests a segwit UTXO.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import bs58check from 'bs58check';
import { networks, payments } from 'bitcoinjs-lib';

export const MINING_PRIVATE_KEY_HEX = '65f60f0f61a6f7ed917d3e612cdd061cee1f7dfa1f241593882dc1740e9d349e';

const REGTEST_WIF_PREFIX = 0xef; // testnet/regtest secret key version byte

export interface BtcTestKey {
  privateKey: Uint8Array;
  /** 33-byte compressed public key. */
  publicKey: Uint8Array;
  /** P2WPKH regtest address (bcrt1q…). */
  address: string;
  /** WIF (regtest, compressed). */
  wif: string;
}

export function encodeRegtestWif(privateKey: Uint8Array): string {
  return bs58check.encode(Uint8Array.from([REGTEST_WIF_PREFIX, ...privateKey, 0x01]));
}

/** Decodes a compressed-key regtest/testnet WIF into the 32-byte private key. */
export function decodeRegtestWif(wif: string): Uint8Array {
  const raw = bs58check.decode(wif);
  if (raw.length !== 34 || raw[0] !== REGTEST_WIF_PREFIX || raw[33] !== 0x01) {
    throw new Error('expected a compressed-key WIF for testnet/regtest (prefix 0xef)');
  }
  return raw.slice(1, 33);
}

export function btcTestKey(privateKey: Uint8Array): BtcTestKey {
  const publicKey = secp256k1.getPublicKey(privateKey, true);
  const { address } = payments.p2wpkh({ pubkey: publicKey, network: networks.regtest });
  if (!address) throw new Error('could not derive a P2WPKH address');
  return { privateKey, publicKey, address, wif: encodeRegtestWif(privateKey) };
}

export function miningKey(): BtcTestKey {
  return btcTestKey(Uint8Array.from(Buffer.from(MINING_PRIVATE_KEY_HEX, 'hex')));
}
