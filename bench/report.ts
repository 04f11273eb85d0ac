// Writes each section's results (bench/results/<name>.json and .md) and the summary that joins them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchEnvironment, SectionResult } from './section.js';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** A markdown table; cells are written as given. */
export const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

/** The target column of a table: plain "yes", bold "no" so a miss stands out. */
export const ok = (pass: boolean): string => (pass ? 'yes' : '**no**');

const describeEnvironment = (env: BenchEnvironment): string =>
  `${env.date} · Node ${env.node} · ${env.platform} · ${env.cores} × ${env.cpu} · load average ${env.loadAverage}`;

export async function writeSection(
  name: string,
  environment: BenchEnvironment,
  result: SectionResult,
): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = { environment, results: result.json };
  await writeFile(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(json, null, 2)}\n`);
  const markdown = `${result.markdown.trimEnd()}\n\n_Measured ${describeEnvironment(environment)}._\n`;
  await writeFile(`${RESULTS_DIR}${name}.md`, markdown);
}

async function readFragment(name: string): Promise<string | undefined> {
  try {
    return await readFile(`${RESULTS_DIR}${name}.md`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Joins the fragments of the given sections, in order, into summary.md; missing ones are listed. */
export async function writeSummary(sectionNames: readonly string[]): Promise<string> {
  const fragments: string[] = [];
  const missing: string[] = [];
  for (const name of sectionNames) {
    const fragment = await readFragment(name);
    if (fragment) fragments.push(fragment.trimEnd());
    else missing.push(name);
  }
  const notRun = missing.length ? [`_Not run yet: ${missing.join(', ')}._`] : [];
  const markdown = ['# kms-signer benchmarks', '', ...fragments.flatMap((f) => [f, '']), ...notRun].join(
    '\n',
  );
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(`${RESULTS_DIR}summary.md`, `${markdown.trimEnd()}\n`);
  return markdown;
}
