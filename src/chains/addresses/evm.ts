import { bech32 } from 'bech32';
import { computeAddress, getAddress, hexlify } from 'ethers';

import { parsePublicKey, type Secp256k1PublicKey } from '../../crypto/public-key.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';
import { errorMessage } from '../../util/error-message.js';
import type { FamilyAddressCodec } from './codecs.js';
import { UnsupportedAddressFormatError } from '../errors.js';
import { getChain } from '../registry.js';
import type { AddressFormat } from '../types.js';

/** EIP-55 checksummed address: last 20 bytes of keccak256(X ‖ Y). */
export function deriveEvmAddress(key: Secp256k1PublicKey): string {
  return computeAddress(hexlify(key.uncompressed));
}

const HEX40 = /^0x[0-9a-fA-F]{40}$/;

/**
 * `0x` + 40 hex digits. All-lowercase and all-uppercase (unchecksummed) forms are accepted and normalised to
 * their EIP-55 form; a mixed-case address must match its EIP-55 checksum exactly.
 */
export function decodeEvmAddress(address: string): DecodeOutcome {
  if (!HEX40.test(address)) {
    return rejected('not an EVM address: expected "0x" followed by 40 hexadecimal digits');
  }
  const checksummed = checksumDigits(address.slice(2));
  if (checksummed === undefined) {
    return rejected(
      `EIP-55 checksum mismatch (the checksummed form is ${getAddress(address.toLowerCase())})`,
    );
  }
  return decoded('evm', checksummed, undefined, checksummed);
}

/** The EIP-55 0x form of 40 hex digits, or undefined when mixed case does not match the checksum. */
function checksumDigits(digits: string): string | undefined {
  const checksummed = getAddress(`0x${digits.toLowerCase()}`);
  const singleCase = digits === digits.toLowerCase() || digits === digits.toUpperCase();
  return singleCase || checksummed.slice(2) === digits ? checksummed : undefined;
}

// ---- XDC: "xdc" in place of "0x", the hex digits checksummed as in EIP-55 (XDC wallets, Tatum's XDC API).

export function deriveXdcAddress(key: Secp256k1PublicKey): string {
  return `xdc${deriveEvmAddress(key).slice(2)}`;
}

const XDC40 = /^xdc[0-9a-fA-F]{40}$/;

/** `xdc` + 40 hex digits (single case, or mixed case with a valid EIP-55 checksum), or the 0x form. */
export function decodeXdcAddress(address: string): DecodeOutcome {
  if (address.startsWith('0x')) return decodeEvmAddress(address);
  if (!XDC40.test(address)) {
    return rejected('not an XDC address: expected "xdc" (or "0x") followed by 40 hexadecimal digits');
  }
  const checksummed = checksumDigits(address.slice(3));
  if (checksummed === undefined) {
    return rejected(
      `EIP-55 checksum mismatch (the checksummed form is xdc${getAddress(`0x${address.slice(3).toLowerCase()}`).slice(2)})`,
    );
  }
  return decoded('xdc', `xdc${checksummed.slice(2)}`, undefined, checksummed);
}

// ---- Harmony: bech32 (BIP-173, not bech32m) with HRP "one" over the same 20 bytes (harmony-one/go-sdk,
// Trust Wallet Core Harmony/Address). Testnet addresses use "one" too.

const HARMONY_HRP = 'one';

export function deriveHarmonyAddress(key: Secp256k1PublicKey): string {
  const bytes = Buffer.from(deriveEvmAddress(key).slice(2), 'hex');
  return bech32.encode(HARMONY_HRP, bech32.toWords(bytes));
}

/** `one1…` bech32 of 20 bytes (single case), or the 0x form. */
export function decodeHarmonyAddress(address: string): DecodeOutcome {
  if (address.startsWith('0x')) return decodeEvmAddress(address);
  if (!/^one1/i.test(address)) {
    return rejected(
      'not a Harmony address: expected "one1…" (bech32) or "0x" followed by 40 hexadecimal digits',
    );
  }
  let words: number[];
  let prefix: string;
  try {
    ({ prefix, words } = bech32.decode(address));
  } catch (err) {
    return rejected(`not a valid bech32 address (${errorMessage(err)})`);
  }
  if (prefix !== HARMONY_HRP) return rejected(`human-readable part "${prefix}" is not "${HARMONY_HRP}"`);
  let bytes: number[];
  try {
    bytes = bech32.fromWords(words);
  } catch (err) {
    return rejected(`bech32 data is not whole bytes (${errorMessage(err)})`);
  }
  if (bytes.length !== 20) return rejected(`bech32 data is ${bytes.length} bytes, expected 20`);
  const hex = getAddress(hexlify(Uint8Array.from(bytes)));
  return decoded('one-bech32', address.toLowerCase(), undefined, hex);
}

/** EVM chains and VeChain: the 0x form everywhere; XDC's xdc… and Harmony's one1… only on their chains. */
export const codec: FamilyAddressCodec = {
  derive: (chain, _network, format, publicKey) => {
    const key = parsePublicKey(publicKey);
    if (format === 'evm') return deriveEvmAddress(key);
    if (format === 'xdc') return deriveXdcAddress(key);
    if (format === 'one-bech32') return deriveHarmonyAddress(key);
    throw new UnsupportedAddressFormatError(chain, format, getChain(chain).addressFormats);
  },
  decode: (chain, _network, address) => {
    const formats: readonly AddressFormat[] = getChain(chain).addressFormats;
    if (formats.includes('xdc')) return decodeXdcAddress(address);
    if (formats.includes('one-bech32')) return decodeHarmonyAddress(address);
    return decodeEvmAddress(address);
  },
};
