// Stage isolation, private networking, the dashboard and the optional trail, as synthesised.
import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { assertStagesIsolated, readConfig, readStages } from '../../../infra/config.js';
import { APPROVALS_WIDGETS, DAEMON_WIDGETS, DASHBOARD_WIDGETS } from '../../../infra/dashboard.js';
import { INTERFACE_ENDPOINTS } from '../../../infra/network.js';
import { synthStack } from './harness.js';

vi.setConfig({ testTimeout: 60_000 });

describe('stages', () => {
  it('each get their own Application tag and metric namespace by default', () => {
    const app = new App({
      context: {
        'kms-signer:stages': 'dev,prod',
        'kms-signer:prod:tatumNetwork': 'mainnet',
        'kms-signer:prod:externalUrl': 'https://a.example.com',
      },
    });
    const [dev, prod] = readStages(app.node).map((s) => readConfig(app.node, s));
    expect([dev!.appTag, prod!.appTag]).toEqual(['kms-signer-dev', 'kms-signer-prod']);
    expect(prod!.tatumNetwork).toBe('mainnet'); // stage-scoped value
    expect(dev!.tatumNetwork).toBe('testnet');
    const prodStack = synthStack({
      'kms-signer:stage': 'prod',
      'kms-signer:tatumNetwork': 'mainnet',
      'kms-signer:externalUrl': 'https://a.example.com',
    });
    prodStack.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          APP_TAG: 'kms-signer-prod',
          POWERTOOLS_METRICS_NAMESPACE: 'KmsSigner/prod',
        }),
      },
    });
  });

  it('refuses two stages with one tag that may share an account', () => {
    const same = [
      { stage: 'dev', appTag: 'kms-signer', account: '111111111111' },
      { stage: 'prod', appTag: 'kms-signer', account: '111111111111' },
    ];
    expect(() => {
      assertStagesIsolated(same);
    }).toThrow(/dev and prod share the Application tag kms-signer/);
    // An environment-agnostic stage may be deployed anywhere, so it conflicts too.
    expect(() => {
      assertStagesIsolated([same[0]!, { ...same[1]!, account: undefined }]);
    }).toThrow(/share/);
    expect(() => {
      assertStagesIsolated([same[0]!, { ...same[1]!, account: '222222222222' }]);
    }).not.toThrow();
    expect(() => {
      assertStagesIsolated([same[0]!, { ...same[1]!, appTag: 'kms-signer-prod' }]);
    }).not.toThrow();
  });
});

describe('private networking (kms-signer:vpc)', () => {
  const { template } = synthStack({
    'kms-signer:vpc': 'new',
    'kms-signer:enableEcs': 'true',
    'kms-signer:ecsImage': 'public.ecr.aws/x/kms-signer:1',
  });

  it('puts both functions and the daemon in private subnets', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { VpcConfig?: { SubnetIds: { Ref: string }[] } };
    }[];
    expect(fns).toHaveLength(2);
    for (const fn of fns) {
      expect(fn.Properties.VpcConfig?.SubnetIds.map((s) => s.Ref)).toEqual([
        expect.stringMatching(/privateSubnet1/),
        expect.stringMatching(/privateSubnet2/),
      ]);
    }
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          Subnets: [
            { Ref: Match.stringLikeRegexp('privateSubnet1') },
            { Ref: Match.stringLikeRegexp('privateSubnet2') },
          ],
        },
      },
    });
  });

  it('has interface endpoints for KMS, Secrets Manager, Logs and STS with private DNS', () => {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')) as {
      Properties: { ServiceName: unknown; VpcEndpointType: string; PrivateDnsEnabled: boolean };
    }[];
    const names = endpoints.map((e) => JSON.stringify(e.Properties.ServiceName));
    expect(endpoints).toHaveLength(Object.keys(INTERFACE_ENDPOINTS).length);
    for (const service of ['kms', 'secretsmanager', 'logs', 'sts']) {
      expect(names.filter((n) => n.includes(`.${service}"`))).toHaveLength(1);
    }
    for (const e of endpoints) {
      expect(e.Properties.VpcEndpointType).toBe('Interface');
      expect(e.Properties.PrivateDnsEnabled).toBe(true);
    }
    template.resourceCountIs('AWS::EC2::NatGateway', 1); // egress for Tatum
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  it('looks up an existing VPC by id', () => {
    const s = synthStack({ 'kms-signer:vpc': 'vpc-0123456789abcdef0' });
    s.template.resourceCountIs('AWS::EC2::VPC', 0);
    s.template.resourceCountIs('AWS::EC2::VPCEndpoint', 4);
  });
});

describe('dashboard', () => {
  interface Widget {
    properties?: { title?: string; markdown?: string; metrics?: unknown[] };
  }
  const body = (template: ReturnType<typeof synthStack>['template']): Widget[] => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as {
      Properties: { DashboardBody: unknown };
    }[];
    expect(dashboards).toHaveLength(1);
    // DashboardBody is a Fn::Join of strings and tokens; the tokens sit inside string values.
    const parts = (dashboards[0]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })[
      'Fn::Join'
    ][1];
    const json = parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
    return (JSON.parse(json) as { widgets: Widget[] }).widgets;
  };

  it('has every widget the runbook names, and the daemon ones only with ECS', () => {
    const titles = body(synthStack().template).flatMap((w) =>
      w.properties?.title ? [w.properties.title] : [],
    );
    expect(titles).toEqual([...DASHBOARD_WIDGETS]);
    const ecs = body(
      synthStack({ 'kms-signer:enableEcs': 'true', 'kms-signer:ecsImage': 'public.ecr.aws/x/k:1' }).template,
    );
    expect(ecs.flatMap((w) => (w.properties?.title ? [w.properties.title] : []))).toEqual([
      ...DASHBOARD_WIDGETS,
      ...DAEMON_WIDGETS,
    ]);
  });

  it('adds the approvals service widget only when the service is deployed', () => {
    const titles = body(synthStack({ 'kms-signer:approvals': 'true' }).template).flatMap((w) =>
      w.properties?.title ? [w.properties.title] : [],
    );
    expect(titles).toEqual([...DASHBOARD_WIDGETS, ...APPROVALS_WIDGETS]);
  });

  it('plots signatures by chain from the stage namespace, for both runtimes with ECS', () => {
    const widgets = body(
      synthStack({ 'kms-signer:enableEcs': 'true', 'kms-signer:ecsImage': 'public.ecr.aws/x/k:1' }).template,
    );
    const signatures = JSON.stringify(widgets.find((w) => w.properties?.title === DASHBOARD_WIDGETS[0]));
    expect(signatures).toContain(`SEARCH('{KmsSigner/dev,Chain} MetricName=\\"Broadcast\\"'`);
    expect(signatures).toContain(`SEARCH('{KmsSigner/dev/ecs,Chain} MetricName=\\"Broadcast\\"'`);
  });

  it('plots internal errors (retried, never reported) among the job outcomes', () => {
    const outcomes = JSON.stringify(
      body(synthStack().template).find((w) => w.properties?.title === DASHBOARD_WIDGETS[2]),
    );
    expect(outcomes).toContain('"KmsSigner/dev","InternalErrors"');
  });

  it("plots the pending count Tatum listed per chain, from the loop's pending lines", () => {
    const { template } = synthStack();
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "pending" }',
      MetricTransformations: [
        Match.objectLike({
          MetricName: 'PendingAtTatum',
          MetricNamespace: 'KmsSigner/dev',
          MetricValue: '$.count',
          Dimensions: [{ Key: 'Chain', Value: '$.chain' }],
        }),
      ],
    });
    const pending = JSON.stringify(body(template).find((w) => w.properties?.title === DASHBOARD_WIDGETS[9]));
    expect(pending).toContain(
      `SEARCH('{KmsSigner/dev,Chain} MetricName=\\"PendingAtTatum\\"', 'Maximum', 60)`,
    );
  });

  it('is fed by metric filters on the loop events, by chain', () => {
    const { template } = synthStack();
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "broadcast" }',
      MetricTransformations: [
        Match.objectLike({
          MetricName: 'Broadcast',
          MetricNamespace: 'KmsSigner/dev',
          Dimensions: [{ Key: 'Chain', Value: '$.chain' }],
        }),
      ],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "four-eye" }',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'FourEyeLatency', MetricValue: '$.ms', Unit: 'Milliseconds' }),
      ],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.event = "job-failed") && ($.error = "four-eyes check refused*") }',
      MetricTransformations: [Match.objectLike({ MetricName: 'FourEyeRefusals' })],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern:
        '{ ($.msg = "request") && ($.method = "POST") && ($.route = "/v1/wallets") && ($.status = 201) }',
      MetricTransformations: [Match.objectLike({ MetricName: 'WalletsCreated' })],
    });
  });
});

describe('chain nodes (kms-signer:chainNodesSecretArn)', () => {
  const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kms-signer/nodes-AbC123';
  type Fn = { Properties: { Description: string; Environment: { Variables: Record<string, unknown> } } };
  type Policy = { Properties: { PolicyDocument: { Statement: { Sid?: string; Resource: unknown }[] } } };

  it('gives the signer and the API only the ARN, lets their roles read exactly it, and has ECS inject the value', () => {
    const { template } = synthStack({
      'kms-signer:chainNodesSecretArn': ARN,
      'kms-signer:enableEcs': 'true',
      'kms-signer:ecsImage': 'public.ecr.aws/x/k:1',
    });
    const fns = Object.values(template.findResources('AWS::Lambda::Function')) as Fn[];
    for (const pattern of [/scheduled signer/, /wallet API/]) {
      const fn = fns.find((f) => pattern.test(f.Properties.Description));
      expect(fn?.Properties.Environment.Variables.KMS_SIGNER_RPC_NODES_ARN, pattern.source).toBe(ARN);
      expect(fn?.Properties.Environment.Variables).not.toHaveProperty('KMS_SIGNER_RPC_NODES');
    }
    const readers = (Object.values(template.findResources('AWS::IAM::Policy')) as Policy[]).filter((p) =>
      p.Properties.PolicyDocument.Statement.some(
        (st) => st.Sid === 'ReadOwnSecrets' && JSON.stringify(st.Resource).includes(ARN),
      ),
    );
    expect(readers.length).toBeGreaterThanOrEqual(2); // API role, signer role (and the daemon's)
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Secrets: Match.arrayWith([{ Name: 'KMS_SIGNER_RPC_NODES', ValueFrom: ARN }]),
        }),
      ]),
    });
  });

  it('is absent by default, and refuses anything but a complete secret ARN', () => {
    const fns = Object.values(synthStack().template.findResources('AWS::Lambda::Function')) as Fn[];
    for (const fn of fns)
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('KMS_SIGNER_RPC_NODES_ARN');
    for (const bad of ['https://node.example', ARN.replace('-AbC123', ''), `${ARN}x`]) {
      const app = new App({ context: { 'kms-signer:chainNodesSecretArn': bad } });
      expect(() => readConfig(app.node), bad).toThrow(
        /chainNodesSecretArn must be a complete Secrets Manager secret ARN/,
      );
    }
  });
});

describe('optional CloudTrail trail', () => {
  it('is absent by default and logs every management event (KMS included) when enabled', () => {
    synthStack().template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    const { template } = synthStack({ 'kms-signer:cloudTrail': 'true' });
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      // No ExcludeManagementEventSources: kms.amazonaws.com events (Sign, CreateKey…) stay in the trail.
      EventSelectors: [Match.objectEquals({ IncludeManagementEvents: true, ReadWriteType: 'All' })],
    });
  });
});

describe('cfn-lint and checkov acknowledgements', () => {
  it('carry a reason for every skipped check, in the template', () => {
    const { template } = synthStack({ 'kms-signer:cloudTrail': 'true', 'kms-signer:enableEcs': 'true' });
    const skipped = Object.values(
      template.toJSON().Resources as Record<
        string,
        { Type: string; Metadata?: { checkov?: { skip: { id: string; comment: string }[] } } }
      >,
    ).flatMap((r) => (r.Metadata?.checkov?.skip ?? []).map((s) => ({ type: r.Type, ...s })));
    expect(new Set(skipped.map((s) => s.id))).toEqual(
      new Set([
        'CKV_AWS_116',
        'CKV_AWS_117',
        'CKV_AWS_173',
        'CKV_AWS_149',
        'CKV_AWS_158',
        'CKV_AWS_27',
        'CKV_AWS_35',
        'CKV_AWS_18',
      ]),
    );
    for (const s of skipped) expect(s.comment.length, `${s.type} ${s.id}`).toBeGreaterThan(40);
    // The trail's access logs are granted by bucket policy, not the legacy ACL (cfn-lint W3045).
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket')) as {
      Properties: { AccessControl?: string };
    }[]) {
      expect(bucket.Properties.AccessControl).toBeUndefined();
    }
  });
});
