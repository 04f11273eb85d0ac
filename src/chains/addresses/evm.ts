import { computeAddress, getAddress, hexlify } from 'ethers';

import type { Secp256k1PublicKey } from '../../crypto/public-key.js';
import { decoded, rejected, type DecodeOutcome } from './result.js';

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
  const digits = address.slice(2);
  const checksummed = getAddress(`0x${digits.toLowerCase()}`);
  const singleCase = digits === digits.toLowerCase() || digits === digits.toUpperCase();
  if (!singleCase && address !== checksummed) {
    return rejected(`EIP-55 checksum mismatch (the checksummed form is ${checksummed})`);
  }
  return decoded('evm', checksummed);
}
