import { address as btcAddress, payments } from 'bitcoinjs-lib';
import bs58check from 'bs58check';

import { bitcoinjsNetwork } from '../bitcoin-networks.js';
import type { Secp256k1PublicKey } from '../../crypto/public-key.js';
import type { BitcoinChainDefinition, BitcoinNetworkParams, NetworkName } from '../types.js';
import { base58VersionOwners, bech32HrpOwners, usedBy } from './hints.js';
import { decoded, hex8, rejected, type DecodeOutcome } from './result.js';
import { errorMessage } from '../../util/error-message.js';

export type BitcoinKeyFormat = 'p2wpkh' | 'p2sh-p2wpkh' | 'p2pkh';

/** Address of the COMPRESSED key in one of the three key-hash formats. */
export function deriveBitcoinAddress(
  chain: BitcoinChainDefinition,
  network: NetworkName,
  key: Secp256k1PublicKey,
  format: BitcoinKeyFormat,
): string {
  const net = bitcoinjsNetwork(chain.id, network);
  const pubkey = key.compressed;
  let result: string | undefined;
  switch (format) {
    case 'p2wpkh':
      result = payments.p2wpkh({ pubkey, network: net }).address;
      break;
    case 'p2sh-p2wpkh':
      result = payments.p2sh({ redeem: payments.p2wpkh({ pubkey, network: net }), network: net }).address;
      break;
    case 'p2pkh':
      result = payments.p2pkh({ pubkey, network: net }).address;
      break;
  }
  if (result === undefined) {
    throw new Error(`bitcoinjs-lib returned no ${format} address for ${chain.id} ${network}`);
  }
  return result;
}

// ---- output scripts -------------------------------------------------------------------------------------

export function p2pkhScript(hash: Uint8Array): Uint8Array {
  return Uint8Array.from([0x76, 0xa9, 0x14, ...hash, 0x88, 0xac]); // DUP HASH160 <20> EQUALVERIFY CHECKSIG
}

export function p2shScript(hash: Uint8Array): Uint8Array {
  return Uint8Array.from([0xa9, 0x14, ...hash, 0x87]); // HASH160 <20> EQUAL
}

export function witnessScript(version: number, program: Uint8Array): Uint8Array {
  return Uint8Array.from([version === 0 ? 0x00 : 0x50 + version, program.length, ...program]); // OP_n <program>
}

// ---- decoding -------------------------------------------------------------------------------------------

/** Base58Check P2PKH / P2SH address of a Bitcoin-family chain. */
export function decodeBase58Address(
  chain: BitcoinChainDefinition,
  params: BitcoinNetworkParams,
  address: string,
  payload: Uint8Array,
): DecodeOutcome {
  if (payload.length !== 21) {
    return rejected(
      `Base58Check payload is ${payload.length} bytes, expected 21 (version byte + 20-byte hash)`,
    );
  }
  const version = payload[0] ?? -1;
  const hash = payload.subarray(1);
  if (version === params.pubKeyHash && chain.destinationFormats.includes('p2pkh')) {
    return decoded('p2pkh', address, p2pkhScript(hash));
  }
  if (version === params.scriptHash && chain.destinationFormats.includes('p2sh')) {
    return decoded('p2sh', address, p2shScript(hash));
  }
  const expected = `expected ${hex8(params.pubKeyHash)} for P2PKH or ${hex8(params.scriptHash)} for P2SH`;
  if (version === params.legacyScriptHash) {
    return rejected(
      `version byte ${hex8(version)} is ${chain.name}'s deprecated P2SH version, whose addresses look exactly ` +
        `like another chain's P2SH addresses${usedBy(base58VersionOwners(version))}; refused on purpose, ` +
        `ask for the same script hash with version ${hex8(params.scriptHash)}`,
    );
  }
  return rejected(
    `version byte ${hex8(version)} is not a ${params.label} address version: ${expected}` +
      usedBy(base58VersionOwners(version)),
  );
}

/** Native segwit (BIP-173 bech32 for v0, BIP-350 bech32m for v1+) address of a Bitcoin-family chain. */
export function decodeSegwitAddress(
  chain: BitcoinChainDefinition,
  params: BitcoinNetworkParams,
  address: string,
): DecodeOutcome {
  let parsed: { version: number; prefix: string; data: Uint8Array };
  try {
    parsed = btcAddress.fromBech32(address);
  } catch (err) {
    return rejected(`not a valid bech32/bech32m segwit address (${errorMessage(err)})`);
  }
  const { version, prefix, data } = parsed;
  if (params.bech32Hrp === null) {
    return rejected(
      `${chain.name} has no native segwit addresses; human-readable part "${prefix}"` +
        usedBy(bech32HrpOwners(prefix)),
    );
  }
  if (prefix !== params.bech32Hrp) {
    return rejected(
      `human-readable part "${prefix}" is not "${params.bech32Hrp}" (${params.label})` +
        usedBy(bech32HrpOwners(prefix)),
    );
  }
  if (!Number.isInteger(version) || version < 0 || version > 16) {
    return rejected(`witness version ${version} is out of range 0..16`);
  }
  const normalized = address.toLowerCase();
  if (version === 0) {
    if (data.length === 20) return decoded('p2wpkh', normalized, witnessScript(0, data));
    if (data.length === 32) return decoded('p2wsh', normalized, witnessScript(0, data));
    return rejected(
      `witness v0 program must be 20 (P2WPKH) or 32 (P2WSH) bytes (BIP-141), got ${data.length}`,
    );
  }
  if (version === 1 && data.length === 32 && chain.destinationFormats.includes('p2tr')) {
    return decoded('p2tr', normalized, witnessScript(1, data));
  }
  // BIP-350 asks wallets to accept every v1..v16 program, but outputs other than P2TR are anyone-can-spend
  // today: a custodial signer refuses them rather than burn funds on a typo-free but unusual address.
  return rejected(
    `witness v${version} program of ${data.length} bytes is not a supported output type ` +
      `(only v0 P2WPKH/P2WSH and v1 32-byte P2TR are accepted)`,
  );
}

export function tryBase58Check(
  address: string,
): { ok: true; payload: Uint8Array } | { ok: false; reason: string } {
  try {
    return { ok: true, payload: bs58check.decode(address) };
  } catch (err) {
    const msg = errorMessage(err);
    return {
      ok: false,
      reason: /checksum/i.test(msg) ? 'Base58Check checksum mismatch' : `not valid Base58Check (${msg})`,
    };
  }
}
