// Findings of cfn-lint and checkov (scripts/iac-check.sh) that are accepted, each with its reason, written
// into the template as resource metadata that both tools read (Metadata.checkov.skip,
// Metadata.cfn-lint.config.ignore_checks). Everything else they report is fixed in infra/.
import { CfnResource, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

interface Acknowledgement {
  id: string;
  comment: string;
}

/** checkov findings accepted per CloudFormation resource type. */
export const CHECKOV_ACKNOWLEDGEMENTS: Record<string, Acknowledgement[]> = {
  'AWS::Lambda::Function': [
    {
      id: 'CKV_AWS_116',
      comment:
        'A DLQ applies to asynchronous invocations only: the API function is invoked synchronously by API ' +
        'Gateway; the scheduled signer has one (SignerDeadLetterQueue).',
    },
    {
      id: 'CKV_AWS_117',
      comment:
        'Private subnets are the kms-signer:vpc option (README "Private networking"), not every deployment.',
    },
    {
      id: 'CKV_AWS_173',
      comment:
        'The environment holds settings and secret ARNs only, never secret values; Lambda encrypts it at rest.',
    },
  ],
  'AWS::SecretsManager::Secret': [
    {
      id: 'CKV_AWS_149',
      comment:
        'Encrypted with the aws/secretsmanager key; only the two runtime roles may read these two secrets ' +
        '(GetSecretValue on their ARNs). A customer key would add a key policy to manage and $1/month.',
    },
  ],
  'AWS::Logs::LogGroup': [
    {
      id: 'CKV_AWS_158',
      comment:
        'CloudWatch Logs encrypts every log group at rest; our logs carry no secrets (src/config/redact.ts), ' +
        'so a customer key adds cost and a decrypt dependency for no gain.',
    },
  ],
  'AWS::SQS::Queue': [
    {
      id: 'CKV_AWS_27',
      comment:
        'SqsManagedSseEnabled is true (SQS-managed encryption); the check only recognises KmsMasterKeyId.',
    },
  ],
  'AWS::CloudTrail::Trail': [
    {
      id: 'CKV_AWS_35',
      comment:
        'Trail files are encrypted with S3-managed keys in a bucket that blocks public access and enforces TLS; ' +
        'an organisation trail with its own CMK is the recommended setup (README "CloudTrail").',
    },
  ],
};

/** The access-log bucket of the trail bucket: logging its own access would loop. */
export const ACCESS_LOG_BUCKET_ACKNOWLEDGEMENT: Acknowledgement = {
  id: 'CKV_AWS_18',
  comment: 'This bucket is the server access log target of the trail bucket.',
};

/** cfn-lint rules accepted per resource type. */
export const CFN_LINT_ACKNOWLEDGEMENTS: Record<string, { ids: string[]; reason: string }> = {
  // CDK adds DependsOn on a role's default policy next to the GetAtt of the role, so the policy exists
  // before the function or trail first uses the role; the redundancy warning is harmless.
  'AWS::Lambda::Function': { ids: ['W3005'], reason: 'DependsOn on the role policy is intended (CDK)' },
  'AWS::CloudTrail::Trail': { ids: ['W3005'], reason: 'DependsOn on the role policy is intended (CDK)' },
};

export class IacAcknowledgements implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const checkov = CHECKOV_ACKNOWLEDGEMENTS[node.cfnResourceType];
    if (checkov) node.addMetadata('checkov', { skip: checkov });
    const lint = CFN_LINT_ACKNOWLEDGEMENTS[node.cfnResourceType];
    if (lint) node.addMetadata('cfn-lint', { config: { ignore_checks: lint.ids } });
  }
}
