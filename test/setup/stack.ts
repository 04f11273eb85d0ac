// vitest globalSetup of the `integration` project: starts the local stand-ins once per run (or uses
// the endpoints from AWS_ENDPOINT_URL / MONGODB_URI / EVM_RPC_URL / BTC_RPC_URL, see
// scripts/stack/index.ts), hands the endpoints to the tests through `provide`/`inject`, and stops
// everything in the returned teardown.
import type { TestProject } from 'vitest/node';
import { formatStartupTimes, startStack, type StackEndpoints } from '../../scripts/stack/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startStack();
  project.provide('stack', stack.endpoints);
  process.stderr.write(`[test stack] started: ${formatStartupTimes(stack.startupMs)}\n`);
  return () => stack.stop();
}
