// Reads: one wallet, pages, the export stream, the report and the health check.
import { ListKeysCommand } from '@aws-sdk/client-kms';
import type { Filter } from 'mongodb';
import { PENDING_PREFIX, type WalletDoc } from '../db/index.js';
import type { ChainId, NetworkName } from '../chains/index.js';
import type { ListWalletsQuery, WalletPage, WalletReport, WalletStatus, WalletView } from './contract.js';
import type { ServiceContext, WalletCollections } from './context.js';
import { notFound, toWalletError } from './errors.js';
import { checkListQuery, checkSignatureId, invalid, type NormalizedListQuery } from './validation.js';
import { decodeCursor, encodeCursor, walletView } from './views.js';

const ORDER = { createdAt: 1, signatureId: 1 } as const;
/** KMS bills each customer-managed key $1 per month (prorated hourly); keys pending deletion are free. */
export const KEY_MONTHLY_COST_USD = 1;
const HEALTH_TIMEOUT_MS = 2_000;

export async function getWallet(ctx: WalletCollections, rawSignatureId: string): Promise<WalletView> {
  const doc = await ctx.wallets.findOne({ _id: checkSignatureId(rawSignatureId) });
  if (!doc) throw notFound();
  return walletView(doc);
}

export async function getWallets(
  ctx: WalletCollections,
  rawSignatureIds: readonly string[],
): Promise<Map<string, WalletView>> {
  const wanted = new Map<string, string[]>();
  for (const raw of new Set(rawSignatureIds)) {
    let id: string;
    try {
      id = checkSignatureId(raw);
    } catch {
      continue; // cannot name a wallet: absent, as an unknown one
    }
    wanted.set(id, [...(wanted.get(id) ?? []), raw]);
  }
  const views = new Map<string, WalletView>();
  if (wanted.size === 0) return views;
  for (const doc of await ctx.wallets.find({ _id: { $in: [...wanted.keys()] } }).toArray()) {
    const view = walletView(doc);
    for (const raw of wanted.get(doc._id) ?? []) views.set(raw, view);
  }
  return views;
}

function toFilter(filter: NormalizedListQuery['filter']): Filter<WalletDoc> {
  const out: Filter<WalletDoc> = {};
  if (filter.userId !== undefined) out.userId = filter.userId;
  if (filter.chain !== undefined) out.chain = filter.chain;
  if (filter.network !== undefined) out.network = filter.network;
  if (filter.status !== undefined) out.status = filter.status;
  return out;
}

export async function listWallets(ctx: ServiceContext, query: ListWalletsQuery): Promise<WalletPage> {
  const { filter, limit, cursor } = checkListQuery(query);
  const where = toFilter(filter);
  if (cursor !== undefined) {
    const after = decodeCursor(cursor);
    where.$or = [
      { createdAt: { $gt: after.createdAt } },
      { createdAt: after.createdAt, signatureId: { $gt: after.signatureId } },
    ];
  }
  const docs = await ctx.wallets
    .find(where)
    .sort(ORDER)
    .limit(limit + 1)
    .toArray();
  const items = docs.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(walletView),
    nextCursor: docs.length > limit && last ? encodeCursor(last) : null,
  };
}

export async function* exportWallets(
  ctx: ServiceContext,
  query: Omit<ListWalletsQuery, 'cursor' | 'limit'> = {},
): AsyncGenerator<WalletView> {
  const { filter } = checkListQuery(query);
  const cursor = ctx.wallets.find(toFilter(filter)).sort(ORDER);
  try {
    for await (const doc of cursor) yield walletView(doc);
  } catch (error) {
    throw toWalletError(error);
  } finally {
    await cursor.close();
  }
}

/**
 * The signing loop's wallets: ACTIVE ones of (chain, network), in `wallets` only (index-0 keys; Tatum
 * asks by wallet signatureId, never by wallet_keys entry). The chain_network_status_signatureId index
 * (migration 3) serves the counts and the id lists from its keys alone on MongoDB.
 */
function activeFilter(chain: ChainId, network: NetworkName): Filter<WalletDoc> {
  return toFilter(checkListQuery({ chain, network, status: 'ACTIVE' }).filter);
}

/** One query for every chain: a server that scans (FerretDB 1.24) scans once, not once per chain. */
export async function countActiveWallets(
  ctx: WalletCollections,
  chains: readonly ChainId[],
  network: NetworkName,
): Promise<Map<ChainId, number>> {
  for (const chain of chains) checkListQuery({ chain, network }); // a known chain, a network it has
  const counts = new Map<ChainId, number>(chains.map((chain) => [chain, 0]));
  if (counts.size === 0) return counts;
  const groups = await ctx.wallets
    .aggregate<{ _id: ChainId; n: number }>([
      { $match: { chain: { $in: [...counts.keys()] }, network, status: 'ACTIVE' } },
      { $group: { _id: '$chain', n: { $sum: 1 } } },
    ])
    .toArray();
  for (const { _id, n } of groups) counts.set(_id, n);
  return counts;
}

export async function activeSignatureIds(
  ctx: WalletCollections,
  chain: ChainId,
  network: NetworkName,
  limit?: number,
): Promise<string[]> {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw invalid('limit', 'must be a positive integer');
  }
  // _id excluded and sorted on the index's last key: a covered query (index keys only) on MongoDB.
  const cursor = ctx.wallets
    .find(activeFilter(chain, network), { projection: { _id: 0, signatureId: 1 } })
    .sort({ signatureId: 1 });
  if (limit !== undefined) cursor.limit(limit);
  const docs = await cursor.toArray();
  return docs.map((doc) => doc.signatureId);
}

export async function report(ctx: ServiceContext): Promise<WalletReport> {
  const groups = await ctx.wallets
    .aggregate<{ _id: { status: WalletStatus; chain: ChainId; network: NetworkName }; n: number }>([
      { $group: { _id: { status: '$status', chain: '$chain', network: '$network' }, n: { $sum: 1 } } },
    ])
    .toArray();
  const byStatus: Record<WalletStatus, number> = { CREATING: 0, ACTIVE: 0, DISABLED: 0, PENDING_DELETION: 0 };
  const byChain = new Map<string, { chain: ChainId; network: NetworkName; wallets: number }>();
  let wallets = 0;
  for (const { _id, n } of groups) {
    wallets += n;
    byStatus[_id.status] += n;
    const key = `${_id.chain}/${_id.network}`;
    const entry = byChain.get(key) ?? { chain: _id.chain, network: _id.network, wallets: 0 };
    entry.wallets += n;
    byChain.set(key, entry);
  }

  // Keys that exist in KMS: every record past the placeholder stage.
  const placeholder = { kmsKeyId: { $regex: `^${PENDING_PREFIX}` } };
  const [placeholderWallets, indexKeys, placeholderIndexKeys, pendingIds] = await Promise.all([
    ctx.wallets.countDocuments(placeholder),
    ctx.walletKeys.countDocuments({}),
    ctx.walletKeys.countDocuments(placeholder),
    ctx.wallets
      .find({ status: 'PENDING_DELETION' }, { projection: { _id: 1 } })
      .map((d) => d._id)
      .toArray(),
  ]);
  let pendingIndexKeys = 0;
  for (let i = 0; i < pendingIds.length; i += 500) {
    pendingIndexKeys += await ctx.walletKeys.countDocuments({
      signatureId: { $in: pendingIds.slice(i, i + 500) },
    });
  }
  const keys = wallets - placeholderWallets + indexKeys - placeholderIndexKeys;
  const billable = keys - byStatus.PENDING_DELETION - pendingIndexKeys;
  return {
    totals: { wallets, byStatus, keys },
    byChain: [...byChain.values()].sort(
      (a, b) => a.chain.localeCompare(b.chain) || a.network.localeCompare(b.network),
    ),
    estimatedMonthlyKeyCostUsd: billable * KEY_MONTHLY_COST_USD,
  };
}

async function probe(check: (signal: AbortSignal) => Promise<unknown>): Promise<'ok' | 'down'> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(controller.signal),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Error('timeout'));
        }, HEALTH_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export async function health(ctx: ServiceContext): Promise<{ mongo: 'ok' | 'down'; kms: 'ok' | 'down' }> {
  const [mongo, kms] = await Promise.all([
    probe(() => ctx.db.command({ ping: 1 }, { timeoutMS: HEALTH_TIMEOUT_MS })),
    probe((abortSignal) => ctx.kms.send(new ListKeysCommand({ Limit: 1 }), { abortSignal })),
  ]);
  return { mongo, kms };
}
