// Each chain family's address code, loaded on first use. The families' encoders pull in their SDKs
// (bitcoinjs-lib, ethers, algosdk, Cardano's WebAssembly, …); behind a dynamic import() every family is its
// own chunk of the Lambda bundles (infra/bundling.ts), so a handler parses only the families it serves.
import type { AddressFormat, ChainFamily, ChainId, NetworkName } from '../types.js';
import type { DecodeOutcome } from './result.js';

/** What the generic deriveAddress/validateAddress need from one family; one per family module. */
export interface FamilyAddressCodec {
  /** The address of `publicKey` in `format`, one of the chain's own formats (checked by the caller). */
  derive(chain: ChainId, network: NetworkName, format: AddressFormat, publicKey: Uint8Array): string;
  /** Decodes a destination of a known chain and network (generic checks already passed). */
  decode(chain: ChainId, network: NetworkName, address: string): DecodeOutcome;
  /** The one spelling decodes report, for a family whose addresses have more than one (TRON's 41… hex). */
  canonical?(address: string): string;
}

type CodecModule = Promise<{ readonly codec: FamilyAddressCodec }>;

const LOADERS: Readonly<Record<ChainFamily, () => CodecModule>> = {
  bitcoin: () => import('./bitcoin-family.js'),
  evm: () => import('./evm.js'),
  vet: () => import('./evm.js'), // VeChain addresses are Ethereum's (0x, keccak, EIP-55)
  tron: () => import('./tron.js'),
  xrp: () => import('./xrp.js'),
  solana: () => import('./solana.js'),
  cardano: () => import('./cardano.js'),
  multiversx: () => import('./multiversx.js'),
  flow: () => import('./flow.js'),
  stellar: () => import('./stellar.js'),
  algorand: () => import('./algorand.js'),
};

const loaded = new Map<ChainFamily, FamilyAddressCodec>();

/**
 * Imports the address code of each family (once; later calls return at once). deriveAddress,
 * validateAddress and the other address functions are synchronous — they run inside parsers — and need
 * their chain's family loaded first: by src/signer/index.ts before a family's signer runs, by each loop job
 * at its start (src/tatum/job.ts), by the wallet code before it derives addresses (see loadAddressCode in
 * ../index.ts). test/integration/address-code-fresh.test.ts runs these paths with nothing preloaded.
 */
export async function loadFamilyAddressCodecs(families: Iterable<ChainFamily>): Promise<void> {
  const missing = [...new Set(families)].filter((family) => !loaded.has(family));
  await Promise.all(
    missing.map(async (family) => {
      loaded.set(family, (await LOADERS[family]()).codec);
    }),
  );
}

/** Every family, e.g. for a CLI run or a test that touches many chains. */
export const ALL_FAMILIES = Object.keys(LOADERS) as ChainFamily[];

/** The family's codec; a family not loaded yet is a programming error (a missing load, see above). */
export function familyAddressCodec(family: ChainFamily): FamilyAddressCodec {
  const codec = loaded.get(family);
  if (codec === undefined) {
    throw new Error(`the ${family} address code is not loaded yet: await loadAddressCode(chain) first`);
  }
  return codec;
}
