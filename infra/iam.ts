// Least-privilege KMS statements for the two runtime roles (reference: aws-kms-signing.md §1 condition
// keys, §8 item 9). Wallet keys are created at run time, so access is attribute-based: a role may only
// touch keys whose Application tag equals the app tag, and may only create keys that carry that tag.
import { Aws, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { SIGNING_MODES, WALLET_KEY_SPECS, type WalletKeySpec } from '../src/kms/key-specs.js';

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

/** Statement ids per wallet key spec (src/kms/key-specs.ts: the specs and their one signing mode). */
const KEY_SPEC_STATEMENTS: Readonly<Record<WalletKeySpec, { create: string; sign: string }>> = {
  ECC_SECG_P256K1: { create: 'CreateTaggedSecp256k1Keys', sign: 'SignDigestsWithOwnKeys' },
  ECC_NIST_EDWARDS25519: { create: 'CreateTaggedEd25519Keys', sign: 'SignMessagesWithOwnEd25519Keys' },
};

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
    // conditions pin the key type (one statement per wallet key spec) and force the Application tag
    // onto every new key.
    ...WALLET_KEY_SPECS.map(
      (keySpec) =>
        new PolicyStatement({
          sid: KEY_SPEC_STATEMENTS[keySpec].create,
          effect: Effect.ALLOW,
          actions: ['kms:CreateKey'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'kms:KeySpec': keySpec,
              'kms:KeyUsage': 'SIGN_VERIFY',
              ...requestTags,
            },
            'ForAllValues:StringEquals': tagKeys,
          },
        }),
    ),
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
    // Each key spec signs in its one mode only (ECDSA_SHA_256 + DIGEST on secp256k1, pure Ed25519
    // ED25519_SHA_512 + RAW on Ed25519 — never Ed25519ph): kms:KeySpec rules out any cross-over.
    ...WALLET_KEY_SPECS.map(
      (keySpec) =>
        new PolicyStatement({
          sid: KEY_SPEC_STATEMENTS[keySpec].sign,
          effect: Effect.ALLOW,
          actions: ['kms:Sign'],
          resources: [accountKeysArn()],
          conditions: {
            StringEquals: {
              'aws:ResourceTag/Application': appTag,
              'kms:KeySpec': keySpec,
              'kms:MessageType': SIGNING_MODES[keySpec].messageType,
              'kms:SigningAlgorithm': SIGNING_MODES[keySpec].algorithm,
            },
          },
        }),
    ),
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
