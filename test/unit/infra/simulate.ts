// Evaluates synthesised IAM policies request by request with an offline IAM policy simulator
// (@cloud-copilot/iam-simulate, which also validates actions, ARNs and condition keys per action against
// the Service Authorization Reference data). CloudFormation intrinsics are resolved to the test account.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Template } from 'aws-cdk-lib/assertions';
import type { KmsSignerStack } from '../../../infra/kms-signer-stack.js';
import { statementsOf, type Statement } from './harness.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** The role every simulated request comes from. */
export const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/kms-signer-role`;
export const keyArn = (id: string, region = REGION) => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Resolves Ref / Fn::Join / Fn::GetAtt to strings (other resources become placeholder ARNs). */
export function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if ('Ref' in obj) {
    const ref = obj.Ref as string;
    return PSEUDO[ref] ?? `arn:aws:cloudformation:${REGION}:${ACCOUNT}:resource/${ref}`;
  }
  if ('Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(resolve(p))).join(sep);
  }
  if ('Fn::GetAtt' in obj) {
    const [id, attr] = obj['Fn::GetAtt'] as [string, string];
    return `arn:aws:cloudformation:${REGION}:${ACCOUNT}:resource/${id}.${attr}`;
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(v)]));
}

/** The identity policy a role gets from the template (every attached AWS::IAM::Policy, resolved). */
export function identityPolicyOf(
  stack: KmsSignerStack,
  template: Template,
  role: IRole,
): { Version: string; Statement: Statement[] } {
  return { Version: '2012-10-17', Statement: resolve(statementsOf(stack, template, role)) as Statement[] };
}

/** The default key policy: the account root may use the key, i.e. access is decided by IAM policies. */
export const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface KmsRequest {
  action: string;
  /** A key ARN, "*" for CreateKey and ListKeys, or a Service Quotas quota ARN. */
  resource: string;
  context: Record<string, string | string[]>;
  /** The key's policy; AWS's default key policy (IAM decides) when absent. */
  keyPolicy?: unknown;
}

export async function simulate(
  policy: { Version: string; Statement: Statement[] },
  request: KmsRequest,
): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: PRINCIPAL,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context,
      },
      identityPolicies: [{ name: 'role', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // Key policies exist for KMS keys only (Service Quotas quotas have no resource policy).
      ...(request.resource === '*' || !request.action.startsWith('kms:')
        ? {}
        : { resourcePolicy: request.keyPolicy ?? DEFAULT_KEY_POLICY }),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
