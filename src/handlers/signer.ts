// AWS Lambda entry point of the Tatum signing loop, invoked by an EventBridge schedule (rate(1 minute)).
// Each invocation repeats passes every SIGNER_PERIOD_SECONDS until its remaining time runs short
// (src/tatum/scheduled.ts). MongoDB, KMS and the Tatum client are built on the first invocation and kept
// for the life of the execution environment. Run it with reserved concurrency 1 or more: job leases
// make overlapping invocations safe.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AppConfig } from '../config/index.js';
import { loadConfig } from '../config/index.js';
import { secretIntoProcessEnv, withSecretFromArn } from '../config/secret-env.js';
import { NODE_MAP_VARIABLE } from '../chain-view/endpoint.js';
import { loadLoopEnv, loadTatumConfig } from '../tatum/config.js';
import { createDaemonDeps } from '../tatum/daemon.js';
import { SigningLoop } from '../tatum/loop.js';
import { reportPendingCounts } from '../tatum/pending-count.js';
import { checkAllowedDestinations } from '../tatum/policy.js';
import { runScheduledPasses, type InvocationClock, type ScheduledRunResult } from '../tatum/scheduled.js';

// Powertools structured JSON logs; `event` keys are top-level fields, which the CDK metric filters read
// (heartbeat: event = invocation-done; throttling: ThrottlingException in kms-retry lines).
const logger = new Logger({ serviceName: 'kms-signer-signer' });
// CloudWatch embedded-metric-format counters per invocation; the stack sets the stage's namespace
// (KmsSigner/<stage>) in POWERTOOLS_METRICS_NAMESPACE so stages sharing an account stay apart.
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'KmsSigner',
  serviceName: 'kms-signer-signer',
});

let loopPromise: Promise<{ loop: SigningLoop; periodMs: number; jobBudgetMs: number }> | undefined;

async function build(env: NodeJS.ProcessEnv) {
  const config: AppConfig = loadConfig(env);
  const tatum = loadTatumConfig(env);
  // FOUR_EYE_SECRET_ARN (the stack's approvals service): the HMAC key shared with it, read once here.
  const settings = loadLoopEnv(
    await withSecretFromArn(env, 'FOUR_EYE_SECRET', 'FOUR_EYE_SECRET_ARN', config.aws),
  );
  await checkAllowedDestinations(tatum.policy, settings.network, settings.chains);
  // KMS_SIGNER_RPC_NODES_ARN (kms-signer:chainNodesSecretArn): the chains' node URLs, which may hold keys.
  await secretIntoProcessEnv(NODE_MAP_VARIABLE, `${NODE_MAP_VARIABLE}_ARN`, config.aws);
  const { deps, context } = await createDaemonDeps(config, tatum, {
    onKmsRetry: (retry) => {
      logger.warn('KMS request retried', { event: 'kms-retry', ...retry });
      metrics.addMetric(
        retry.error.startsWith('ThrottlingException') ? 'KmsThrottles' : 'KmsRetries',
        MetricUnit.Count,
        1,
      );
    },
  });
  // This runner's share of the KMS Sign quota, and whether Service Quotas could be read.
  logger.info('KMS Sign rate', { event: 'sign-rate', ...context.signRate });
  const { chainViewsFor, ...loopDeps } = deps;
  const loop = new SigningLoop({
    ...loopDeps,
    api: reportPendingCounts(loopDeps.api, (entry) => {
      logger.info('pending', entry);
    }),
    ...(chainViewsFor ? { chainViews: chainViewsFor(settings.network) } : {}),
    chains: settings.chains,
    network: settings.network,
    concurrency: settings.concurrency,
    writeBatchesInFlight: settings.writeBatchesInFlight,
    walletRefreshMs: settings.walletRefreshMs,
    policy: tatum.policy,
    // A job cut off by the Lambda timeout is free again after this lease.
    leaseMs: settings.jobBudgetMs * 2,
    reportRetriesAfterMs: settings.reportRetriesAfterMs,
    externalUrlMethod: settings.externalUrlMethod,
    ...(settings.externalUrl ? { externalUrl: settings.externalUrl } : {}),
    ...(settings.fourEyeSecret ? { fourEyeSecret: settings.fourEyeSecret } : {}),
    log: (entry) => {
      logger.info(typeof entry.event === 'string' ? entry.event : 'signing-loop', entry);
    },
  });
  return { loop, periodMs: settings.periodSeconds * 1000, jobBudgetMs: settings.jobBudgetMs };
}

export async function handler(_event: unknown, context: InvocationClock): Promise<ScheduledRunResult> {
  loopPromise ??= build(process.env);
  loopPromise.catch(() => (loopPromise = undefined));
  const { loop, periodMs, jobBudgetMs } = await loopPromise;
  const result = await runScheduledPasses(loop, context, { periodMs, jobBudgetMs });
  logger.info('invocation done', { event: 'invocation-done', ...result });
  metrics.addMetric('Passes', MetricUnit.Count, result.passes);
  metrics.addMetric('Broadcast', MetricUnit.Count, result.broadcast);
  metrics.addMetric('Failed', MetricUnit.Count, result.failed);
  metrics.addMetric('Retry', MetricUnit.Count, result.retry);
  metrics.publishStoredMetrics();
  return result;
}
