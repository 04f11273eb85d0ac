// Runs the wallet API on a plain Node server (`npm run serve`): configuration from the environment
// (see src/config), PORT (default 8080) and HOST (default 127.0.0.1). SIGINT/SIGTERM close the server
// first, then MongoDB, so in-flight requests finish.
import { createAppContext } from '../app-context.js';
import { loadConfig, redactError } from '../config/index.js';
import type { KmsWalletService } from '../wallets/index.js';
import { startApiServer } from './server.js';

/** How often this server looks for batches and status changes whose runner is gone. */
const RESUME_EVERY_MS = 30_000;

/** Resumes unfinished jobs now (after a restart) and periodically (another instance died); returns a stop. */
function resumeUnfinishedJobs(service: KmsWalletService): () => void {
  const sweep = () => {
    service.resumeUnfinished().then(
      (resumed) => {
        if (resumed.batches + resumed.operations > 0) {
          process.stderr.write(`kms-signer API: resumed ${JSON.stringify(resumed)}\n`);
        }
      },
      (error: unknown) => process.stderr.write(`kms-signer API: resume failed: ${redactError(error)}\n`),
    );
  };
  sweep();
  const timer = setInterval(sweep, RESUME_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}

async function main(): Promise<void> {
  const context = await createAppContext(loadConfig(process.env));
  const server = await startApiServer({
    port: Number(process.env.PORT ?? 8080),
    ...(process.env.HOST ? { host: process.env.HOST } : {}),
    context,
  });
  process.stderr.write(`kms-signer API listening on ${server.url}\n`);
  const stopResuming = resumeUnfinishedJobs(context.walletService);
  const shutdown = () => {
    stopResuming();
    void server
      .close()
      .then(() => context.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`kms-signer API: ${redactError(error)}\n`);
  process.exit(1);
});
