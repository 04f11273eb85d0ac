// The operations dashboard (README "Dashboard" has its layout as a diagram): signatures per minute by
// chain, KMS throttles and retries, job outcomes, four-eyes latency and refusals, API 4xx/5xx, wallet
// creations, Lambda duration and errors, and the ECS daemon when it is enabled.
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { FargateService } from 'aws-cdk-lib/aws-ecs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOOP_EVENT_METRICS, type LoopLogMetrics } from './log-metrics.js';

export interface SignerDashboardProps {
  stage: string;
  namespace: string;
  api: HttpApi;
  apiFunction: IFunction;
  apiLogGroup: ILogGroup;
  signerFunction: IFunction;
  /** Loop metrics of each runtime: the Lambda signer, and the ECS daemon when enabled. */
  loops: LoopLogMetrics[];
  daemon?: { service: FargateService; passes: Metric };
  /** The approvals service (kms-signer:approvals), when deployed. */
  approvals?: { function: IFunction; api: HttpApi };
}

const MINUTE = Duration.minutes(1);
const WIDTH = 8;

/** The widget titles, in order (the README diagram and the stack test list them). */
export const DASHBOARD_WIDGETS = [
  'Signatures per minute by chain',
  'KMS throttles and retries',
  'Job outcomes per minute',
  'Four-eyes latency (ms)',
  'Four-eyes refusals',
  'API requests, 4xx, 5xx',
  'Wallet creations',
  'Lambda duration p99 (ms)',
  'Lambda errors and throttles',
  'Pending at Tatum by chain (max per fetch)',
] as const;
export const DAEMON_WIDGETS = [
  'ECS daemon CPU and memory (%)',
  'ECS daemon running tasks and passes',
] as const;

export const APPROVALS_WIDGETS = ['Approvals service: requests, 4xx, 5xx, errors'] as const;

export class SignerDashboard extends Construct {
  readonly dashboard: Dashboard;
  readonly walletsCreated: Metric;

  constructor(scope: Construct, id: string, props: SignerDashboardProps) {
    super(scope, id);
    // The API logs one JSON line per request (src/api/request-log.ts); a created wallet is a 201 on POST /v1/wallets.
    new MetricFilter(this, 'WalletsCreatedFilter', {
      logGroup: props.apiLogGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.msg', '=', 'request'),
        FilterPattern.stringValue('$.method', '=', 'POST'),
        FilterPattern.stringValue('$.route', '=', '/v1/wallets'),
        FilterPattern.numberValue('$.status', '=', 201),
      ),
      metricNamespace: props.namespace,
      metricName: 'WalletsCreated',
      metricValue: '1',
      defaultValue: 0,
    });
    this.walletsCreated = new Metric({
      namespace: props.namespace,
      metricName: 'WalletsCreated',
      period: MINUTE,
      statistic: 'Sum',
    });

    const perLoop = (f: (loop: LoopLogMetrics) => IMetric[]): IMetric[] => props.loops.flatMap(f);
    const label = (loop: LoopLogMetrics, text: string) =>
      `${text}${loop.namespace.endsWith('/ecs') ? ' (ECS)' : ''}`;
    const total = (loop: LoopLogMetrics, name: keyof typeof LOOP_EVENT_METRICS) =>
      new MathExpression({
        expression: `SUM(${loop.searchByChain(name)})`,
        label: label(loop, name),
        period: MINUTE,
      });

    const widgets: IWidget[] = [
      graph(
        DASHBOARD_WIDGETS[0],
        perLoop((loop) => [
          new MathExpression({
            expression: loop.searchByChain('Broadcast'),
            label: label(loop, ''),
            period: MINUTE,
          }),
        ]),
      ),
      graph(
        DASHBOARD_WIDGETS[1],
        perLoop((loop) => [
          loop.metric('KmsThrottling').with({ label: label(loop, 'throttles') }),
          loop.metric('KmsRetries').with({ label: label(loop, 'retries') }),
        ]),
      ),
      graph(
        DASHBOARD_WIDGETS[2],
        perLoop((loop) => [
          total(loop, 'Broadcast'),
          total(loop, 'BroadcastFailed'),
          total(loop, 'JobsFailed'),
          total(loop, 'JobErrors'),
          // Not by chain: an unexpected error before signing, retried (src/tatum/job-errors.ts).
          loop.metric('InternalErrors').with({ label: label(loop, 'job-internal-error') }),
        ]),
      ),
      graph(
        DASHBOARD_WIDGETS[3],
        perLoop((loop) =>
          ['p50', 'p99', 'Maximum'].map((stat) =>
            loop.metric('FourEyeLatency', stat).with({ label: label(loop, stat) }),
          ),
        ),
      ),
      graph(
        DASHBOARD_WIDGETS[4],
        perLoop((loop) => [loop.metric('FourEyeRefusals').with({ label: label(loop, 'refusals') })]),
      ),
      graph(DASHBOARD_WIDGETS[5], [
        props.api.metricCount({ period: MINUTE, statistic: 'Sum', label: 'requests' }),
        props.api.metricClientError({ period: MINUTE, statistic: 'Sum', label: '4xx' }),
        props.api.metricServerError({ period: MINUTE, statistic: 'Sum', label: '5xx' }),
      ]),
      graph(DASHBOARD_WIDGETS[6], [
        this.walletsCreated.with({ label: 'wallets created (POST /v1/wallets 201)' }),
      ]),
      graph(DASHBOARD_WIDGETS[7], [
        props.apiFunction.metricDuration({ period: MINUTE, statistic: 'p99', label: 'API' }),
        props.signerFunction.metricDuration({ period: MINUTE, statistic: 'p99', label: 'signer' }),
      ]),
      graph(DASHBOARD_WIDGETS[8], [
        props.apiFunction.metricErrors({ period: MINUTE, statistic: 'Sum', label: 'API errors' }),
        props.signerFunction.metricErrors({ period: MINUTE, statistic: 'Sum', label: 'signer errors' }),
        props.apiFunction.metricThrottles({ period: MINUTE, statistic: 'Sum', label: 'API throttles' }),
        props.signerFunction.metricThrottles({ period: MINUTE, statistic: 'Sum', label: 'signer throttles' }),
      ]),
      graph(
        DASHBOARD_WIDGETS[9],
        perLoop((loop) => [
          new MathExpression({
            expression: loop.searchByChain('PendingAtTatum', 'Maximum'),
            label: label(loop, ''),
            period: MINUTE,
          }),
        ]),
      ),
    ];
    if (props.daemon) {
      const { service, passes } = props.daemon;
      widgets.push(
        graph(DAEMON_WIDGETS[0], [
          service.metricCpuUtilization({ period: MINUTE, label: 'CPU' }),
          service.metricMemoryUtilization({ period: MINUTE, label: 'memory' }),
        ]),
        graph(DAEMON_WIDGETS[1], [
          runningTasks(service).with({ label: 'running tasks' }),
          passes.with({ label: 'daemon passes' }),
        ]),
      );
    }
    if (props.approvals) {
      const { api, function: fn } = props.approvals;
      widgets.push(
        graph(APPROVALS_WIDGETS[0], [
          api.metricCount({ period: MINUTE, statistic: 'Sum', label: 'requests' }),
          api.metricClientError({ period: MINUTE, statistic: 'Sum', label: '4xx' }),
          api.metricServerError({ period: MINUTE, statistic: 'Sum', label: '5xx' }),
          fn.metricErrors({ period: MINUTE, statistic: 'Sum', label: 'function errors' }),
        ]),
      );
    }
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `kms-signer-${props.stage}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# kms-signer ${props.stage}\n` +
          "Job outcomes come from the signing loop's log lines (broadcast, broadcast-failed = signed and " +
          'waiting for a broadcast retry, job-failed, job-error = retried next pass). Pending = what Tatum ' +
          'listed for a chain at each fetch.',
        width: 24,
        height: 2,
      }),
    );
    for (let i = 0; i < widgets.length; i += 3) this.dashboard.addWidgets(...widgets.slice(i, i + 3));
  }
}

function graph(title: string, left: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left, width: WIDTH, height: 6 });
}

/** ECS Container Insights' running task count of one service. */
export function runningTasks(service: FargateService): Metric {
  return new Metric({
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
    period: MINUTE,
    statistic: 'Minimum',
  });
}
