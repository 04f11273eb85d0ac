// Who may sign and whether this transaction should be signed now: exactly one TRON wallet, which must be the
// contract's owner_address; not expired (unless allowed); fee_limit under an optional cap.
import { deriveAddress, listNetworks, type NetworkName } from '../../chains/index.js';
import { tronAddressToHex } from '../../chains/addresses/tron.js';
import { SigningRefusedError, type PrepareRequestBase, type WalletKey } from '../types.js';
import { VALUE_FIELD, type TronTransaction } from './parse.js';

export interface TronSignOptions {
  /** Sign even when raw_data.expiration is not in the future. Default false: expired → refused. */
  allowExpired?: boolean;
  /** Clock for the expiry check, in milliseconds since the epoch. Default Date.now. */
  now?: () => number;
  /** Refuse when raw_data.fee_limit (sun) exceeds this. Default: no cap. */
  maxFeeLimitSun?: number;
}

export interface TronSigningWallet {
  wallet: WalletKey;
  network: NetworkName;
  /** The wallet's T… address. */
  address: string;
}

export function resolveTronWallet(request: PrepareRequestBase): TronSigningWallet {
  const { chain, network, wallets } = request;
  if (chain !== 'TRON') {
    throw new SigningRefusedError('CHAIN_MISMATCH', 'chain', `is ${chain}; this signer signs TRON only`);
  }
  const networks = listNetworks('TRON');
  if (!networks.includes(network)) {
    throw new SigningRefusedError(
      'CHAIN_MISMATCH',
      'network',
      `is ${network}; TRON networks are ${networks.join(', ')}`,
    );
  }
  const [wallet, ...others] = Array.isArray(wallets) ? wallets : [];
  if (wallet === undefined || others.length > 0) {
    throw new SigningRefusedError(
      'MISSING_INPUT_DATA',
      'wallets',
      `must hold exactly one wallet key (TRON transactions are single-key), got ${Array.isArray(wallets) ? wallets.length : 'none'}`,
    );
  }
  try {
    return { wallet, network, address: deriveAddress('TRON', network, wallet.publicKey) };
  } catch (error) {
    throw new SigningRefusedError('MISSING_INPUT_DATA', 'wallets[0].publicKey', (error as Error).message);
  }
}

export function assertOwnedBy(transaction: TronTransaction, address: string): void {
  const owner = String(transaction.raw_data.contract[0].parameter.value.owner_address);
  const ours = transaction.visible ? address : tronAddressToHex(address);
  const same = transaction.visible ? owner === ours : owner.toLowerCase() === ours;
  if (!same) {
    throw new SigningRefusedError(
      'SENDER_NOT_OURS',
      `${VALUE_FIELD}.owner_address`,
      `is ${owner}, not the signing wallet's ${ours} (${address})`,
    );
  }
}

export function assertSignableNow(transaction: TronTransaction, options: TronSignOptions = {}): void {
  const { expiration, fee_limit: feeLimit = 0 } = transaction.raw_data;
  if (options.allowExpired !== true) {
    const now = (options.now ?? Date.now)();
    if (!Number.isFinite(now)) throw new TypeError('options.now() must return milliseconds since the epoch');
    if (expiration <= now) {
      throw new SigningRefusedError(
        'EXPIRED',
        'raw_data.expiration',
        `the transaction expired at ${isoTime(expiration)} (now ${isoTime(now)}); a node would reject it`,
      );
    }
  }
  if (options.maxFeeLimitSun !== undefined && feeLimit > options.maxFeeLimitSun) {
    throw new SigningRefusedError(
      'FEE_TOO_HIGH',
      'raw_data.fee_limit',
      `is ${feeLimit} sun, above the configured cap of ${options.maxFeeLimitSun} sun`,
    );
  }
}

function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
