// Least-privilege KMS statements for the two runtime roles (reference: aws-kms-signing.md §1 condition
// keys, §8 item 9). Wallet keys are created at run time, so access is attribute-based: a role may only
// touch keys whose Application tag equals the app tag, and may only create keys that carry that tag.
import { Aws, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** Every tag key kms-signer writes at CreateKey (src/kms/vault.ts, src/wallets/kms-scan.ts). */
export const WALLET_TAG_KEYS = [
  'Application',
  'WalletId',
  'Chain',
  'Network',
  'Asset',
  'UserId',
  'KeyIndex',
] as const;

/** KMS keys of this account and Region; always combined with a resource-tag condition. */
export function accountKeysArn(): string {
  return `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`;
}

/** Actions the wallet API runs on existing keys (grep `Command(` in src/kms and src/wallets). */
export const API_KEY_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:GetParametersForImport',
  'kms:GetPublicKey',
  'kms:ImportKeyMaterial',
  'kms:ListResourceTags',
] as const;

/** Minimum waiting period the API role may request for ScheduleKeyDeletion (KMS allows 7-30). */
export const MIN_DELETION_WINDOW_DAYS = 7;

export function apiKmsStatements(appTag: string): PolicyStatement[] {
  const requestTags = {
    'aws:RequestTag/Application': appTag,
  };
  const tagKeys = { 'aws:TagKeys': [...WALLET_TAG_KEYS] };
  return [
    // CreateKey has no resource ARN (the key does not exist yet), so Resource must be "*"; the
    // conditions pin the key type and force the Application tag onto every new key.
    new PolicyStatement({
      sid: 'CreateTaggedSecp256k1Keys',
      effect: Effect.ALLOW,
      actions: ['kms:CreateKey'],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'kms:KeySpec': 'ECC_SECG_P256K1',
          'kms:KeyUsage': 'SIGN_VERIFY',
          ...requestTags,
        },
        'ForAllValues:StringEquals': tagKeys,
      },
    }),
    // Ed25519 wallets (SOL…): the same conditions for the other wallet key spec (src/kms/key-specs.ts).
    new PolicyStatement({
      sid: 'CreateTaggedEd25519Keys',
      effect: Effect.ALLOW,
      actions: ['kms:CreateKey'],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'kms:KeySpec': 'ECC_NIST_EDWARDS25519',
          'kms:KeyUsage': 'SIGN_VERIFY',
          ...requestTags,
        },
        'ForAllValues:StringEquals': tagKeys,
      },
    }),
    // Passing Tags to CreateKey needs kms:TagResource as well. It is allowed only with the app's
    // request tag and our tag keys, and DenyRetaggingForeignKeys below stops it from claiming a key
    // that already belongs to another application. UntagResource is never granted.
    new PolicyStatement({
      sid: 'TagOnCreate',
      effect: Effect.ALLOW,
      actions: ['kms:TagResource'],
      resources: ['*'],
      conditions: {
        StringEquals: requestTags,
        'ForAllValues:StringEquals': tagKeys,
      },
    }),
    new PolicyStatement({
      sid: 'DenyRetaggingForeignKeys',
      effect: Effect.DENY,
      actions: ['kms:TagResource'],
      resources: ['*'],
      conditions: {
        Null: { 'aws:ResourceTag/Application': 'false' },
        StringNotEquals: { 'aws:ResourceTag/Application': appTag },
      },
    }),
    new PolicyStatement({
      sid: 'ManageOwnKeys',
      effect: Effect.ALLOW,
      actions: [...API_KEY_ACTIONS],
      resources: [accountKeysArn()],
      conditions: { StringEquals: { 'aws:ResourceTag/Application': appTag } },
    }),
    new PolicyStatement({
      sid: 'ScheduleDeletionOfOwnKeys',
      effect: Effect.ALLOW,
      actions: ['kms:ScheduleKeyDeletion'],
      resources: [accountKeysArn()],
      conditions: {
        StringEquals: { 'aws:ResourceTag/Application': appTag },
        NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': MIN_DELETION_WINDOW_DAYS },
      },
    }),
    // ListKeys supports no resource ARN and no tag conditions (IAM: resource type "*"). It returns key
    // ids and ARNs only, no material, no tags; the API then reads tags with ListResourceTags, which
    // is tag-conditioned above. This is the only unconditioned "*" statement.
    new PolicyStatement({
      sid: 'ListKeysForReconcile',
      effect: Effect.ALLOW,
      actions: ['kms:ListKeys'],
      resources: ['*'],
    }),
    denyPolicyLockoutBypass(),
  ];
}

export function signerKmsStatements(appTag: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'SignDigestsWithOwnKeys',
      effect: Effect.ALLOW,
      actions: ['kms:Sign'],
      resources: [accountKeysArn()],
      conditions: {
        StringEquals: {
          'aws:ResourceTag/Application': appTag,
          'kms:KeySpec': 'ECC_SECG_P256K1',
          'kms:MessageType': 'DIGEST',
          'kms:SigningAlgorithm': 'ECDSA_SHA_256',
        },
      },
    }),
    // Pure Ed25519 over the message (RAW) on Ed25519 keys only; never ED25519_PH_SHA_512 (Ed25519ph),
    // whose signatures no chain accepts, and no cross-over with the secp256k1 statement above.
    new PolicyStatement({
      sid: 'SignMessagesWithOwnEd25519Keys',
      effect: Effect.ALLOW,
      actions: ['kms:Sign'],
      resources: [accountKeysArn()],
      conditions: {
        StringEquals: {
          'aws:ResourceTag/Application': appTag,
          'kms:KeySpec': 'ECC_NIST_EDWARDS25519',
          'kms:MessageType': 'RAW',
          'kms:SigningAlgorithm': 'ED25519_SHA_512',
        },
      },
    }),
    new PolicyStatement({
      sid: 'ReadPublicKeysOfOwnKeys',
      effect: Effect.ALLOW,
      actions: ['kms:GetPublicKey'],
      resources: [accountKeysArn()],
      conditions: { StringEquals: { 'aws:ResourceTag/Application': appTag } },
    }),
    denyPolicyLockoutBypass(),
  ];
}

/** kms:BypassPolicyLockoutSafetyCheck is a condition key of CreateKey and PutKeyPolicy. */
export function denyPolicyLockoutBypass(): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyPolicyLockoutBypass',
    effect: Effect.DENY,
    actions: ['kms:CreateKey', 'kms:PutKeyPolicy'],
    resources: ['*'],
    conditions: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
  });
}

/** The cdk-nag IAM5 finding id for the tag-conditioned account key ARN pattern. */
export const NAG_KEY_PATTERN_FINDING =
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]';

/**
 * Acknowledges the two wildcard-resource findings that ABAC needs, with the reasons in code:
 * wallet keys are created at run time, so their ARNs cannot be listed in the policy.
 */
export function acknowledgeKmsWildcards(role: IConstruct, withStar: boolean): void {
  Validations.of(role).acknowledge({
    id: NAG_KEY_PATTERN_FINDING,
    reason:
      'Wallet keys are created at run time and are not known at deploy time; every statement on key/* ' +
      'requires aws:ResourceTag/Application = the app tag (attribute-based access control).',
  });
  if (withStar) {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'kms:CreateKey and kms:TagResource-on-create have no resource ARN (conditioned on KeySpec, KeyUsage, ' +
        'request tags and tag keys); kms:ListKeys supports no resource or condition and returns key ids only; ' +
        'the Deny statements use * on purpose.',
    });
  }
}
