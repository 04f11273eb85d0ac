// Input checks. Everything here runs before the first write: bad input never leaves a record or a KMS
// key behind. Errors are WalletError('VALIDATION', "<field>: <reason>", field).
import {
  getChain,
  isChainId,
  isNetworkName,
  listNetworks,
  retiredChainReason,
  type ChainId,
  type NetworkName,
} from '../chains/index.js';
import { allowedAssets, canonicalAsset } from './assets.js';
import { WalletError, type ListWalletsQuery, type WalletStatus } from './contract.js';

export const MAX_INDEX = 2 ** 31 - 1;
export const MAX_BATCH = 10_000;
const STATUSES: readonly WalletStatus[] = ['CREATING', 'ACTIVE', 'DISABLED', 'PENDING_DELETION'];

export function invalid(field: string, reason: string): WalletError {
  return new WalletError('VALIDATION', `${field}: ${reason}`, field);
}

export interface NormalizedWalletInput {
  userId: string;
  chain: ChainId;
  asset: string;
  network: NetworkName;
  label: string | null;
  index: number | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function checkUserId(value: unknown, field = 'userId'): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  const userId = value.trim();
  if (userId === '') throw invalid(field, 'must not be empty');
  if (userId.length > 128) throw invalid(field, 'must be at most 128 characters');
  return userId;
}

export function checkChain(value: unknown, field = 'chain'): ChainId {
  if (typeof value !== 'string' || !isChainId(value)) {
    const retired = typeof value === 'string' ? retiredChainReason(value) : undefined;
    throw invalid(field, retired === undefined ? 'is not a supported chain' : `is not supported: ${retired}`);
  }
  return value;
}

export function checkNetwork(chain: ChainId, value: unknown, field = 'network'): NetworkName {
  const networks = listNetworks(chain);
  if (typeof value !== 'string' || !isNetworkName(value) || !networks.includes(value)) {
    throw invalid(field, `must be one of ${networks.join(', ')} for ${chain}`);
  }
  return value;
}

export function checkAsset(chain: ChainId, value: unknown, field = 'asset'): string {
  const asset = typeof value === 'string' ? canonicalAsset(chain, value) : undefined;
  if (asset === undefined)
    throw invalid(field, `must be one of ${allowedAssets(chain).join(', ')} on ${chain}`);
  return asset;
}

export function checkIndex(value: unknown, field = 'index'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_INDEX) {
    throw invalid(field, `must be an integer from 0 to ${MAX_INDEX}`);
  }
  return value;
}

export function checkSignatureId(value: unknown): string {
  if (
    typeof value !== 'string' ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  ) {
    // Not a UUID cannot name a wallet: report it as unknown rather than as bad input.
    throw new WalletError('NOT_FOUND', 'no such wallet');
  }
  return value.toLowerCase();
}

export function checkCreateInput(input: unknown): NormalizedWalletInput {
  if (!isRecord(input)) throw invalid('body', 'must be an object');
  const userId = checkUserId(input.userId);
  const chain = checkChain(input.chain);
  const network = checkNetwork(chain, input.network);
  const asset = checkAsset(chain, input.asset);
  let label: string | null = null;
  if (input.label !== undefined && input.label !== null) {
    if (typeof input.label !== 'string') throw invalid('label', 'must be a string');
    if (input.label.length > 128) throw invalid('label', 'must be at most 128 characters');
    label = input.label;
  }
  let index: number | null = null;
  if (input.index !== undefined && input.index !== null) {
    index = checkIndex(input.index);
    if (index === 0) index = null; // index 0 is the wallet key itself
    if (index !== null && getChain(chain).addressFormats.length === 0) {
      // FLOW: the account and its key index are registered after creation, not derived from an index.
      throw invalid('index', `${chain} wallets have one key; register it with its chain account instead`);
    }
  }
  return { userId, chain, asset, network, label, index };
}

export function checkPendingWindow(value: unknown): number {
  if (value === undefined) return 30;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 7 || value > 30) {
    throw invalid('pendingWindowDays', 'must be a whole number of days from 7 to 30');
  }
  return value;
}

export function checkBatchCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_BATCH) {
    throw invalid('count', `must be an integer from 1 to ${MAX_BATCH}`);
  }
  return value;
}

export interface NormalizedListQuery {
  filter: { userId?: string; chain?: ChainId; network?: NetworkName; status?: WalletStatus };
  limit: number;
  cursor: string | undefined;
}

export function checkListQuery(
  query: Omit<ListWalletsQuery, 'cursor' | 'limit'> & Partial<ListWalletsQuery>,
): NormalizedListQuery {
  const filter: NormalizedListQuery['filter'] = {};
  if (query.userId !== undefined) filter.userId = checkUserId(query.userId);
  if (query.chain !== undefined) filter.chain = checkChain(query.chain);
  if (query.network !== undefined) {
    if (!isNetworkName(query.network)) throw invalid('network', 'is not a known network');
    if (filter.chain) checkNetwork(filter.chain, query.network);
    filter.network = query.network;
  }
  if (query.status !== undefined) {
    if (!STATUSES.includes(query.status)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
    filter.status = query.status;
  }
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalid('limit', 'must be an integer from 1 to 100');
  return { filter, limit, cursor: query.cursor };
}
