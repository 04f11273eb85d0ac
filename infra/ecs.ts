// Optional ECS Fargate service running `kms-signer daemon` (sub-minute polling), enabled with context
// kms-signer:enableEcs=true and kms-signer:ecsImage=<image URI whose entry point is `kms-signer`>.
// Minimal on purpose: a new VPC with public subnets only (no NAT gateway cost), one task, no inbound.
import { Stack, Validations } from 'aws-cdk-lib';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
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
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeKmsWildcards, signerKmsStatements } from './iam.js';

export interface SignerDaemonServiceProps {
  image: string;
  appTag: string;
  network: string;
  externalUrl?: string;
  environment: Record<string, string>;
  secrets: ISecret[];
}

export class SignerDaemonService extends Construct {
  readonly service: FargateService;

  constructor(scope: Construct, id: string, props: SignerDaemonServiceProps) {
    super(scope, id);
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC }],
    });
    const cluster = new Cluster(this, 'Cluster', { vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const task = new FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: {
        cpuArchitecture: CpuArchitecture.ARM64,
        operatingSystemFamily: OperatingSystemFamily.LINUX,
      },
    });
    for (const statement of signerKmsStatements(props.appTag)) task.taskRole.addToPrincipalPolicy(statement);
    task.taskRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadOwnSecrets',
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: props.secrets.map((s) => s.secretArn),
      }),
    );
    acknowledgeKmsWildcards(task.taskRole, true);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    task.addContainer('daemon', {
      image: ContainerImage.fromRegistry(props.image),
      command: [
        'daemon',
        '--network',
        props.network,
        ...(props.externalUrl !== undefined ? ['--externalUrl', props.externalUrl] : []),
      ],
      environment: { ...props.environment, AWS_REGION: Stack.of(this).region },
      logging: LogDrivers.awsLogs({ streamPrefix: 'daemon', logGroup }),
    });
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'kms-signer daemon: no inbound, outbound to MongoDB, Tatum and AWS APIs',
      allowAllOutbound: true,
    });
    this.service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: 1,
      assignPublicIp: true,
      securityGroups: [securityGroup],
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      minHealthyPercent: 0,
      circuitBreaker: { rollback: true },
      maxHealthyPercent: 100,
    });
    Validations.of(vpc).acknowledge({
      id: 'AwsSolutions-VPC7',
      reason: 'Minimal optional VPC without inbound traffic; flow logs are left to the operator.',
    });
    Validations.of(task).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The environment holds only non-secret settings and secret ARNs; values are read at run time.',
    });
  }
}
