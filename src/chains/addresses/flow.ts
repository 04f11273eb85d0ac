import { decoded, rejected, type DecodeOutcome } from './result.js';
import type { FamilyAddressCodec } from './codecs.js';
import { UnsupportedChainError } from '../errors.js';

/**
 * A Flow account address: 8 bytes, written as 16 hex digits with an optional 0x; canonical form is
 * lowercase with 0x. Flow addresses also carry a per-network error-detecting code that this check does
 * not verify: a mistyped address fails the transfer on chain (no FlowToken receiver), it does not lose funds.
 */
export function decodeFlowAddress(address: string): DecodeOutcome {
  if (!/^(0x)?[0-9a-fA-F]{16}$/.test(address)) {
    return rejected('not a Flow address: 16 hex digits, optionally 0x-prefixed');
  }
  const normalized = `0x${address.replace(/^0x/, '').toLowerCase()}`;
  if (/^0x0+$/.test(normalized)) return rejected('the zero address is not a Flow account');
  return decoded('flow', normalized);
}

export const codec: FamilyAddressCodec = {
  derive: (chain) => {
    throw new UnsupportedChainError(chain, 'its addresses are assigned by the chain, not derived from a key');
  },
  decode: (_chain, _network, address) => decodeFlowAddress(address),
};
