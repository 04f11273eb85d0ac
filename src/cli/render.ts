// Human-readable output. Everything shown is public: ids, addresses, public keys, KMS key ids/ARNs.
import type {
  BatchView,
  ReconcileReport,
  WalletKeyView,
  WalletReport,
  WalletView,
} from '../wallets/contract.js';

type Row = readonly [string, string];

/** `name  value` lines with the values aligned. */
export function table(rows: readonly Row[], indent = ''): string[] {
  const width = Math.max(0, ...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${indent}${name.padEnd(width)}  ${value}`.trimEnd());
}

function date(value: Date | null): string {
  return value === null ? '-' : value.toISOString();
}

export function renderWallet(wallet: WalletView): string[] {
  return table([
    ['signatureId', wallet.signatureId],
    ['chain', `${wallet.chain} (${wallet.network})`],
    ['asset', wallet.asset],
    ['userId', wallet.userId],
    ['label', wallet.label ?? '-'],
    ['status', wallet.status],
    ['address', wallet.address],
    ...wallet.addresses.map(({ format, address }): Row => [`  ${format}`, address]),
    ...(wallet.flowAccount
      ? [['flowAccount', `key ${wallet.flowAccount.keyIndex} (${wallet.flowAccount.hashAlgorithm})`] as Row]
      : []),
    ['publicKey', wallet.publicKey],
    ['keyOrigin', wallet.keyOrigin],
    ['kmsKeyId', wallet.kmsKeyId],
    ['kmsKeyArn', wallet.kmsKeyArn],
    ['deletionDate', date(wallet.deletionDate)],
    ['createdAt', date(wallet.createdAt)],
    ['updatedAt', date(wallet.updatedAt)],
  ]);
}

export function renderKey(signatureId: string, key: WalletKeyView): string[] {
  return table([
    ['signatureId', signatureId],
    ['index', String(key.index)],
    ['address', key.address],
    ...key.addresses.map(({ format, address }): Row => [`  ${format}`, address]),
    ['publicKey', key.publicKey],
    ['kmsKeyId', key.kmsKeyId],
  ]);
}

export function renderBatch(batch: BatchView): string[] {
  return [
    ...table([
      ['batchId', batch.batchId],
      ['chain', `${batch.chain} (${batch.network})`],
      ['asset', batch.asset],
      ['userId', batch.userId],
      ['status', batch.status],
      ['created', `${batch.created}/${batch.count}`],
      ...(batch.error === null ? [] : [['error', batch.error] as Row]),
    ]),
    ...(batch.signatureIds.length > 0 ? ['signatureIds:', ...batch.signatureIds.map((id) => `  ${id}`)] : []),
  ];
}

export function renderReport(report: WalletReport): string[] {
  const { totals } = report;
  const byStatus = Object.entries(totals.byStatus)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const lines = table([
    ['wallets', `${totals.wallets} (${byStatus})`],
    ['KMS keys', String(totals.keys)],
    [
      'estimated key cost',
      `$${report.estimatedMonthlyKeyCostUsd.toFixed(2)}/month (KMS bills $1 per key per month; keys pending deletion are free)`,
    ],
  ]);
  lines.push('by chain:');
  if (report.byChain.length === 0) lines.push('  (no wallets)');
  lines.push(
    ...table(
      report.byChain.map((c): Row => [`${c.chain} ${c.network}`, String(c.wallets)]),
      '  ',
    ),
  );
  return lines;
}

export function renderReconcile(report: ReconcileReport): string[] {
  const lines = [report.dryRun ? 'reconcile (dry run: nothing was changed)' : 'reconcile'];
  const section = (title: string, entries: string[]): void => {
    lines.push(`${title}: ${entries.length}`);
    lines.push(...entries.map((e) => `  ${e}`));
  };
  section(
    'KMS keys without a record',
    report.keysWithoutRecord.map((k) => `${k.kmsKeyId} signatureId=${k.signatureId ?? '-'} → ${k.action}`),
  );
  section(
    'records without a usable key',
    report.recordsWithoutKey.map((r) => `${r.signatureId} kmsKeyId=${r.kmsKeyId ?? '-'} → ${r.action}`),
  );
  section(
    'unfinished records',
    report.unfinished.map((u) => `${u.signatureId} → ${u.action}`),
  );
  return lines;
}

const URI_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)([^/@?]*@)?([^/?]*)([^?]*)(\?.*)?$/i;

/**
 * A connection string as checkconfig shows it: scheme, hosts and path; credentials become `****` and
 * the query (which can carry passwords or tokens) is left out.
 */
export function maskUri(uri: string): string {
  const m = URI_PARTS.exec(uri.trim());
  if (m === null) return '(set; not a URI, hidden)';
  const [, scheme = '', credentials, hosts = '', path = '', query] = m;
  return `${scheme}${credentials === undefined ? '' : '****@'}${hosts}${path}${query === undefined ? '' : '?…'}`;
}
