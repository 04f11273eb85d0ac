// Writes bench/results/<name>.json and the markdown summary of a benchmark run.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ColdStartRow } from './cold-start.js';
import { QUOTA_RPS, type KmsCallsRow, type OverheadRow } from './overhead.js';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export interface BenchResults {
  environment: { node: string; platform: string; cpu: string; date: string };
  overhead: OverheadRow[];
  kmsCalls: KmsCallsRow[];
  coldStart: ColdStartRow[];
}

export async function writeJson(name: string, value: unknown): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(value, null, 2)}\n`);
}

const table = (head: string[], rows: (string | number)[][]): string =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

const ok = (pass: boolean): string => (pass ? 'yes' : '**no**');

export function summaryMarkdown(results: BenchResults): string {
  const { environment: env } = results;
  return [
    '# kms-signer benchmarks',
    '',
    `${env.date} · Node ${env.node} · ${env.platform} · ${env.cpu}`,
    '',
    `## Local overhead per signature (KMS replaced by a precomputed DER signature)`,
    '',
    table(
      [
        'Measured',
        'Sigs/run',
        'Median/run µs',
        'p99/run µs',
        'µs per sig (median)',
        `Core share @ ${QUOTA_RPS}/s`,
        '≤ 500 µs',
      ],
      results.overhead.map((r) => [
        r.name,
        r.signaturesPerRun,
        r.perRun.medianUs,
        r.perRun.p99Us,
        r.perSignatureUs,
        `${r.coreShareAtQuotaPct} %`,
        ok(r.perSignatureUs <= 500),
      ]),
    ),
    '',
    '## KMS calls per transaction',
    '',
    table(
      ['Transaction', 'Inputs', 'DigestSigner calls', 'KMS requests', 'Sign per input (target 1)'],
      results.kmsCalls.map((r) => [
        r.name,
        r.inputs,
        r.digestSignerCalls,
        Object.entries(r.kmsRequests)
          .map(([name, count]) => `${name} ×${count}`)
          .join(', '),
        `${r.kmsSignPerInput} ${r.kmsSignPerInput === 1 ? '' : '(**off target**)'}`.trim(),
      ]),
    ),
    '',
    '## Cold start (import of the bundled handler in a fresh `node`, median of 5)',
    '',
    table(
      ['Handler', 'Bundle', 'Size', '< 1 MB', 'Import ms (median)', 'Runs ms', '< 300 ms'],
      results.coldStart.map((r) => [
        r.handler,
        r.variant,
        `${(r.bundleBytes / 1_048_576).toFixed(2)} MiB`,
        ok(r.bundleBytes < 1_048_576),
        r.importMedianMs,
        r.importRunsMs.join(', '),
        ok(r.importMedianMs < 300),
      ]),
    ),
    '',
  ].join('\n');
}

export async function writeSummary(results: BenchResults): Promise<string> {
  const markdown = summaryMarkdown(results);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(`${RESULTS_DIR}summary.md`, markdown);
  return markdown;
}
