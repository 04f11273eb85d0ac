// The approvals service in the CDK stack (kms-signer:approvals=true): its own HTTP API whose GET/POST
// routes reach one Lambda, a role that reads two secrets and has no KMS action (asked of an offline IAM
// simulator), and the signer (Lambda and ECS daemon) pointed at it with the shared HMAC key.
import type { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { defaultAppTag } from '../../../infra/config.js';
import { synthStack } from './harness.js';
import {
  ACCOUNT,
  identityPolicyOf,
  keyArn,
  REGION,
  resolve,
  simulate,
  type Decision,
  type KmsRequest,
} from './simulate.js';

const APPROVALS = { 'kms-signer:approvals': 'true' };
const MAINNET = { ...APPROVALS, 'kms-signer:stage': 'prod', 'kms-signer:tatumNetwork': 'mainnet' };

type Env = Record<string, unknown>;
const envOf = (template: ReturnType<typeof synthStack>['template'], description: RegExp): Env => {
  const fns = Object.values(template.findResources('AWS::Lambda::Function')) as {
    Properties: { Description: string; Environment: { Variables: Env } };
  }[];
  const fn = fns.find((f) => description.test(f.Properties.Description));
  if (!fn) throw new Error(`no function ${description.source}`);
  return fn.Properties.Environment.Variables;
};

describe('approvals service in the stack', () => {
  it('is not deployed unless asked for, and the signer then has no four-eyes key', () => {
    const { stack, template } = synthStack();
    expect(stack.approvals).toBeUndefined();
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    expect(envOf(template, /scheduled signer/)).not.toHaveProperty('FOUR_EYE_SECRET_ARN');
  });

  it('serves GET and POST on / and below from its own HTTP API, authorised by the app', () => {
    const { stack, template } = synthStack(APPROVALS);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
    const apiId = stack.getLogicalId(stack.approvals!.api.node.defaultChild as CfnResource);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as {
      Properties: { ApiId: { Ref: string }; RouteKey: string; AuthorizationType?: string };
    }[];
    const own = routes.filter((r) => r.Properties.ApiId.Ref === apiId);
    expect(own.map((r) => r.Properties.RouteKey).sort()).toEqual([
      'GET /',
      'GET /{proxy+}',
      'POST /',
      'POST /{proxy+}',
    ]);
    for (const r of own) expect(r.Properties.AuthorizationType).toBe('NONE');
    // The wallet API keeps IAM authorisation on every route.
    for (const r of routes.filter((x) => x.Properties.ApiId.Ref !== apiId)) {
      expect(r.Properties.AuthorizationType).toBe('AWS_IAM');
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: apiId },
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('gives the function the MongoDB and four-eyes secrets by ARN, never a value', () => {
    const { stack, template } = synthStack({ ...APPROVALS, 'kms-signer:approvalsQuorum': '{"default":3}' });
    const env = envOf(template, /approvals service/);
    const secretId = stack.getLogicalId(stack.approvals!.fourEyeSecret.node.defaultChild as CfnResource);
    expect(env.FOUR_EYE_SECRET_ARN).toEqual({ Ref: secretId });
    expect(env.MONGODB_URI_SECRET_ARN).toBeDefined();
    expect(env.APPROVALS_QUORUM).toBe('{"default":3}');
    expect(env.APPROVALS_REQUIRE_TWO_STEP).toBe('true');
    expect(env).not.toHaveProperty('FOUR_EYE_SECRET');
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
  });

  it('points the Lambda signer at <approvals endpoint>/four-eye with POST and the key by ARN', () => {
    const { stack, template } = synthStack(MAINNET);
    const env = envOf(template, /scheduled signer/);
    const apiId = stack.getLogicalId(stack.approvals!.api.node.defaultChild as CfnResource);
    expect(JSON.stringify(env.EXTERNAL_URL)).toContain(apiId);
    expect(String(resolve(env.EXTERNAL_URL))).toMatch(/\/four-eye$/);
    expect(env.EXTERNAL_URL_METHOD).toBe('POST');
    expect(env.FOUR_EYE_SECRET_ARN).toEqual({
      Ref: stack.getLogicalId(stack.approvals!.fourEyeSecret.node.defaultChild as CfnResource),
    });
  });

  it('gives the ECS daemon the URL, POST and FOUR_EYE_SECRET injected by ECS', () => {
    const { stack, template } = synthStack({
      ...APPROVALS,
      'kms-signer:enableEcs': 'true',
      'kms-signer:vpc': 'new',
    });
    const secretId = stack.getLogicalId(stack.approvals!.fourEyeSecret.node.defaultChild as CfnResource);
    const tasks = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as {
      Properties: {
        ContainerDefinitions: { Command: unknown[]; Secrets?: { Name: string; ValueFrom: unknown }[] }[];
      };
    }[];
    const container = tasks[0]!.Properties.ContainerDefinitions[0]!;
    const command = container.Command.map((part) => String(resolve(part)));
    expect(command[command.indexOf('--externalUrlMethod') + 1]).toBe('POST');
    expect(command[command.indexOf('--externalUrl') + 1]).toMatch(/\/four-eye$/);
    expect(container.Secrets).toEqual([{ Name: 'FOUR_EYE_SECRET', ValueFrom: { Ref: secretId } }]);
  }, 60_000);

  it('refuses approvals beside an external four-eyes URL, and a quorum that is not a JSON object', () => {
    expect(() =>
      synthStack({ ...APPROVALS, 'kms-signer:externalUrl': 'https://approve.example.com' }),
    ).toThrow(/approvals=true deploys the four-eyes service/);
    expect(() => synthStack({ ...APPROVALS, 'kms-signer:approvalsQuorum': '[2]' })).toThrow(
      /approvalsQuorum must be a JSON object/,
    );
    expect(() => synthStack({ 'kms-signer:approvalsQuorum': '{"default":2}' })).toThrow(
      /approvalsQuorum needs kms-signer:approvals=true/,
    );
    expect(() => synthStack({ 'kms-signer:approvalsTwoStep': 'false' })).toThrow(
      /approvalsTwoStep needs kms-signer:approvals=true/,
    );
  });

  it('requires two-step sign-in for operators unless approvalsTwoStep=false', () => {
    const { template } = synthStack({ ...APPROVALS, 'kms-signer:approvalsTwoStep': 'false' });
    expect(envOf(template, /approvals service/).APPROVALS_REQUIRE_TWO_STEP).toBe('false');
    expect(() => synthStack({ ...APPROVALS, 'kms-signer:approvalsTwoStep': 'maybe' })).toThrow(
      /approvalsTwoStep must be true or false/,
    );
  });

  it('alarms when the approvals function fails or its API answers 5xx, and not without the service', () => {
    const { stack, template } = synthStack(APPROVALS);
    const fnRef = { Ref: stack.getLogicalId(stack.approvals!.function.node.defaultChild as CfnResource) };
    const apiRef = { Ref: stack.getLogicalId(stack.approvals!.api.node.defaultChild as CfnResource) };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: fnRef }],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
      Dimensions: Match.arrayWith([{ Name: 'ApiId', Value: apiRef }]),
      Threshold: 1,
    });
    const descriptions = (t: typeof template) =>
      Object.values(t.findResources('AWS::CloudWatch::Alarm')).map(
        (a) => (a as { Properties: { AlarmDescription: string } }).Properties.AlarmDescription,
      );
    expect(descriptions(template).filter((d) => d.startsWith('The approvals service'))).toHaveLength(2);
    expect(descriptions(synthStack().template).filter((d) => d.includes('approvals'))).toEqual([]);
  });
});

describe('IAM request table, approvals service (mainnet)', () => {
  const { stack, template } = synthStack(MAINNET);
  const approvals = stack.approvals!;
  const secrets = [stack.mongoUriSecret, stack.tatumApiKeySecret, approvals.fourEyeSecret].map((s) =>
    stack.getLogicalId(s.node.defaultChild as CfnResource),
  );
  // The simulator checks resource ARNs against each action: secrets get Secrets Manager ARNs
  // (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>).
  const secretArn = (logicalId: string) =>
    `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${logicalId}-AbCdEf`;
  const withSecretArns = (policy: ReturnType<typeof identityPolicyOf>) =>
    JSON.parse(
      JSON.stringify(policy).replace(
        /arn:aws:cloudformation:[^:]+:\d+:resource\/(\w+)/g,
        (arn, id: string) => (secrets.includes(id) ? secretArn(id) : arn),
      ),
    ) as ReturnType<typeof identityPolicyOf>;
  const getSecret = (secret: { node: { defaultChild?: unknown } }): KmsRequest => ({
    action: 'secretsmanager:GetSecretValue',
    resource: secretArn(stack.getLogicalId(secret.node.defaultChild as CfnResource)),
    context: {},
  });
  const ownKey = {
    'aws:ResourceTag/Application': defaultAppTag('prod'),
    'kms:KeySpec': 'ECC_SECG_P256K1',
    'kms:KeyUsage': 'SIGN_VERIFY',
    'kms:MessageType': 'DIGEST',
    'kms:SigningAlgorithm': 'ECDSA_SHA_256',
  };
  const kms = (action: string): KmsRequest => ({
    action,
    resource: action === 'kms:CreateKey' ? '*' : keyArn('1234abcd-12ab-34cd-56ef-1234567890ab'),
    context: ownKey,
  });
  const ALLOW: Decision = 'Allowed';
  const DENY: Decision = 'ImplicitlyDenied';
  const role = withSecretArns(identityPolicyOf(stack, template, approvals.role));
  const signer = withSecretArns(identityPolicyOf(stack, template, stack.signerFunction.role!));
  const api = withSecretArns(identityPolicyOf(stack, template, stack.apiFunction.role!));
  const rows: { name: string; policy: typeof role; request: KmsRequest; expect: Decision }[] = [
    {
      name: 'approvals role reads the MongoDB URI',
      policy: role,
      request: getSecret(stack.mongoUriSecret),
      expect: ALLOW,
    },
    {
      name: 'approvals role reads the four-eyes key',
      policy: role,
      request: getSecret(approvals.fourEyeSecret),
      expect: ALLOW,
    },
    {
      name: 'approvals role cannot read the Tatum API key',
      policy: role,
      request: getSecret(stack.tatumApiKeySecret),
      expect: DENY,
    },
    ...['kms:Sign', 'kms:GetPublicKey', 'kms:CreateKey', 'kms:DescribeKey'].map((action) => ({
      name: `approvals role cannot ${action} an own wallet key`,
      policy: role,
      request: kms(action),
      expect: DENY,
    })),
    {
      name: 'signer role reads the four-eyes key',
      policy: signer,
      request: getSecret(approvals.fourEyeSecret),
      expect: ALLOW,
    },
    {
      name: 'signer role still signs with an own key',
      policy: signer,
      request: kms('kms:Sign'),
      expect: ALLOW,
    },
    {
      name: 'API role cannot read the four-eyes key',
      policy: api,
      request: getSecret(approvals.fourEyeSecret),
      expect: DENY,
    },
  ];

  it('gives the approvals role no KMS action at all', () => {
    const actions = role.Statement.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
  });

  it.each(rows)('$name → $expect', async (row) => {
    expect(await simulate(row.policy, row.request)).toBe(row.expect);
  });
});
