// Shared helpers for the CDK assertion tests: synthesis without bundling, offline.
import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { readConfig } from '../../../infra/config.js';
import { KmsSignerStack } from '../../../infra/kms-signer-stack.js';

/** The default stage's Application tag (kms-signer-<stage>). */
export const APP_TAG = 'kms-signer-dev';

export const KEY_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':kms:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':key/*',
    ],
  ],
};

/** A stack synthesised with `aws:cdk:bundling-stacks: []` (no esbuild, no Docker). */
export function synthStack(context: Record<string, unknown> = {}): {
  stack: KmsSignerStack;
  template: Template;
} {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new KmsSignerStack(app, 'Test', {
    config: readConfig(app.node),
    env: { account: '123456789012', region: 'us-east-1' },
  });
  return { stack, template: Template.fromStack(stack) };
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

interface PolicyResource {
  Properties: { Roles?: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
}

/** Every statement of every AWS::IAM::Policy attached to `role`. */
export function statementsOf(stack: KmsSignerStack, template: Template, role: IRole): Statement[] {
  const logicalId = stack.getLogicalId(role.node.defaultChild as CfnResource);
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, PolicyResource>;
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles ?? []).some((r) => r.Ref === logicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** Every statement of every IAM policy in the template (inline role policies included). */
export function allStatements(template: Template): Statement[] {
  const out: Statement[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const r of Object.values(template.findResources(type)) as PolicyResource[]) {
      out.push(...r.Properties.PolicyDocument.Statement);
    }
  }
  const roles = template.findResources('AWS::IAM::Role') as Record<
    string,
    {
      Properties: {
        Policies?: { PolicyDocument: { Statement: Statement[] } }[];
        ManagedPolicyArns?: unknown[];
      };
    }
  >;
  for (const role of Object.values(roles)) {
    for (const p of role.Properties.Policies ?? []) out.push(...p.PolicyDocument.Statement);
  }
  return out;
}

export const asArray = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
