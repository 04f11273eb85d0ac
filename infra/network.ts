// Private networking (context kms-signer:vpc = 'new' or an existing VPC id): the Lambdas and the ECS task
// run in private subnets and reach KMS, Secrets Manager, CloudWatch Logs and STS through interface
// endpoints, so signing requests never leave the VPC for the public KMS endpoint. Tatum (and MongoDB
// unless it is private, README "Private networking") still need egress: a new VPC gets one NAT gateway.
import { Validations } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  InterfaceVpcEndpointAwsService,
  IpAddresses,
  SecurityGroup,
  SubnetType,
  Vpc,
  type IVpc,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StackConfig } from './config.js';

/** The AWS APIs the functions call, each through its own interface endpoint (private DNS on). */
export const INTERFACE_ENDPOINTS = {
  Kms: InterfaceVpcEndpointAwsService.KMS,
  SecretsManager: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Logs: InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Sts: InterfaceVpcEndpointAwsService.STS,
} as const;

export class PrivateNetwork extends Construct {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection = { subnetType: SubnetType.PRIVATE_WITH_EGRESS };
  /** Security group of the functions and the daemon: no inbound rules, outbound to anywhere. */
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: { vpc: NonNullable<StackConfig['vpc']> }) {
    super(scope, id);
    if (props.vpc === 'new') {
      const vpc = new Vpc(this, 'Vpc', {
        ipAddresses: IpAddresses.cidr('10.42.0.0/16'),
        maxAzs: 2,
        natGateways: 1,
        subnetConfiguration: [
          { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
          { name: 'private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        ],
      });
      vpc.addFlowLog('FlowLog', {
        destination: FlowLogDestination.toCloudWatchLogs(
          new LogGroup(this, 'FlowLogs', { retention: RetentionDays.ONE_MONTH }),
        ),
        trafficType: FlowLogTrafficType.REJECT,
      });
      this.vpc = vpc;
    } else {
      // An existing VPC is looked up at synth time (needs credentials once; cached in cdk.context.json).
      // It must have private subnets with egress (NAT or a firewall) for Tatum.
      this.vpc = Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpc });
    }
    this.securityGroup = new SecurityGroup(this, 'Workloads', {
      vpc: this.vpc,
      description: 'kms-signer functions and daemon: no inbound; outbound to endpoints, MongoDB, Tatum',
      allowAllOutbound: true,
    });
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      this.vpc.addInterfaceEndpoint(`${name}Endpoint`, {
        service,
        subnets: this.subnets,
        privateDnsEnabled: true,
        open: true, // HTTPS from the VPC CIDR only (the endpoint's own security group)
      });
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'Interface endpoint security groups accept HTTPS from the VPC CIDR only (CDK open: true).',
    });
  }
}
