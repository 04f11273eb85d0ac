import { decodeCashAddress, encodeCashAddress } from '@bitauth/libauth';

import type { BitcoinChainDefinition, BitcoinNetworkParams, CashAddrPrefix } from '../types.js';
import { p2pkhScript, p2shScript } from './bitcoin.js';
import { cashAddrPrefixOwners, usedBy } from './hints.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';

const KNOWN_PREFIXES: readonly CashAddrPrefix[] = ['bitcoincash', 'bchtest', 'bchreg'];

/** P2PKH CashAddr (type 0, 160-bit hash) with its network prefix, lowercase. */
export function encodeCashAddrP2pkh(prefix: CashAddrPrefix, pubKeyHash: Uint8Array): string {
  return encodeCashAddress({ prefix, type: 'p2pkh', payload: pubKeyHash }).address;
}

/** OP_HASH256 <32> OP_EQUAL: the P2SH32 locking script of the May 2023 BCH upgrade. */
function p2sh32Script(hash: Uint8Array): Uint8Array {
  return Uint8Array.from([0xaa, 0x20, ...hash, 0x87]);
}

/**
 * A CashAddr with or without its prefix. Accepts P2PKH (20-byte hash) and P2SH (20- or 32-byte hash);
 * refuses mixed case (spec §Uppercase/lowercase), a foreign prefix, token-aware and non-standard types.
 */
export function decodeCashAddr(
  chain: BitcoinChainDefinition,
  params: BitcoinNetworkParams,
  address: string,
): DecodeOutcome {
  const expected = params.cashAddrPrefix;
  if (expected === null) return rejected(`${chain.name} has no CashAddr addresses`);
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) {
    return rejected('CashAddr must not mix upper and lower case');
  }
  const explicit = address.includes(':');
  const full = explicit ? address.toLowerCase() : `${expected}:${address.toLowerCase()}`;
  const result = decodeCashAddress(full);
  if (typeof result === 'string') {
    if (!explicit) {
      // Without a prefix the checksum fails for any other network: say which one it would fit.
      const other = KNOWN_PREFIXES.find(
        (p) =>
          p !== expected && typeof decodeCashAddress(`${p}:${full.slice(expected.length + 1)}`) !== 'string',
      );
      if (other !== undefined) {
        return rejected(
          `CashAddr checksum only matches prefix "${other}"${usedBy(cashAddrPrefixOwners(other))}, not "${expected}" (${params.label})`,
        );
      }
    }
    return rejected(result);
  }
  if (result.prefix !== expected) {
    return rejected(
      `CashAddr prefix "${result.prefix}" is not "${expected}" (${params.label})` +
        usedBy(cashAddrPrefixOwners(result.prefix)),
    );
  }
  const normalized = full; // lowercase, always with its prefix
  const { payload, type } = result;
  if (type === 'p2pkh') {
    if (payload.length !== 20) return rejected(`CashAddr P2PKH hash must be 20 bytes, got ${payload.length}`);
    return decoded('cashaddr', normalized, p2pkhScript(payload));
  }
  if (type === 'p2sh') {
    if (payload.length === 20) return decoded('cashaddr-p2sh', normalized, p2shScript(payload));
    if (payload.length === 32) return decoded('cashaddr-p2sh', normalized, p2sh32Script(payload));
    return rejected(`CashAddr P2SH hash must be 20 or 32 bytes, got ${payload.length}`);
  }
  return rejected(
    `CashAddr type "${type}" (CashTokens-aware address) is not supported; ask for the plain q…/p… form`,
  );
}
