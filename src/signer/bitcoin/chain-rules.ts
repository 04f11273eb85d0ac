// What differs between the Bitcoin-family chains when signing: segwit or not, the sighash type, the
// default fee policy. Chain and network come from the registry in src/chains.
import {
  ChainsError,
  getFamilyChain,
  UnsupportedNetworkError,
  type ChainId,
  type NetworkName,
} from '../../chains/index.js';
import { DEFAULT_FEE_POLICIES, type BitcoinChainId, type FeePolicy } from './fee-policy.js';
import { refuse } from '../types.js';

export const SIGHASH_ALL = 0x01;
/** SIGHASH_FORKID: Bitcoin Cash's replay protection, signalling its BIP143-style digest. */
export const SIGHASH_FORKID = 0x40;

export interface ChainRules {
  chain: BitcoinChainId;
  network: NetworkName;
  /** The chain's own name for messages, e.g. "Dogecoin testnet". */
  label: string;
  /** Native segwit (P2WPKH, P2SH-P2WPKH spends, witness outputs). False for DOGE and BCH. */
  segwit: boolean;
  /** BCH: every input signs the BIP143-style digest with hashType SIGHASH_ALL|FORKID (0x41). */
  forkId: boolean;
  /** The sighash type byte appended to every signature. */
  hashType: number;
  feePolicy: FeePolicy;
}

export function chainRules(chain: ChainId, network: NetworkName): ChainRules {
  let params;
  try {
    ({ params } = getFamilyChain('bitcoin', chain, network));
  } catch (error) {
    if (!(error instanceof ChainsError)) throw error;
    refuse('CHAIN_MISMATCH', error instanceof UnsupportedNetworkError ? 'network' : 'chain', error.message);
  }
  const id = chain as BitcoinChainId;
  const forkId = id === 'BCH';
  return {
    chain: id,
    network,
    label: params.label,
    segwit: params.bech32Hrp !== null,
    forkId,
    hashType: forkId ? SIGHASH_ALL | SIGHASH_FORKID : SIGHASH_ALL,
    feePolicy: DEFAULT_FEE_POLICIES[id],
  };
}
