// Pins the schedule, the secrets, the API authorization, the alarms, the DLQ and log retention.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../../infra/config.js';
import { App } from 'aws-cdk-lib';
import { HTTP_API_ACCESS_LOG } from '../../../infra/kms-signer-stack.js';
import { statementsOf, synthStack } from './harness.js';

const ECS_CONTEXT = {
  'kms-signer:enableEcs': 'true',
  'kms-signer:ecsImage': 'public.ecr.aws/x/kms-signer:1',
};

vi.setConfig({ testTimeout: 60_000 }); // each synthesis takes seconds on a loaded machine

const { stack, template } = synthStack();
const ref = (id: string) => ({
  Ref: stack.getLogicalId(stack.node.findChild(id).node.defaultChild as never),
});

interface FnProps {
  Environment: { Variables: Record<string, unknown> };
  Runtime: string;
  Architectures: string[];
  ReservedConcurrentExecutions?: number;
  LoggingConfig?: unknown;
}
const functions = () =>
  Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: FnProps }[];

describe('Lambda functions', () => {
  it('are two Node 24 ARM64 functions', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    for (const fn of functions()) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('pass secrets as ARNs only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
      Environment: {
        Variables: Match.objectEquals({
          APP_TAG: 'kms-signer-dev',
          MONGODB_URI_SECRET_ARN: ref('MongoDbUri'),
          MONGODB_DB: 'kms-signer',
          KMS_CREATE_KEY_RATE: '5',
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_METRICS_NAMESPACE: 'KmsSigner/dev',
          API_AUTH: 'iam',
          // Not a secret: the role each new wallet key's policy lets tag it once (src/kms/key-ownership.ts).
          KMS_KEY_OWNER_ROLE_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiRole'), 'Arn'] },
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 2,
      Environment: {
        Variables: Match.objectEquals({
          APP_TAG: 'kms-signer-dev',
          MONGODB_URI_SECRET_ARN: ref('MongoDbUri'),
          MONGODB_DB: 'kms-signer',
          KMS_CREATE_KEY_RATE: '5',
          // The whole account quota (1,000/s) shared by the reserved concurrency of 2.
          KMS_SIGN_QUOTA: '1000',
          KMS_SIGN_RUNNERS: '2',
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_METRICS_NAMESPACE: 'KmsSigner/dev',
          TATUM_API_KEY_SECRET_ARN: ref('TatumApiKey'),
          SIGNER_NETWORK: 'testnet',
          SIGNER_PERIOD_SECONDS: '5',
          SIGNER_JOB_BUDGET_MS: '15000',
          EXTERNAL_URL_METHOD: 'GET',
        }),
      },
      DeadLetterConfig: {
        TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SignerDeadLetterQueue'), 'Arn'] },
      },
    });
    for (const fn of functions()) {
      for (const name of Object.keys(fn.Properties.Environment.Variables)) {
        expect(name).not.toMatch(/^(MONGODB_URI|TATUM_API_KEY|API_KEY_HASHES)$/);
      }
    }
  });

  it('log to groups with a retention period', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('takes context values', () => {
    const s = synthStack({
      'kms-signer:tatumNetwork': 'mainnet',
      'kms-signer:signerReservedConcurrency': 5,
      'kms-signer:scheduleRateMinutes': 2,
      'kms-signer:externalUrl': 'https://approve.example.com',
      'kms-signer:kmsSignRate': 900,
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
      Timeout: 120,
      Environment: {
        Variables: Match.objectLike({
          SIGNER_NETWORK: 'mainnet',
          EXTERNAL_URL: 'https://approve.example.com',
          KMS_SIGN_RATE: '900',
          KMS_SIGN_RUNNERS: '5',
        }),
      },
    });
    s.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(2 minutes)' });
  });

  it('shares the Sign quota among the signer runners and lets them read its applied value', () => {
    const s = synthStack({
      ...ECS_CONTEXT,
      'kms-signer:kmsSignQuota': 1200,
      'kms-signer:kmsSignQuotaCode': 'L-0A1B2C3D',
    });
    const share = { KMS_SIGN_QUOTA: '1200', KMS_SIGN_RUNNERS: '3', KMS_SIGN_QUOTA_CODE: 'L-0A1B2C3D' };
    // Reserved concurrency 2 + one daemon task: each paces itself at 1,200 / 3 = 400 Sign/s.
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike(share) },
    });
    const env = Object.entries(share).map(([Name, Value]) => ({ Name, Value }));
    s.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith(env) })],
    });
    const quotaArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':servicequotas:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':kms/L-0A1B2C3D',
        ],
      ],
    };
    const readQuota = {
      Sid: 'ReadKmsSignQuota',
      Action: 'servicequotas:GetServiceQuota',
      Resource: quotaArn,
    };
    for (const role of [s.stack.signerFunction.role!, s.stack.daemon!.task.taskRole]) {
      expect(statementsOf(s.stack, s.template, role)).toContainEqual(expect.objectContaining(readQuota));
    }
    const api = statementsOf(s.stack, s.template, s.stack.apiFunction.role!);
    expect(api.map((st) => st.Sid)).not.toContain('ReadKmsSignQuota');
    expect(() => readConfig(new App({ context: { 'kms-signer:kmsSignQuotaCode': 'ecc' } }).node)).toThrow(
      /kmsSignQuotaCode/,
    );
  });

  it('rejects invalid context', () => {
    const bad = (context: Record<string, unknown>) => () => readConfig(new App({ context }).node);
    expect(bad({ 'kms-signer:tatumNetwork': 'regtest' })).toThrow(/tatumNetwork/);
    expect(bad({ 'kms-signer:signerReservedConcurrency': 0 })).toThrow(/signerReservedConcurrency/);
    expect(bad({ 'kms-signer:vpc': 'my-vpc' })).toThrow(/vpc/);
    expect(bad({ 'kms-signer:prod:account': '12345' })).not.toThrow(); // another stage's value
    expect(() =>
      readConfig(new App({ context: { 'kms-signer:prod:account': '12345' } }).node, 'prod'),
    ).toThrow(/account/);
    expect(bad({ 'kms-signer:tatumNetwork': 'mainnet' })).toThrow(/externalUrl/);
    expect(bad({ 'kms-signer:externalUrl': 'ftp://x' })).toThrow(/externalUrl/);
  });
});

describe('schedule', () => {
  it('invokes the signer every minute', () => {
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [stack.getLogicalId(stack.signerFunction.node.defaultChild as never), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('invokes the API function every minute to resume unfinished wallet operations and batches', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Description: Match.stringLikeRegexp('Resumes unfinished'),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [stack.getLogicalId(stack.apiFunction.node.defaultChild as never), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
  });
});

describe('secrets', () => {
  it('creates the Tatum API key and MongoDB URI secrets, retained on destroy', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: { Description: Match.stringLikeRegexp('Tatum API key') },
    });
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: { Description: Match.stringLikeRegexp('MongoDB connection string') },
    });
  });
});

describe('HTTP API', () => {
  it('authorizes every route with AWS_IAM and logs access', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as {
      Properties: { AuthorizationType: string; RouteKey: string };
    }[];
    expect(routes.map((r) => r.Properties.RouteKey)).toEqual(['$default']);
    for (const r of routes) expect(r.Properties.AuthorizationType).toBe('AWS_IAM');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('logs HTTP API context variables, never REST-only ones', () => {
    const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage')) as {
      Properties: { AccessLogSettings: { Format: string } };
    }[];
    const format = JSON.parse(stages[0]!.Properties.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toEqual(HTTP_API_ACCESS_LOG);
    expect(Object.values(format)).toContain('$context.routeKey');
    for (const v of Object.values(format))
      expect(v).not.toMatch(/resourcePath|identity\.caller|identity\.user$/);
  });

  it('throttles the stage and caps the API function', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    const s = synthStack({
      'kms-signer:apiRateLimit': 50,
      'kms-signer:apiBurstLimit': 100,
      'kms-signer:apiReservedConcurrency': 3,
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 3,
      Environment: { Variables: Match.objectLike({ API_AUTH: 'iam' }) },
    });
  });
});

describe('alarms', () => {
  it('has the eight alarms', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    // An unexpected error before signing (src/tatum/job-errors.ts) is retried silently: the alarm says so.
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "job-internal-error" }',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'InternalErrors', MetricNamespace: 'KmsSigner/dev', DefaultValue: 0 }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KmsSigner/dev',
      MetricName: 'InternalErrors',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    // A broadcast-expired line (src/tatum/reconcile.ts: a SOL broadcast that never landed) pages too.
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "broadcast-expired" }',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'BroadcastsExpired', MetricNamespace: 'KmsSigner/dev' }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KmsSigner/dev',
      MetricName: 'BroadcastsExpired',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    // A nonce-gap line (src/tatum/nonce-gaps.ts) counted from the signer's log pages an operator.
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "nonce-gap" }',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'NonceGaps', MetricNamespace: 'KmsSigner/dev' }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KmsSigner/dev',
      MetricName: 'NonceGaps',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KmsSigner/dev',
      MetricName: 'KmsThrottling',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KmsSigner/dev',
      MetricName: 'SignerInvocationsDone',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
  });

  it('feeds throttling and heartbeat metrics from the signer log', () => {
    const signerLogs = ref('SignerLogs');
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: signerLogs,
      FilterPattern: '"ThrottlingException"',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'KmsThrottling', MetricNamespace: 'KmsSigner/dev', MetricValue: '1' }),
      ],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: signerLogs,
      FilterPattern: '{ $.event = "invocation-done" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'SignerInvocationsDone', MetricValue: '1' })],
    });
  });

  it('notifies an SNS topic when one is given', () => {
    const arn = 'arn:aws:sns:us-east-1:123456789012:ops';
    const s = synthStack({ 'kms-signer:alarmTopicArn': arn });
    s.template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [arn] });
  });
});

describe('dead-letter queue', () => {
  it('is encrypted and TLS-only', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('optional ECS daemon', () => {
  it('is absent by default', () => {
    template.resourceCountIs('AWS::ECS::Service', 0);
  });

  it('runs `daemon` on Fargate ARM64 with the signer permissions and alarms', () => {
    const s = synthStack({
      'kms-signer:enableEcs': 'true',
      'kms-signer:ecsImage': 'public.ecr.aws/x/kms-signer:1',
    });
    s.template.resourceCountIs('AWS::ECS::Service', 1);
    s.template.resourceCountIs('AWS::EC2::NatGateway', 0);
    s.template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
    s.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Image: 'public.ecr.aws/x/kms-signer:1',
          Command: [
            'daemon',
            '--json',
            '--network',
            'testnet',
            '--period',
            '5',
            '--externalUrlMethod',
            'GET',
          ],
          User: 'node',
          ReadonlyRootFilesystem: true,
        }),
      ],
    });
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'SignDigestsWithOwnSecp256k1Keys', Action: 'kms:Sign' }),
        ]),
      },
    });
    // 8 Lambda alarms + daemon not running, heartbeat, KMS throttling, nonce gap, internal errors, expired SOL
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', 14);
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ECS/ContainerInsights',
      MetricName: 'RunningTaskCount',
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KmsSigner/dev/ecs',
      MetricName: 'DaemonPasses',
      ComparisonOperator: 'LessThanThreshold',
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KmsSigner/dev/ecs',
      MetricName: 'KmsThrottling',
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KmsSigner/dev/ecs',
      MetricName: 'InternalErrors',
    });
  });

  it('pulls a private ECR image with the execution role', () => {
    const s = synthStack({
      'kms-signer:enableEcs': 'true',
      'kms-signer:ecsImage': '123456789012.dkr.ecr.us-east-1.amazonaws.com/kms-signer:v1',
    });
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:123456789012:repository/kms-signer'],
              ],
            },
          }),
          Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('DaemonTaskExecutionRole') }],
    });
  });
});
