// `npm run bench` (issue #7): runs every benchmark section, or those named in BENCH_ONLY (comma-separated),
// writes bench/results/<section>.json and .md (git-ignored), and rebuilds bench/results/summary.md from the
// fragments present, so a partial run keeps the other sections' latest figures.
import { cpus, loadavg } from 'node:os';
import { coldStartSection } from './cold-start.js';
import { evmCompletionSection } from './evm-completion.js';
import { fetchScaleSection } from './fetch-scale.js';
import { localstackSection } from './localstack.js';
import { throughputSection } from './throughput.js';
import { kmsCallsSection, overheadSection } from './overhead.js';
import { writeSection, writeSummary } from './report.js';
import type { BenchEnvironment, BenchSection } from './section.js';

const SECTIONS: readonly BenchSection[] = [
  overheadSection,
  kmsCallsSection,
  throughputSection,
  fetchScaleSection,
  localstackSection,
  coldStartSection,
  evmCompletionSection,
];

function selectedSections(): BenchSection[] {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!only?.length) return [...SECTIONS];
  const unknown = only.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length) {
    const known = SECTIONS.map((section) => section.name).join(', ');
    throw new Error(`BENCH_ONLY names unknown section(s) ${unknown.join(', ')}; known: ${known}`);
  }
  return SECTIONS.filter((section) => only.includes(section.name));
}

const environment: BenchEnvironment = {
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpu: cpus()[0]?.model ?? 'unknown CPU',
  cores: cpus().length,
  loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  date: new Date().toISOString(),
};

for (const section of selectedSections()) {
  console.error(`${section.name}: ${section.description}…`);
  const started = performance.now();
  const result = await section.run(environment);
  await writeSection(section.name, environment, result);
  console.error(`${section.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.log(await writeSummary(SECTIONS.map((section) => section.name)));
