// Parsing and validation of command-line values. Every refusal is a usage error (exit 2) naming the
// argument or option.
import type { Command } from 'commander';
import {
  CHAIN_IDS,
  getChain,
  isChainId,
  retiredChainReason,
  isNetworkName,
  listNetworks,
  NETWORK_NAMES,
  type ChainId,
  type NetworkName,
} from '../chains/index.js';
import type { CreateWalletInput, WalletStatus } from '../wallets/contract.js';
import { MAX_BATCH, MAX_INDEX } from '../wallets/validation.js';
import { usageError } from './errors.js';

/** Options every command accepts (before or after the command name). */
export interface GlobalOptions {
  testnet?: boolean;
  network?: string;
  chain?: string;
  json?: boolean;
  envFile?: string;
}

export const DEFAULT_USER_ID = 'operator';
const WALLET_STATUSES: readonly WalletStatus[] = ['CREATING', 'ACTIVE', 'DISABLED', 'PENDING_DELETION'];

/** Chain id, case-insensitive (`btc` → `BTC`). */
export function parseChain(value: string, field = 'chain'): ChainId {
  const upper = value.trim().toUpperCase();
  if (!isChainId(upper)) {
    const retired = retiredChainReason(upper);
    if (retired !== undefined) throw usageError(field, `${upper} is not supported: ${retired}`);
    throw usageError(field, `unknown chain ${JSON.stringify(value)}; supported: ${CHAIN_IDS.join(', ')}`);
  }
  return upper;
}

/**
 * The chain of a command that takes `<chain>` as an argument; the global `--chain`, if also given,
 * must name the same chain.
 */
export function chainArgument(value: string, globals: GlobalOptions): ChainId {
  const chain = parseChain(value);
  if (globals.chain !== undefined && parseChain(globals.chain, '--chain') !== chain) {
    throw usageError('--chain', `${globals.chain} contradicts the <chain> argument ${value}`);
  }
  return chain;
}

/** The network chosen by `--network <name>` or `--testnet`, or undefined when neither was given. */
export function selectedNetwork(globals: GlobalOptions): NetworkName | undefined {
  if (globals.network !== undefined) {
    const network = globals.network.trim().toLowerCase();
    if (!isNetworkName(network)) {
      throw usageError(
        '--network',
        `unknown network ${JSON.stringify(globals.network)}; one of ${NETWORK_NAMES.join(', ')}`,
      );
    }
    if (globals.testnet === true && network !== 'testnet') {
      throw usageError('--testnet', `contradicts --network ${network}`);
    }
    return network;
  }
  return globals.testnet === true ? 'testnet' : undefined;
}

/** For commands that cover every chain and network: --chain, --testnet and --network are refused. */
export function refuseScope(globals: GlobalOptions, what: string): void {
  const given = [
    globals.chain === undefined ? null : '--chain',
    globals.testnet === true ? '--testnet' : null,
    globals.network === undefined ? null : '--network',
  ].filter((x) => x !== null);
  if (given.length > 0) {
    throw usageError(
      given.join(', '),
      `${what} covers every chain and network; it takes no ${given.join(' or ')}`,
    );
  }
}

export function hasScope(globals: GlobalOptions): boolean {
  return globals.chain !== undefined || globals.testnet === true || globals.network !== undefined;
}

/**
 * For commands about one wallet: --chain, --testnet and --network, when given (tatum-kms users pass
 * --testnet out of habit), must describe that wallet.
 */
export function checkScope(
  globals: GlobalOptions,
  wallet: { signatureId: string; chain: ChainId; network: NetworkName },
): void {
  const network = selectedNetwork(globals);
  const chain = globals.chain === undefined ? undefined : parseChain(globals.chain, '--chain');
  if (
    (network !== undefined && network !== wallet.network) ||
    (chain !== undefined && chain !== wallet.chain)
  ) {
    throw usageError(
      network !== undefined && network !== wallet.network
        ? globals.testnet === true
          ? '--testnet'
          : '--network'
        : '--chain',
      `wallet ${wallet.signatureId} is a ${wallet.chain} ${wallet.network} wallet`,
    );
  }
}

/** The network a new wallet is created on: mainnet unless --testnet/--network says otherwise. */
export function networkFor(chain: ChainId, globals: GlobalOptions): NetworkName {
  const network = selectedNetwork(globals) ?? 'mainnet';
  const supported = listNetworks(chain);
  if (!supported.includes(network)) {
    throw usageError('network', `${chain} has no ${network}; supported: ${supported.join(', ')}`);
  }
  return network;
}

/** Options of the commands that create wallets (generatemanagedwallet, storemanagedprivatekey, batches). */
export interface WalletOptions {
  user: string;
  asset?: string;
  label?: string;
}

/** --user, --asset and (unless batch) --label, as tatum-kms users know them. */
export function addWalletOptions(command: Command, label: boolean): Command {
  command
    .option('--user <id>', 'owner (user id) of the wallet', DEFAULT_USER_ID)
    .option('--asset <symbol>', "asset the wallet is for (default: the chain's native asset)");
  return label ? command.option('--label <text>', 'free-text label') : command;
}

/**
 * The CreateWalletInput of a command: owner (--user, default operator), asset (--asset, default the
 * chain's native asset), network (--testnet/--network, default mainnet) and --label when given.
 */
export function walletInput(chain: ChainId, opts: WalletOptions & GlobalOptions): CreateWalletInput {
  return {
    userId: parseText(opts.user, '--user', 200),
    chain,
    asset:
      opts.asset === undefined
        ? getChain(chain).nativeAsset.symbol
        : parseText(opts.asset, '--asset', 32).toUpperCase(),
    network: networkFor(chain, opts),
    ...(opts.label === undefined ? {} : { label: parseText(opts.label, '--label', 200) }),
  };
}

/** A decimal integer in [min, max]; no signs, exponents, fractions or hex. */
export function parseInteger(value: string, field: string, min: number, max: number): number {
  const text = value.trim();
  if (!/^\d{1,16}$/.test(text)) {
    throw usageError(field, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  const n = Number(text);
  if (n < min || n > max) {
    throw usageError(field, `must be from ${min} to ${max}, got ${text}`);
  }
  return n;
}

export function parseCount(value: string): number {
  return parseInteger(value, 'count', 1, MAX_BATCH);
}

export function parseIndex(value: string | undefined): number {
  return value === undefined ? 0 : parseInteger(value, 'index', 0, MAX_INDEX);
}

export function parsePendingDays(value: string): number {
  return parseInteger(value, '--pending-days', 7, 30);
}

export function parseStatus(value: string): WalletStatus {
  const upper = value.trim().toUpperCase().replace(/-/g, '_');
  const status = WALLET_STATUSES.find((s) => s === upper);
  if (status === undefined) {
    throw usageError(
      '--status',
      `unknown status ${JSON.stringify(value)}; one of ${WALLET_STATUSES.join(', ')}`,
    );
  }
  return status;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A signatureId is a UUID; anything else is refused before the service is asked. */
export function parseSignatureId(value: string): string {
  const text = value.trim();
  if (!UUID.test(text)) {
    throw usageError('signatureId', `expected a UUID such as 0b5d2f9e-…, got ${JSON.stringify(value)}`);
  }
  return text.toLowerCase();
}

/** Free text (user id, asset, label): non-empty, printable, bounded. */
export function parseText(value: string, field: string, maxLength: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > maxLength || /\p{Cc}/u.test(text)) {
    throw usageError(field, `expected 1 to ${maxLength} printable characters`);
  }
  return text;
}
