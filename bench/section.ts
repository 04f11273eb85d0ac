// The contract every benchmark section follows, so `npm run bench` can run all or some of them
// (BENCH_ONLY=overhead,throughput) and rebuild the summary from whatever results exist.

export interface BenchEnvironment {
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  /** 1-minute load average when the run started: figures from a busy machine are upper bounds. */
  loadAverage: number;
  date: string;
}

export interface SectionResult {
  /** Written to bench/results/<name>.json together with the environment. */
  json: unknown;
  /** A markdown fragment starting with a `## ` heading; written to bench/results/<name>.md. */
  markdown: string;
}

export interface BenchSection {
  /** File name and BENCH_ONLY key, e.g. 'throughput'. */
  name: string;
  /** One line shown on stderr before the section runs. */
  description: string;
  run(environment: BenchEnvironment): Promise<SectionResult>;
}
