// Key-policy ownership of wallet keys (issue 13, the untagged-key claim hole).
//
// Why tags are not passed to CreateKey: tagging a key while creating it needs kms:TagResource "in an IAM
// policy that isn't restricted to particular KMS keys" — "at a minimum, the permission must cover all KMS
// keys in the account and Region" (docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html and
// manage-tags-api.html). At that moment the new key has no tags, so such an IAM allow also lets the role
// tag any untagged key of someone else whose key policy delegates to IAM, and then disable, delete or
// sign with it. IAM has no condition key that tells "tag on create" from a later TagResource.
//
// So the API role gets no kms:TagResource in IAM at all. Each wallet key is created with a key policy
// naming the API role, and that key policy alone grants the one TagResource call that gives the key its
// tags: only our Application tag, only our tag keys, and only while the key has no Application tag yet.
// A foreign key's policy does not name our role, so TagResource on it is denied.
//
// The key policy keeps AWS's default "Enable IAM policies" statement for the account (key-policy-default
// .html#key-policy-default-allow-root-enable-iam): account administrators keep full control, and the
// tag-conditioned IAM statements (infra/iam.ts) keep deciding Sign, DisableKey, ScheduleKeyDeletion….
//
// BypassPolicyLockoutSafetyCheck: without it "the key policy must allow the principal that is making the
// CreateKey request to make a subsequent PutKeyPolicy request on the KMS key" (CreateKey API reference),
// and KMS counts the caller's IAM policy in that check (MalformedPolicyDocumentException "The new key
// policy will not allow you to update the key policy in the future" when the IAM policy lacks it,
// aws-samples/rds-snapshot-export-to-s3-pipeline#8). The API role must never hold PutKeyPolicy (it could
// grant itself Sign), and the docs say to bypass exactly "when you intend to prevent the principal that
// is making the request from making a subsequent PutKeyPolicy request" — our intent. The key stays
// manageable through the account statement, so nothing is locked out.
import {
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  type KMSClient,
  type Tag,
} from '@aws-sdk/client-kms';

/** Every tag key kms-signer writes on a wallet key (src/kms/vault.ts, src/wallets/import.ts; infra/iam.ts). */
export const WALLET_TAG_KEY_NAMES = [
  'Application',
  'WalletId',
  'Chain',
  'Network',
  'Asset',
  'UserId',
  'KeyIndex',
] as const;

const TAG_APPLICATION = WALLET_TAG_KEY_NAMES[0];

export interface KeyOwnership {
  /** ARN of the role that creates wallet keys (the API role): the only principal that may tag them. */
  ownerRoleArn: string;
  /** The stage's Application tag value. */
  application: string;
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** The partition and account of a role ARN; throws on anything that is not an IAM role ARN. */
export function roleAccount(roleArn: string): { partition: string; accountId: string } {
  const [, partition, accountId] = ROLE_ARN.exec(roleArn) ?? [];
  if (partition === undefined || accountId === undefined) {
    throw new Error(`KMS_KEY_OWNER_ROLE_ARN must be an IAM role ARN, got ${JSON.stringify(roleArn)}`);
  }
  return { partition, accountId };
}

/** The key policy every wallet key is created with (see the header for why each statement is there). */
export function walletKeyPolicy(ownership: KeyOwnership): Record<string, unknown> {
  const { partition, accountId } = roleAccount(ownership.ownerRoleArn);
  return {
    Version: '2012-10-17',
    Id: 'kms-signer-wallet-key',
    Statement: [
      {
        Sid: 'EnableIamPolicies',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'TagOnceByTheCreatingRole',
        Effect: 'Allow',
        Principal: { AWS: ownership.ownerRoleArn },
        Action: 'kms:TagResource',
        Resource: '*',
        Condition: {
          StringEquals: { [`aws:RequestTag/${TAG_APPLICATION}`]: ownership.application },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [...WALLET_TAG_KEY_NAMES] },
          Null: { [`aws:ResourceTag/${TAG_APPLICATION}`]: 'true' },
        },
      },
      {
        // Lets the creator withdraw a key it could not tag (src/kms/vault.ts createKey), no sooner than 7 days.
        Sid: 'WithdrawUntaggedKeyByTheCreatingRole',
        Effect: 'Allow',
        Principal: { AWS: ownership.ownerRoleArn },
        Action: 'kms:ScheduleKeyDeletion',
        Resource: '*',
        Condition: {
          Null: { [`aws:ResourceTag/${TAG_APPLICATION}`]: 'true' },
          NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '7' },
        },
      },
    ],
  };
}

/** The CreateKey parameters that attach the ownership policy (none when no owner role is configured). */
export function ownershipCreateParams(
  ownership: KeyOwnership | undefined,
): { Policy: string; BypassPolicyLockoutSafetyCheck: true } | Record<string, never> {
  if (ownership === undefined) return {};
  return { Policy: JSON.stringify(walletKeyPolicy(ownership)), BypassPolicyLockoutSafetyCheck: true };
}

/** Runs one KMS request with the caller's pacing and retries. */
export type KmsRunner = <T>(operation: string, send: (abortSignal: AbortSignal) => Promise<T>) => Promise<T>;

/**
 * Gives a just-created key its tags (authorised by its ownership key policy). If that fails, the untagged
 * key is scheduled for deletion (7 days, best effort) so no untagged key of ours is left billed, and the
 * tagging error is rethrown.
 */
export async function tagNewKey(
  client: KMSClient,
  keyId: string,
  tags: Tag[],
  run: KmsRunner,
): Promise<void> {
  try {
    await run('TagResource', (abortSignal) =>
      client.send(new TagResourceCommand({ KeyId: keyId, Tags: tags }), { abortSignal }),
    );
  } catch (error) {
    await run('ScheduleKeyDeletion', (abortSignal) =>
      client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }), { abortSignal }),
    ).catch(() => undefined);
    throw error;
  }
}
