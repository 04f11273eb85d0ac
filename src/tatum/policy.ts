// Signing policy: rules only. The transfers come from the signer's one decode of the transaction
// (PreparedTransaction), so policy judges exactly what is signed. Rules: destination allow-list,
// per-transaction and per-wallet daily amount limits. Deny wins; a transaction whose decode does not
// account for everything it does is denied whenever the chain has a policy. Every decision carries its
// reasons and the transfers, for the job and the audit.
import {
  addressToOutputScript,
  canonicalAddress,
  getChain,
  listNetworks,
  loadAddressCode,
  toEvmAddress,
  validateAddress,
  type ChainId,
  type NetworkName,
} from '../chains/index.js';
import { transferView, type PreparedTransaction, type TransferView } from '../signer/index.js';
import { ConfigError } from '../config/index.js';
import type { ChainPolicy, SigningPolicy } from './config.js';

export interface PolicyDecision {
  allowed: boolean;
  /** Why it was denied (empty when allowed) or which rules were checked. */
  reasons: string[];
  transfers: TransferView[];
  /** Whether a policy was configured for the chain at all. */
  policy: boolean;
}

export interface PolicyInput {
  chain: ChainId;
  network: NetworkName;
  /** What the transaction moves, from the signer's decode. */
  transaction: Pick<PreparedTransaction, 'transfers' | 'unrecognized'>;
  policy: ChainPolicy | undefined;
  /** What the wallets already spent of `asset` in the last 24 h (signed or broadcast jobs). */
  spentToday: (asset: string) => Promise<bigint>;
}

export async function evaluatePolicy(input: PolicyInput): Promise<PolicyDecision> {
  const { transfers, unrecognized } = input.transaction;
  const views = transfers.map(transferView);
  const policy = input.policy;
  if (policy === undefined) {
    return {
      allowed: true,
      reasons: unrecognized === null ? [] : [`not decoded: ${unrecognized}`],
      transfers: views,
      policy: false,
    };
  }
  if (unrecognized !== null) {
    return {
      allowed: false,
      reasons: [`cannot decode the transaction: ${unrecognized}`],
      transfers: views,
      policy: true,
    };
  }
  const reasons: string[] = [];
  await loadAddressCode([input.chain]); // normalizeDestination and normalizeAsset (TRON's spellings)
  if (policy.allowedDestinations !== undefined) {
    const allowed = new Set(
      policy.allowedDestinations.map((a) => normalizeDestination(input.chain, input.network, a)),
    );
    for (const t of transfers) {
      if (!allowed.has(t.to)) reasons.push(`destination ${t.to} is not on the allow-list`);
    }
  }
  if (policy.limits !== undefined) {
    const limits = new Map(
      Object.entries(policy.limits).map(([asset, l]) => [normalizeAsset(input.chain, asset), l]),
    );
    const totals = new Map<string, bigint>();
    for (const t of transfers) totals.set(t.asset, (totals.get(t.asset) ?? 0n) + t.amount);
    for (const [asset, total] of totals) {
      const limit = limits.get(asset);
      if (limit === undefined) {
        reasons.push(`asset ${asset} has no limit configured`);
        continue;
      }
      if (limit.perTransaction !== undefined && total > limit.perTransaction) {
        reasons.push(`${asset} amount ${total} exceeds the per-transaction limit ${limit.perTransaction}`);
      }
      if (limit.daily !== undefined) {
        const spent = await input.spentToday(asset);
        if (spent + total > limit.daily) {
          reasons.push(`${asset} daily total ${spent + total} would exceed the daily limit ${limit.daily}`);
        }
      }
    }
  }
  return { allowed: reasons.length === 0, reasons, transfers: views, policy: true };
}

/**
 * Refuses a policy whose allow-list holds an address that is not valid on the loop's network (typo, wrong
 * network, bad checksum): at start-up, naming the entry, instead of failing every job of the chain later.
 * Only the runner's chains are checked (one policy may serve runners of several networks and chains), and
 * of those only the ones that have the network: no job of the others can run here.
 */
export async function checkAllowedDestinations(
  policy: SigningPolicy,
  network: NetworkName,
  chains: readonly ChainId[],
): Promise<void> {
  const lists = Object.entries(policy).filter(
    (entry): entry is [ChainId, ChainPolicy & { allowedDestinations: string[] }] =>
      entry[1].allowedDestinations !== undefined &&
      chains.includes(entry[0] as ChainId) &&
      listNetworks(entry[0]).includes(network),
  );
  await loadAddressCode(lists.map(([chain]) => chain));
  for (const [chain, { allowedDestinations }] of lists) {
    allowedDestinations.forEach((address, index) => {
      const result = validateAddress(chain, network, address);
      if (!result.valid) {
        throw new ConfigError(
          'SIGNING_POLICY',
          `${chain}.allowedDestinations.${index}: ${JSON.stringify(address)} is not a ${network} address: ${result.reason}`,
        );
      }
    });
  }
}

/** A configured destination in the form the decode reports (see Transfer in src/signer/prepared.ts). */
function normalizeDestination(chain: ChainId, network: NetworkName, address: string): string {
  const family = getChain(chain).family;
  if (family === 'bitcoin')
    return Buffer.from(addressToOutputScript(chain, network, address)).toString('hex');
  if (family === 'evm') return toEvmAddress(chain, network, address).toLowerCase(); // xdc…, one1… too
  if (family === 'vet') return address.toLowerCase();
  if (family === 'xrp' || family === 'solana' || family === 'stellar' || family === 'algorand')
    return address; // one spelling per key
  if (family === 'cardano' || family === 'multiversx') return address.toLowerCase(); // bech32, as decoded
  return canonicalAddress(chain, address); // TRON: "41…" hex or T…
}

function normalizeAsset(chain: ChainId, asset: string): string {
  if (asset === 'native') return asset;
  const family = getChain(chain).family;
  if (family === 'evm') return asset.toLowerCase().replace(/^xdc/, '0x'); // XDC token contracts as xdc…
  if (family === 'vet') return asset.toLowerCase();
  return family === 'tron' ? canonicalAddress(chain, asset) : asset;
}
