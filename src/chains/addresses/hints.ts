import { NETWORK_NAMES } from '../types.js';
import { listChains } from '../registry.js';

// Reverse look-ups over the registry, used only to make validation failures say what an address IS
// ("that is the BTC testnet P2PKH version") instead of merely that it is wrong.

function owners(match: (chainId: string, network: string, params: object) => string | null): string[] {
  const out: string[] = [];
  for (const def of listChains()) {
    for (const network of NETWORK_NAMES) {
      const params = def.networks[network];
      if (params === undefined) continue;
      const what = match(def.id, network, params);
      if (what !== null) out.push(what);
    }
  }
  return out;
}

export function base58VersionOwners(version: number): string[] {
  return owners((chain, network, p) => {
    if ('pubKeyHash' in p && p.pubKeyHash === version) return `${chain} ${network} P2PKH`;
    if ('scriptHash' in p && p.scriptHash === version) return `${chain} ${network} P2SH`;
    if ('addressPrefix' in p && p.addressPrefix === version) return `${chain} ${network}`;
    return null;
  });
}

export function bech32HrpOwners(hrp: string): string[] {
  return owners((chain, network, p) =>
    'bech32Hrp' in p && p.bech32Hrp === hrp ? `${chain} ${network}` : null,
  );
}

export function cashAddrPrefixOwners(prefix: string): string[] {
  return owners((chain, network, p) =>
    'cashAddrPrefix' in p && p.cashAddrPrefix === prefix ? `${chain} ${network}` : null,
  );
}

/** "; used by X / Y", or "" when nobody in the registry uses it. */
export function usedBy(list: readonly string[]): string {
  return list.length === 0 ? '' : `; used by ${list.join(' / ')}`;
}
