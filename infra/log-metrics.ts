// Metrics derived from the signing loop's JSON log lines, the same for the Lambda signer and the ECS
// daemon (both log the loop's `event` entries: src/tatum/loop.ts, src/handlers/signer.ts). Deriving them
// from logs keeps one source for both runtimes and needs no code in the signing path.
import { Duration } from 'aws-cdk-lib';
import { Metric, Unit } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** One metric per log event; `byChain` metrics carry a Chain dimension from the line's `chain` field. */
export const LOOP_EVENT_METRICS = {
  Broadcast: { event: 'broadcast', byChain: true },
  JobsFailed: { event: 'job-failed', byChain: true },
  BroadcastFailed: { event: 'broadcast-failed', byChain: true },
  JobErrors: { event: 'job-error', byChain: true },
  ChainErrors: { event: 'chain-error', byChain: true },
  KmsRetries: { event: 'kms-retry', byChain: false },
  // An EVM transaction unmined behind a nonce no job holds (src/tatum/nonce-gaps.ts).
  NonceGaps: { event: 'nonce-gap', byChain: false },
  // An unexpected error before signing (a bug, a library error): retried, never reported (src/tatum/job-errors.ts).
  InternalErrors: { event: 'job-internal-error', byChain: false },
  // A SOL broadcast Tatum completed whose blockhash expired before it landed (src/tatum/reconcile.ts).
  BroadcastsExpired: { event: 'broadcast-expired', byChain: false },
} as const;

export type LoopMetricName =
  keyof typeof LOOP_EVENT_METRICS | 'KmsThrottling' | 'FourEyeRefusals' | 'FourEyeLatency';

/** By-chain metrics: the event counters, and the pending count Tatum listed at each fetch. */
export type ByChainMetricName = keyof typeof LOOP_EVENT_METRICS | 'PendingAtTatum';

export interface LoopLogMetricsProps {
  /** KmsSigner/<stage> for the Lambda signer, KmsSigner/<stage>/ecs for the daemon (metric filter
   * dimensions can only be log fields, so the runtime is told apart by namespace). */
  namespace: string;
  logGroup: ILogGroup;
}

export class LoopLogMetrics extends Construct {
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: LoopLogMetricsProps) {
    super(scope, id);
    this.namespace = props.namespace;
    const dimensions = (byChain: boolean) =>
      byChain ? { dimensions: { Chain: '$.chain' } } : { defaultValue: 0 };
    for (const [name, { event, byChain }] of Object.entries(LOOP_EVENT_METRICS)) {
      new MetricFilter(this, `${name}Filter`, {
        logGroup: props.logGroup,
        filterPattern: FilterPattern.stringValue('$.event', '=', event),
        metricNamespace: props.namespace,
        metricName: name,
        metricValue: '1',
        ...dimensions(byChain),
      });
    }
    // A four-eyes refusal fails the job with this reason (src/tatum/loop.ts).
    new MetricFilter(this, 'FourEyeRefusalsFilter', {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.event', '=', 'job-failed'),
        FilterPattern.stringValue('$.error', '=', 'four-eyes check refused*'),
      ),
      metricNamespace: props.namespace,
      metricName: 'FourEyeRefusals',
      metricValue: '1',
      defaultValue: 0,
    });
    // Four-eyes latency in milliseconds, one value per check (src/tatum/loop.ts `four-eye` line).
    new MetricFilter(this, 'FourEyeLatencyFilter', {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.stringValue('$.event', '=', 'four-eye'),
      metricNamespace: props.namespace,
      metricName: 'FourEyeLatency',
      metricValue: '$.ms',
      unit: Unit.MILLISECONDS,
    });
    // Transactions Tatum listed as pending at each fetch, per chain (src/tatum/pending-count.ts).
    new MetricFilter(this, 'PendingAtTatumFilter', {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.stringValue('$.event', '=', 'pending'),
      metricNamespace: props.namespace,
      metricName: 'PendingAtTatum',
      metricValue: '$.count',
      dimensions: { Chain: '$.chain' },
    });
    // Every retried KMS throttle is logged (kms-retry lines, and the error once retries run out).
    new MetricFilter(this, 'KmsThrottlingFilter', {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.anyTerm('ThrottlingException'),
      metricNamespace: props.namespace,
      metricName: 'KmsThrottling',
      metricValue: '1',
      defaultValue: 0,
    });
  }

  /** A metric without the Chain dimension (by-chain metrics: use searchByChain). */
  metric(name: LoopMetricName, statistic = 'Sum', period = Duration.minutes(1)): Metric {
    return new Metric({ namespace: this.namespace, metricName: name, period, statistic });
  }

  /** A search over every chain's series of a by-chain metric (one line per chain on a graph). */
  searchByChain(name: ByChainMetricName, statistic = 'Sum'): string {
    return `SEARCH('{${this.namespace},Chain} MetricName="${name}"', '${statistic}', 60)`;
  }
}
