// The Bitcoin family's address codec: Base58Check, SegWit (bech32/bech32m) and, on Bitcoin Cash, CashAddr.
import { hash160 } from '../../crypto/hash160.js';
import { parsePublicKey } from '../../crypto/public-key.js';
import { UnsupportedAddressFormatError } from '../errors.js';
import { getFamilyChain } from '../registry.js';
import type { ChainId, NetworkName } from '../types.js';
import { decodeBase58Address, decodeSegwitAddress, deriveBitcoinAddress, tryBase58Check } from './bitcoin.js';
import { decodeCashAddr, encodeCashAddrP2pkh } from './cashaddr.js';
import type { FamilyAddressCodec } from './codecs.js';
import { bech32HrpOwners } from './hints.js';
import { rejected, type DecodeOutcome } from './result.js';

const BECH32_CHARS = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;

/** "hrp1data" where data is in the bech32 alphabet and hrp is a known HRP or the string is single-case. */
function looksLikeBech32(address: string): boolean {
  const lower = address.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || !BECH32_CHARS.test(lower.slice(sep + 1))) return false;
  const singleCase = address === lower || address === address.toUpperCase();
  return singleCase || bech32HrpOwners(lower.slice(0, sep)).length > 0;
}

function decodeBitcoinFamily(chainId: ChainId, network: NetworkName, address: string): DecodeOutcome {
  const { chain, params } = getFamilyChain('bitcoin', chainId, network);
  if (params.cashAddrPrefix !== null && address.includes(':')) {
    return decodeCashAddr(chain, params, address);
  }
  const base58 = tryBase58Check(address);
  if (base58.ok) return decodeBase58Address(chain, params, address, base58.payload);
  if (looksLikeBech32(address)) return decodeSegwitAddress(chain, params, address);
  if (params.cashAddrPrefix !== null && BECH32_CHARS.test(address.toLowerCase())) {
    return decodeCashAddr(chain, params, address);
  }
  return rejected(`not a ${chain.name} address: ${base58.reason}`);
}

/** Key-hash addresses of the COMPRESSED key (P2WPKH, P2SH-P2WPKH, P2PKH, CashAddr P2PKH). */
export const codec: FamilyAddressCodec = {
  derive: (chainId, network, format, publicKey) => {
    const { chain, params } = getFamilyChain('bitcoin', chainId, network);
    const key = parsePublicKey(publicKey);
    if (format === 'p2wpkh' || format === 'p2sh-p2wpkh' || format === 'p2pkh')
      return deriveBitcoinAddress(chain, network, key, format);
    if (format === 'cashaddr' && params.cashAddrPrefix !== null)
      return encodeCashAddrP2pkh(params.cashAddrPrefix, hash160(key.compressed));
    throw new UnsupportedAddressFormatError(chain.id, format, chain.addressFormats);
  },
  decode: decodeBitcoinFamily,
};
