// Optional ECS Fargate service running `kms-signer daemon` (sub-minute polling), enabled with context
// kms-signer:enableEcs=true. On par with the Lambda signer: the same loop settings (signer-runtime.ts),
// the same KMS and secret permissions, alarms of its own. The image is the repository's Dockerfile built
// as a CDK asset (linux/arm64), or kms-signer:ecsImage; an ECR image gets pull permissions.
// Without kms-signer:vpc it uses a minimal VPC with public subnets (no NAT gateway cost, no inbound).
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  SecurityGroup,
  SubnetType,
  Vpc,
  type ISecurityGroup,
  type IVpc,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import {
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs';
import { IgnoreMode } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Secret as EcsSecret } from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import type { StackConfig } from './config.js';
import { acknowledgeKmsWildcards, signerKmsStatements } from './iam.js';
import { DAEMON_TASK_COUNT, daemonCommand, daemonEnvironment } from './signer-runtime.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The image's unprivileged user (Dockerfile `USER node`, uid 1000 in the node images). */
export const DAEMON_USER = 'node';
/** The one writable path in the container (an ephemeral task volume; the root filesystem is read-only). */
export const DAEMON_TMP = '/tmp';

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]` */
const ECR_URI =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+?)(?::([\w.-]+))?$/;

export interface SignerDaemonServiceProps {
  config: StackConfig;
  environment: Record<string, string>;
  secrets: ISecret[];
  /** Secret values ECS injects as environment variables (read by the execution role at task start). */
  containerSecrets?: Record<string, EcsSecret>;
  /** Private networking (PrivateNetwork); without it a minimal public VPC is created. */
  network?: { vpc: IVpc; subnets: SubnetSelection; securityGroup: ISecurityGroup };
}

export class SignerDaemonService extends Construct {
  readonly service: FargateService;
  readonly cluster: Cluster;
  readonly logGroup: LogGroup;
  readonly task: FargateTaskDefinition;

  constructor(scope: Construct, id: string, props: SignerDaemonServiceProps) {
    super(scope, id);
    const { config } = props;
    const network = props.network ?? this.publicNetwork();
    this.cluster = new Cluster(this, 'Cluster', {
      vpc: network.vpc,
      containerInsightsV2: ContainerInsights.ENABLED,
    });
    this.task = new FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: {
        cpuArchitecture: CpuArchitecture.ARM64,
        operatingSystemFamily: OperatingSystemFamily.LINUX,
      },
      volumes: [{ name: 'tmp' }],
    });
    const task = this.task;
    for (const statement of signerKmsStatements(config.appTag, config.kmsSignQuotaCode)) {
      task.taskRole.addToPrincipalPolicy(statement);
    }
    task.taskRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadOwnSecrets',
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: props.secrets.map((s) => s.secretArn),
      }),
    );
    acknowledgeKmsWildcards(task.taskRole, 'signer');
    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    const container = task.addContainer('daemon', {
      image: this.image(config.ecsImage),
      command: daemonCommand(config),
      environment: {
        ...props.environment,
        ...daemonEnvironment(config),
        AWS_REGION: Stack.of(this).region,
      },
      ...(props.containerSecrets ? { secrets: props.containerSecrets } : {}),
      user: DAEMON_USER,
      readonlyRootFilesystem: true,
      logging: LogDrivers.awsLogs({ streamPrefix: 'daemon', logGroup: this.logGroup }),
      stopTimeout: Duration.seconds(60), // SIGTERM: jobs in flight finish (src/cli/main.ts)
    });
    container.addMountPoints({ sourceVolume: 'tmp', containerPath: DAEMON_TMP, readOnly: false });
    if (config.ecsImage === undefined || ECR_URI.test(config.ecsImage)) {
      Validations.of(task.obtainExecutionRole()).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken supports no resource ARN (IAM resource type "*"); image layers are ' +
          'pulled only from the one repository of the daemon image.',
      });
    }
    this.service = new FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: task,
      desiredCount: DAEMON_TASK_COUNT,
      assignPublicIp: props.network === undefined,
      securityGroups: [network.securityGroup],
      vpcSubnets: network.subnets,
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    Validations.of(task).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The environment holds only non-secret settings and secret ARNs; values are read at run time.',
    });
  }

  /** The Dockerfile as an asset (ARM64, like the task), an ECR image with pull rights, or a public one. */
  private image(uri: string | undefined): ContainerImage {
    if (uri === undefined) {
      return ContainerImage.fromAsset(ROOT, {
        file: 'Dockerfile',
        platform: Platform.LINUX_ARM64,
        ignoreMode: IgnoreMode.DOCKER,
      });
    }
    const ecr = ECR_URI.exec(uri);
    const [, account, region, name, tag] = ecr ?? [];
    if (account !== undefined && region !== undefined && name !== undefined) {
      const repository = Repository.fromRepositoryAttributes(this, 'Repository', {
        repositoryName: name,
        repositoryArn: `arn:${Stack.of(this).partition}:ecr:${region}:${account}:repository/${name}`,
      });
      // fromEcrRepository grants the execution role ecr:BatchGetImage/GetDownloadUrlForLayer on the
      // repository and ecr:GetAuthorizationToken (which supports only "*").
      return ContainerImage.fromEcrRepository(repository, tag ?? 'latest');
    }
    return ContainerImage.fromRegistry(uri);
  }

  private publicNetwork(): { vpc: IVpc; subnets: SubnetSelection; securityGroup: ISecurityGroup } {
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC }],
    });
    Validations.of(vpc).acknowledge({
      id: 'AwsSolutions-VPC7',
      reason:
        'Minimal optional VPC without inbound traffic; use kms-signer:vpc for a private VPC with flow logs.',
    });
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'kms-signer daemon: no inbound, outbound to MongoDB, Tatum and AWS APIs',
      allowAllOutbound: true,
    });
    return { vpc, subnets: { subnetType: SubnetType.PUBLIC }, securityGroup };
  }
}
