// The real application behind the CLI: configuration from the environment (+ --env-file), then
// MongoDB, migrations, the KMS client and the wallet service (src/app-context.ts). Loaded by run.ts
// only when a command needs it.
import { createAppContext } from '../app-context.js';
import { loadCliConfig } from './config-summary.js';
import type { CliContext, CliEnv, ConfigSource } from './io.js';

export async function createDefaultContext(env: CliEnv, source: ConfigSource): Promise<CliContext> {
  const app = await createAppContext(loadCliConfig(env, source), { chainEnv: env });
  return { walletService: app.walletService, db: app.db, close: () => app.close() };
}
