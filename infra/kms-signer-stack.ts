// The kms-signer stack: wallet API (HTTP API + IAM auth, stage throttling), scheduled signer, secrets,
// least-privilege KMS access, alarms, a dashboard, and optionally private networking, an ECS Fargate
// daemon and a CloudTrail trail. Wallet keys are NOT part of the stack: the
// API creates them at run time (tag Application=<appTag>), so they survive `cdk destroy`.
import {
  Aspects,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunctionResource, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { SignerAlarms } from './alarms.js';
import { ApprovalsDeployment, withApprovals } from './approvals.js';
import { chainNodesWiring } from './chain-nodes.js';
import { AuditTrail } from './audit-trail.js';
import type { StackConfig } from './config.js';
import { SignerDashboard } from './dashboard.js';
import { SignerDaemonService } from './ecs.js';
import { acknowledgeKmsWildcards, apiKmsStatements, signerKmsStatements } from './iam.js';
import { LAMBDA_ENTRY_FILE, LAMBDA_NODE_OPTIONS } from './bundling.js';
import { IacAcknowledgements } from './iac-acknowledgements.js';
import { lambdaCode } from './lambda-code.js';
import { LoopLogMetrics } from './log-metrics.js';
import { PrivateNetwork } from './network.js';
import { lambdaLoopEnvironment, signRateEnvironment } from './signer-runtime.js';

export interface KmsSignerStackProps extends StackProps {
  config: StackConfig;
}

const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
/** `index.handler`: the handler export of the bundle's entry file. */
const LAMBDA_HANDLER = `${LAMBDA_ENTRY_FILE.replace(/\.mjs$/, '')}.handler`;

export class KmsSignerStack extends Stack {
  readonly api: HttpApi;
  readonly apiFunction: LambdaFunctionResource;
  readonly signerFunction: LambdaFunctionResource;
  readonly tatumApiKeySecret: ISecret;
  readonly mongoUriSecret: ISecret;
  readonly alarms: SignerAlarms;
  readonly dashboard: SignerDashboard;
  readonly network: PrivateNetwork | undefined;
  readonly daemon: SignerDaemonService | undefined;
  readonly approvals: ApprovalsDeployment | undefined;

  constructor(scope: Construct, id: string, props: KmsSignerStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Filled by the operator after the first deploy (README: "Deploy with AWS CDK"). CloudFormation
    // generates a random placeholder; the functions only ever receive the ARNs.
    this.tatumApiKeySecret = new Secret(this, 'TatumApiKey', {
      description: `kms-signer ${config.stage}: Tatum API key (put the real value with put-secret-value)`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.mongoUriSecret = new Secret(this, 'MongoDbUri', {
      description: `kms-signer ${config.stage}: MongoDB connection string (mongodb:// or mongodb+srv://)`,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.network =
      config.vpc !== undefined ? new PrivateNetwork(this, 'Network', { vpc: config.vpc }) : undefined;
    const inVpc = this.network
      ? {
          vpc: this.network.vpc,
          vpcSubnets: this.network.subnets,
          securityGroups: [this.network.securityGroup],
        }
      : {};
    const namespace = `KmsSigner/${config.stage}`;

    const common = {
      APP_TAG: config.appTag,
      MONGODB_URI_SECRET_ARN: this.mongoUriSecret.secretArn,
      MONGODB_DB: config.mongoDb,
      KMS_CREATE_KEY_RATE: String(config.kmsCreateKeyRate),
      NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
      // Powertools Metrics (src/handlers/signer.ts): one namespace per stage, like the alarms'.
      POWERTOOLS_METRICS_NAMESPACE: namespace,
    };

    // ---- approvals service (kms-signer:approvals): the signer's four-eyes check goes to it ----
    this.approvals = config.approvals
      ? new ApprovalsDeployment(this, 'Approvals', {
          stage: config.stage,
          mongoUriSecret: this.mongoUriSecret,
          environment: common,
          ...(config.approvals.quorum !== undefined ? { quorum: config.approvals.quorum } : {}),
          requireTwoStep: config.approvals.requireTwoStep,
          vpcPlacement: inVpc,
          accessLogFormat: HTTP_API_ACCESS_LOG,
        })
      : undefined;
    const loop = withApprovals(config, this.approvals);
    const nodes = chainNodesWiring(this, config.chainNodesSecretArn);

    // ---- wallet API ----
    const apiRole = this.lambdaRole('ApiRole', 'kms-signer wallet API');
    const keyPolicy = { appTag: config.appTag, multiRegionKeys: config.multiRegionKeys };
    for (const statement of apiKmsStatements(keyPolicy)) apiRole.addToPolicy(statement);
    apiRole.addToPolicy(readSecrets([this.mongoUriSecret, ...nodes.secrets]));
    acknowledgeKmsWildcards(apiRole, 'api');
    const apiLogs = this.logGroup('ApiLogs');
    apiLogs.grantWrite(apiRole);
    this.apiFunction = new LambdaFunctionResource(this, 'ApiFunction', {
      description: 'kms-signer wallet API (Hono on Lambda, IAM-authorized HTTP API)',
      code: lambdaCode('api'),
      handler: LAMBDA_HANDLER,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(29),
      role: apiRole,
      logGroup: apiLogs,
      // Each API instance paces CreateKey at KMS_CREATE_KEY_RATE on its own; this caps the instances.
      reservedConcurrentExecutions: config.apiReservedConcurrency,
      ...inVpc,
      environment: {
        ...common,
        API_AUTH: 'iam',
        // Each new wallet key's policy lets only this role tag it (src/kms/key-ownership.ts).
        KMS_KEY_OWNER_ROLE_ARN: apiRole.roleArn,
        ...(config.multiRegionKeys ? { KMS_MULTI_REGION_KEYS: 'true' } : {}),
        ...nodes.lambdaEnvironment,
      },
    });

    const accessLogs = this.logGroup('ApiAccessLogs');
    this.api = new HttpApi(this, 'HttpApi', {
      description: `kms-signer ${config.stage} wallet API`,
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
      defaultIntegration: new HttpLambdaIntegration('ApiIntegration', this.apiFunction),
    });
    new HttpStage(this, 'HttpApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(HTTP_API_ACCESS_LOG)),
      },
    });

    // ---- scheduled signer ----
    const signerRole = this.lambdaRole('SignerRole', 'kms-signer scheduled signer');
    for (const statement of signerKmsStatements(config.appTag, config.kmsSignQuotaCode)) {
      signerRole.addToPolicy(statement);
    }
    signerRole.addToPolicy(
      readSecrets([this.mongoUriSecret, this.tatumApiKeySecret, ...loop.secrets, ...nodes.secrets]),
    );
    acknowledgeKmsWildcards(signerRole, 'signer');
    const signerLogs = this.logGroup('SignerLogs');
    signerLogs.grantWrite(signerRole);
    const deadLetterQueue = new Queue(this, 'SignerDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // One invocation covers one schedule period (the handler stops before its remaining time runs out).
    const timeout = Duration.minutes(Math.min(15, config.scheduleRateMinutes));
    this.signerFunction = new LambdaFunctionResource(this, 'SignerFunction', {
      description: 'kms-signer scheduled signer (Tatum pending transactions)',
      code: lambdaCode('signer'),
      handler: LAMBDA_HANDLER,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      timeout,
      role: signerRole,
      logGroup: signerLogs,
      reservedConcurrentExecutions: config.signerReservedConcurrency,
      deadLetterQueue,
      retryAttempts: 0,
      ...inVpc,
      environment: {
        ...common,
        TATUM_API_KEY_SECRET_ARN: this.tatumApiKeySecret.secretArn,
        SIGNER_JOB_BUDGET_MS: '15000',
        ...lambdaLoopEnvironment(loop.config),
        ...loop.lambdaEnvironment,
        ...nodes.lambdaEnvironment,
        ...signRateEnvironment(config),
      },
    });
    const rate = config.scheduleRateMinutes;
    new Rule(this, 'SignerSchedule', {
      description: 'Runs the kms-signer signing loop',
      schedule: Schedule.expression(rate === 1 ? 'rate(1 minute)' : `rate(${rate} minutes)`),
      targets: [new LambdaFunction(this.signerFunction, { retryAttempts: 0, deadLetterQueue })],
    });
    // Wallet operations and key batches answer 202 and run afterwards; on Lambda nothing runs them between
    // requests, so the API function (whose role has the key-administration permissions) is also invoked
    // every minute to resume what is unfinished (src/api/maintenance.ts).
    new Rule(this, 'WalletMaintenance', {
      description: 'Resumes unfinished kms-signer wallet operations and key batches',
      schedule: Schedule.expression('rate(1 minute)'),
      targets: [new LambdaFunction(this.apiFunction, { retryAttempts: 0 })],
    });

    if (config.enableEcs) {
      this.daemon = new SignerDaemonService(this, 'Daemon', {
        config: loop.config,
        containerSecrets: { ...loop.containerSecrets, ...nodes.containerSecrets },
        environment: {
          ...common,
          TATUM_API_KEY_SECRET_ARN: this.tatumApiKeySecret.secretArn,
          ...signRateEnvironment(config),
        },
        secrets: [this.mongoUriSecret, this.tatumApiKeySecret, ...nodes.secrets],
        ...(this.network ? { network: this.network } : {}),
      });
    }
    const signerLoop = new LoopLogMetrics(this, 'SignerLoopMetrics', { namespace, logGroup: signerLogs });
    const daemonMetrics = this.daemon ? this.daemonMetrics(this.daemon, `${namespace}/ecs`) : undefined;

    const approvalsMetrics = this.approvals
      ? { approvals: { function: this.approvals.function, api: this.approvals.api } }
      : {};
    this.alarms = new SignerAlarms(this, 'Alarms', {
      stage: config.stage,
      signer: this.signerFunction,
      signerLogGroup: signerLogs,
      signerLoop,
      api: this.api,
      deadLetterQueue,
      heartbeatMinutes: config.heartbeatMinutes,
      ...(config.alarmTopicArn !== undefined ? { alarmTopicArn: config.alarmTopicArn } : {}),
      ...(daemonMetrics ? { daemon: daemonMetrics } : {}),
      ...approvalsMetrics,
    });
    this.dashboard = new SignerDashboard(this, 'Dashboard', {
      stage: config.stage,
      namespace,
      api: this.api,
      apiFunction: this.apiFunction,
      apiLogGroup: apiLogs,
      signerFunction: this.signerFunction,
      loops: daemonMetrics ? [signerLoop, daemonMetrics.loop] : [signerLoop],
      ...(daemonMetrics ? { daemon: daemonMetrics } : {}),
      ...approvalsMetrics,
    });
    if (config.cloudTrail) new AuditTrail(this, 'AuditTrail');

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'TatumApiKeySecretArn', { value: this.tatumApiKeySecret.secretArn });
    new CfnOutput(this, 'MongoDbUriSecretArn', { value: this.mongoUriSecret.secretArn });
    new CfnOutput(this, 'SignerDeadLetterQueueUrl', { value: deadLetterQueue.queueUrl });

    this.acknowledgeNagFindings([this.tatumApiKeySecret, this.mongoUriSecret], deadLetterQueue);
    Aspects.of(this).add(new IacAcknowledgements());
  }

  /** Loop metrics of the daemon's log, and its heartbeat: one `daemon --json` line per pass. */
  private daemonMetrics(daemon: SignerDaemonService, namespace: string) {
    const loop = new LoopLogMetrics(this, 'DaemonLoopMetrics', { namespace, logGroup: daemon.logGroup });
    const passes = new MetricFilter(this, 'DaemonPassesFilter', {
      logGroup: daemon.logGroup,
      filterPattern: FilterPattern.numberValue('$.pass', '>', 0),
      metricNamespace: namespace,
      metricName: 'DaemonPasses',
      metricValue: '1',
      defaultValue: 0,
    }).metric({ statistic: 'Sum', period: Duration.minutes(1) });
    return { service: daemon.service, loop, passes };
  }

  private lambdaRole(id: string, description: string): Role {
    return new Role(this, id, {
      description,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
  }

  private logGroup(id: string): LogGroup {
    return new LogGroup(this, id, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  private acknowledgeNagFindings(secrets: IConstruct[], deadLetterQueue: IConstruct): void {
    for (const secret of secrets) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'A third-party Tatum API key and an external MongoDB connection string cannot be rotated by a ' +
          'Secrets Manager rotation Lambda; the operator rotates them at the provider and puts the new value.',
      });
    }
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue for failed asynchronous signer invocations.',
    });
  }
}

/**
 * HTTP API access-log fields ($context variables of HTTP APIs, not REST APIs:
 * docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html). With IAM
 * authorization, identity.userArn is the caller's IAM principal.
 */
export const HTTP_API_ACCESS_LOG = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  sourceIp: '$context.identity.sourceIp',
  userArn: '$context.identity.userArn',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
} as const;

/** secretsmanager:GetSecretValue on exactly these secrets (no DescribeSecret, no wildcard). */
function readSecrets(secrets: ISecret[]): PolicyStatement {
  return new PolicyStatement({
    sid: 'ReadOwnSecrets',
    effect: Effect.ALLOW,
    actions: ['secretsmanager:GetSecretValue'],
    resources: secrets.map((s) => s.secretArn),
  });
}
