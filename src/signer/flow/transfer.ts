// The one Cadence transaction policy recognises on Flow: a FLOW transfer from the signing account's
// FlowToken vault to another account's FlowToken receiver, written for Cadence 1.0 (entitlements,
// `&Account`, capabilities). Tatum's SDK template uses the pre-1.0 `AuthAccount` API, which Flow stopped
// executing with the Crescendo upgrade (Cadence 1.0, September 2024), so it is reported, not recognised.
import type { Transfer } from '../prepared.js';
import type { FlowArgument, FlowVoucher } from './voucher.js';

/** Core-contract addresses of one Flow network (FungibleToken standard and the FLOW token). */
export interface FlowTokenContracts {
  fungibleToken: string;
  flowToken: string;
}

/**
 * Our FLOW transfer. `amount` is a UFix64 (8 decimals), `to` the recipient; a recipient without a
 * FlowToken receiver makes the transaction fail on chain (nothing moves), never lose the funds.
 */
export function flowTransferCadence(contracts: FlowTokenContracts): string {
  return `import FungibleToken from ${contracts.fungibleToken}
import FlowToken from ${contracts.flowToken}

transaction(amount: UFix64, to: Address) {
    let payment: @{FungibleToken.Vault}

    prepare(sender: auth(BorrowValue) &Account) {
        let vault = sender.storage.borrow<auth(FungibleToken.Withdraw) &FlowToken.Vault>(from: /storage/flowTokenVault)
            ?? panic("the sender has no FlowToken vault")
        self.payment <- vault.withdraw(amount: amount)
    }

    execute {
        let receiver = getAccount(to).capabilities.borrow<&{FungibleToken.Receiver}>(/public/flowTokenReceiver)
            ?? panic("the recipient has no FlowToken receiver")
        receiver.deposit(from: <-self.payment)
    }
}
`;
}

/** UFix64: at most 8 decimals, below 2^64 units of 10^-8 (https://cadence-lang.org/docs/language/values-and-types). */
const UFIX64_MAX = 2n ** 64n - 1n;

/** A UFix64 JSON-Cadence value ("12.5", "0.00000001") in units of 10^-8, or null when it is not one. */
export function parseUFix64(value: unknown): bigint | null {
  if (typeof value !== 'string') return null;
  const match = /^(0|[1-9][0-9]{0,11})\.([0-9]{1,8})$/.exec(value);
  if (!match) return null;
  const units = BigInt(match[1] ?? '0') * 100_000_000n + BigInt((match[2] ?? '').padEnd(8, '0'));
  return units <= UFIX64_MAX ? units : null;
}

/** The UFix64 text of `units` (10^-8), as JSON-Cadence writes it (always with 8 decimals). */
export function formatUFix64(units: bigint): string {
  const whole = units / 100_000_000n;
  const fraction = (units % 100_000_000n).toString().padStart(8, '0');
  return `${whole}.${fraction}`;
}

export interface FlowDecode {
  transfers: Transfer[];
  unrecognized: string | null;
}

function isAddressArgument(arg: FlowArgument | undefined): arg is { type: 'Address'; value: string } {
  return arg?.type === 'Address' && typeof arg.value === 'string' && /^0x[0-9a-f]{16}$/.test(arg.value);
}

/** What the voucher moves out of the authorizer's account, as far as policy can tell. */
export function decodeFlowTransfer(voucher: FlowVoucher, contracts: FlowTokenContracts): FlowDecode {
  if (voucher.cadence !== flowTransferCadence(contracts)) {
    return {
      transfers: [],
      unrecognized: /\bAuthAccount\b/.test(voucher.cadence)
        ? 'the Cadence script uses the pre-Cadence-1.0 AuthAccount API (Tatum SDK templates), which Flow no longer executes'
        : "the Cadence script is not kms-signer's FLOW transfer template for this network",
    };
  }
  const [amountArg, toArg, ...rest] = voucher.arguments;
  const amount = amountArg?.type === 'UFix64' ? parseUFix64(amountArg.value) : null;
  if (amount === null || !isAddressArgument(toArg) || rest.length > 0) {
    return {
      transfers: [],
      unrecognized:
        'the FLOW transfer arguments are not (UFix64 amount with 1–8 decimals, lowercase 0x Address)',
    };
  }
  return { transfers: [{ asset: 'native', to: toArg.value, amount }], unrecognized: null };
}
