// CloudWatch alarms: signer errors, KMS throttling, nonce gaps, internal errors, SOL broadcasts expired
// unlanded, missing heartbeat, API 5xx, dead letters; for the ECS daemon: no running task, no pass, KMS
// throttling, nonce gaps, internal errors, expired SOL broadcasts; for the approvals service: function errors
// and 5xx (while it fails, the loop's four-eyes checks wait and nothing is signed).
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Metric,
  TreatMissingData,
  type IMetric,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { FargateService } from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { runningTasks } from './dashboard.js';
import type { LoopLogMetrics } from './log-metrics.js';

export interface SignerAlarmsProps {
  stage: string;
  signer: IFunction;
  signerLogGroup: ILogGroup;
  api: HttpApi;
  deadLetterQueue: IQueue;
  heartbeatMinutes: number;
  alarmTopicArn?: string;
  /** Loop metrics of the Lambda signer's log (infra/log-metrics.ts). */
  signerLoop: LoopLogMetrics;
  daemon?: { service: FargateService; loop: LoopLogMetrics; passes: Metric };
  /** The approvals service (kms-signer:approvals), when deployed. */
  approvals?: { function: IFunction; api: HttpApi };
}

export class SignerAlarms extends Construct {
  readonly namespace: string;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: SignerAlarmsProps) {
    super(scope, id);
    this.namespace = `KmsSigner/${props.stage}`;
    const actions: IAlarmAction[] =
      props.alarmTopicArn !== undefined
        ? [new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn))]
        : [];
    const add = (alarm: Alarm): void => {
      for (const action of actions) alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };

    add(
      anyInFiveMinutes(
        this,
        'SignerErrors',
        functionErrors(props.signer),
        'The signer Lambda failed (unhandled error or timeout).',
      ),
    );

    add(loopEventAlarm(this, 'NonceGap', props.signerLoop, 'NonceGaps', 'the signer'));
    add(loopEventAlarm(this, 'InternalErrors', props.signerLoop, 'InternalErrors', 'the signer'));
    add(loopEventAlarm(this, 'BroadcastExpired', props.signerLoop, 'BroadcastsExpired', 'the signer'));

    // KMS ThrottlingException anywhere in the signer's log (the vault retries, then logs the error).
    add(loopEventAlarm(this, 'KmsThrottling', props.signerLoop, 'KmsThrottling', 'the signer'));

    // Heartbeat: src/handlers/signer.ts logs {"event":"invocation-done",...} after every invocation.
    const heartbeat = new MetricFilter(this, 'HeartbeatFilter', {
      logGroup: props.signerLogGroup,
      filterPattern: FilterPattern.stringValue('$.event', '=', 'invocation-done'),
      metricNamespace: this.namespace,
      metricName: 'SignerInvocationsDone',
      metricValue: '1',
    });
    add(
      new Alarm(this, 'SignerHeartbeat', {
        alarmDescription: `No signer invocation completed in ${props.heartbeatMinutes} minutes.`,
        metric: heartbeat.metric({ period: Duration.minutes(props.heartbeatMinutes), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    );

    add(anyInFiveMinutes(this, 'Api5xx', serverErrors(props.api), 'The wallet API answered 5xx.'));

    add(
      anyInFiveMinutes(
        this,
        'DeadLetters',
        new Metric({
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensionsMap: { QueueName: props.deadLetterQueue.queueName },
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        'Failed asynchronous signer invocations reached the dead-letter queue.',
      ),
    );

    if (props.daemon) {
      const { service, loop, passes } = props.daemon;
      add(
        new Alarm(this, 'DaemonNotRunning', {
          alarmDescription: 'The ECS signing daemon has no running task.',
          metric: runningTasks(service).with({ period: Duration.minutes(5) }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.BREACHING,
        }),
      );
      // `daemon --json` prints one line per pass (infra/signer-runtime.ts); none for a while = stuck.
      add(
        new Alarm(this, 'DaemonHeartbeat', {
          alarmDescription: `No ECS daemon pass completed in ${props.heartbeatMinutes} minutes.`,
          metric: passes.with({ period: Duration.minutes(props.heartbeatMinutes), statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.BREACHING,
        }),
      );
      add(loopEventAlarm(this, 'DaemonKmsThrottling', loop, 'KmsThrottling', 'the ECS daemon'));
      add(loopEventAlarm(this, 'DaemonNonceGap', loop, 'NonceGaps', 'the ECS daemon'));
      add(loopEventAlarm(this, 'DaemonInternalErrors', loop, 'InternalErrors', 'the ECS daemon'));
      add(loopEventAlarm(this, 'DaemonBroadcastExpired', loop, 'BroadcastsExpired', 'the ECS daemon'));
    }

    if (props.approvals) {
      const why = 'four-eyes checks wait and no withdrawal is signed until it answers again';
      add(
        anyInFiveMinutes(
          this,
          'ApprovalsErrors',
          functionErrors(props.approvals.function),
          `The approvals service failed (unhandled error or timeout): ${why}.`,
        ),
      );
      add(
        anyInFiveMinutes(
          this,
          'Approvals5xx',
          serverErrors(props.approvals.api),
          `The approvals service answered 5xx: ${why}.`,
        ),
      );
    }
  }
}

const FIVE_MINUTES = Duration.minutes(5);

/** Fires when `metric` (over 5 minutes) reaches 1: any failure at all is worth a look. */
function anyInFiveMinutes(scope: Construct, id: string, metric: IMetric, description: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

const functionErrors = (fn: IFunction) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' });
const serverErrors = (api: HttpApi) => api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });

/** What each loop log metric's alarm tells the operator, for the runner named `who`. */
const LOOP_EVENT_ALARMS = {
  KmsThrottling: (who: string) =>
    `KMS throttled ${who} (ThrottlingException); check KMS quotas and KMS_SIGN_RATE.`,
  NonceGaps: (who: string) =>
    `${who} reported a nonce gap: an EVM transaction waits behind a nonce no job holds; see the nonce-gap log ` +
    "line (wallet, missing nonces) — the wallet's next withdrawal or an operator's transaction fills it.",
  InternalErrors: (who: string) =>
    `${who} hit an unexpected error before signing (a bug or a library error); the job is retried, not ` +
    'reported, until the give-up age — see the job-internal-error log line (reason and stack).',
  BroadcastsExpired: (who: string) =>
    `${who} found a SOL transaction Tatum completed that never landed (blockhash expired); see the ` +
    'broadcast-expired log line — nothing was spent, the withdrawal must be queued again at Tatum.',
} as const;

/** Any occurrence in five minutes of a loop log metric pages an operator. */
function loopEventAlarm(
  scope: Construct,
  id: string,
  loop: LoopLogMetrics,
  metric: keyof typeof LOOP_EVENT_ALARMS,
  who: string,
): Alarm {
  return anyInFiveMinutes(
    scope,
    id,
    loop.metric(metric, 'Sum', FIVE_MINUTES),
    LOOP_EVENT_ALARMS[metric](who),
  );
}
