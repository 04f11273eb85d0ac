// How deep a broadcast transaction must be before its job is CONFIRMED: KMS_SIGNER_CONFIRMATIONS_<CHAIN>
// (1–10,000), else the chain's registry value (VET: 12, from Thor's own fork advice; see registry.ts),
// else our default per family. The family defaults are our choice, not a chain rule: 6 blocks for the
// Bitcoin family (the customary settlement depth), 12 for EVM chains. SOL is confirmed when finalized
// (registry `confirmedWhenFinalized`): its node reports no depth, so no other value is accepted. CONFIRMED
// only records what the chain shows; nothing is signed or released on it.
import { getChain, type ChainDefinition, type ChainId } from '../chains/index.js';
import { ConfigError } from '../config/index.js';

const DEFAULT_DEPTH: Readonly<Record<string, number>> = { bitcoin: 6, evm: 12 };
const MAX_DEPTH = 10_000;

export function confirmationDepth(
  chain: ChainId,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const variable = `KMS_SIGNER_CONFIRMATIONS_${chain}`;
  const text = env[variable];
  const definition: ChainDefinition = getChain(chain);
  if (text !== undefined && text.trim() !== '') {
    const depth = Number(text);
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
      throw new ConfigError(variable, `must be a whole number of blocks from 1 to ${MAX_DEPTH}`);
    }
    if (definition.confirmedWhenFinalized === true && depth !== definition.confirmationDepth) {
      throw new ConfigError(
        variable,
        `${chain} is confirmed when finalized: only ${definition.confirmationDepth} is accepted`,
      );
    }
    return depth;
  }
  return definition.confirmationDepth ?? DEFAULT_DEPTH[definition.family] ?? 1;
}
