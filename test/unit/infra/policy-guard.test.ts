// Fails when any policy statement grants a wildcard action or an unconditioned Resource "*"
// (the exceptions, kms:ListKeys and ecr:GetAuthorizationToken, support neither resources nor conditions).
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { allStatements, asArray, synthStack } from './harness.js';

const variants: [string, Record<string, unknown>][] = [
  ['default', {}],
  ['with ECS', { 'kms-signer:enableEcs': 'true', 'kms-signer:ecsImage': 'public.ecr.aws/x/kms-signer:1' }],
  [
    'with ECS from the Dockerfile in a private VPC',
    { 'kms-signer:enableEcs': 'true', 'kms-signer:vpc': 'new' },
  ],
  [
    'with a private ECR image',
    {
      'kms-signer:enableEcs': 'true',
      'kms-signer:ecsImage': '123456789012.dkr.ecr.us-east-1.amazonaws.com/k:1',
    },
  ],
  [
    'with CloudTrail and multi-Region keys',
    { 'kms-signer:cloudTrail': 'true', 'kms-signer:multiRegionKeys': 'true' },
  ],
];

describe.each(variants)('%s stack', (_name, context) => {
  const { stack, template } = synthStack(context);

  it('has no wildcard actions and no unconditioned Resource "*"', () => {
    const statements = allStatements(template);
    expect(statements.length).toBeGreaterThan(5);
    for (const s of statements) {
      for (const action of asArray(s.Action)) {
        expect(action, JSON.stringify(s)).not.toMatch(/\*/);
      }
      const resources = Array.isArray(s.Resource) ? (s.Resource as unknown[]) : [s.Resource];
      if (resources.includes('*') && s.Condition === undefined) {
        // kms:ListKeys and ecr:GetAuthorizationToken support no resource ARN and no condition key.
        expect(['kms:ListKeys', 'ecr:GetAuthorizationToken'], JSON.stringify(s)).toContain(s.Action);
      }
    }
  });

  it('has no unacknowledged AwsSolutions findings', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} ${v.description}`)).toEqual([]);
  });
});
