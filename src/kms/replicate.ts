// Multi-Region recovery: copies this application's multi-Region primary wallet keys into a second Region
// with ReplicateKey. A replica shares the primary's key material and key id (mrk-…), so every wallet keeps
// its addresses when the signer fails over to the replica Region (README "Multi-Region recovery").
// Tags are not shared between related multi-Region keys, so the replica is created with the primary's
// tags (the signer's IAM conditions in the replica Region read them). ReplicateKey is paced below its
// request quota: 5 per second per account and Region (AWS KMS developer guide, "Request quotas";
// reference aws-kms-signing.md §1), and each replica is billed as a key ($1/month).
import { errorMessage } from '../util/error-message.js';
import {
  DescribeKeyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';
import pThrottle from 'p-throttle';
import { DEFAULT_RETRY_POLICY, withRetry } from './retry.js';
import { TAG_APPLICATION } from './vault.js';

/** ReplicateKey requests per second allowed by the default KMS quota. */
export const REPLICATE_KEY_QUOTA_PER_SECOND = 5;

export type ReplicationOutcome =
  | 'replicated' // ReplicateKey succeeded now
  | 'already-replicated' // the primary already lists a replica in that Region
  | 'single-region' // created before multi-Region keys were switched on: cannot be replicated
  | 'not-primary' // a replica itself (replicate from its primary's Region)
  | 'pending-deletion'
  | 'failed';

export interface ReplicationResult {
  keyId: string;
  outcome: ReplicationOutcome;
  replicaArn?: string;
  error?: string;
}

export interface ReplicateKeysOptions {
  /** A client for the primary Region. */
  kms: KMSClient;
  application: string;
  replicaRegion: string;
  /** ReplicateKey requests per second (1..REPLICATE_KEY_QUOTA_PER_SECOND unless the quota was raised). */
  ratePerSecond?: number;
  /** Only report what would be done. */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** Replicates every key tagged Application=<application>; yields one result per such key. */
export async function* replicateKeys(options: ReplicateKeysOptions): AsyncGenerator<ReplicationResult> {
  const { kms, replicaRegion } = options;
  const rate = options.ratePerSecond ?? REPLICATE_KEY_QUOTA_PER_SECOND;
  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError('ratePerSecond must be a positive number');
  const paced = pThrottle({ limit: 1, interval: Math.ceil(1000 / rate) });
  const retried = <T>(call: (abortSignal: AbortSignal) => Promise<T>) =>
    withRetry(call, DEFAULT_RETRY_POLICY);
  const replicate = paced((keyId: string, tags: Tag[], description?: string) =>
    retried((abortSignal) =>
      kms.send(
        new ReplicateKeyCommand({
          KeyId: keyId,
          ReplicaRegion: replicaRegion,
          Tags: tags,
          ...(description !== undefined ? { Description: description } : {}),
        }),
        { abortSignal },
      ),
    ),
  );

  let marker: string | undefined;
  do {
    if (options.signal?.aborted) return;
    const page = await retried((abortSignal) =>
      kms.send(new ListKeysCommand({ Limit: 1000, Marker: marker }), { abortSignal }),
    );
    for (const { KeyId: keyId } of page.Keys ?? []) {
      if (keyId === undefined || options.signal?.aborted) continue;
      const tags = await readTags(kms, keyId);
      if (tags?.find((t) => t.TagKey === TAG_APPLICATION)?.TagValue !== options.application) continue;
      const described = await retried((abortSignal) =>
        kms.send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal }),
      );
      const meta = described.KeyMetadata;
      const skip = reasonToSkip(meta, replicaRegion);
      if (skip !== undefined) {
        yield { keyId, outcome: skip };
        continue;
      }
      if (options.dryRun) {
        yield { keyId, outcome: 'replicated' };
        continue;
      }
      try {
        const created = await replicate(keyId, tags, meta?.Description);
        yield { keyId, outcome: 'replicated', ...arnOf(created.ReplicaKeyMetadata) };
      } catch (error) {
        yield { keyId, outcome: 'failed', error: errorMessage(error) };
      }
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
}

function arnOf(meta: KeyMetadata | undefined): { replicaArn?: string } {
  return meta?.Arn !== undefined ? { replicaArn: meta.Arn } : {};
}

/** Why a key of ours is not replicated now, or undefined when it should be. */
function reasonToSkip(meta: KeyMetadata | undefined, replicaRegion: string): ReplicationOutcome | undefined {
  if (meta?.KeyState === 'PendingDeletion' || meta?.KeyState === 'PendingReplicaDeletion')
    return 'pending-deletion';
  if (meta?.MultiRegion !== true) return 'single-region';
  const config = meta.MultiRegionConfiguration;
  if (config?.MultiRegionKeyType !== 'PRIMARY') return 'not-primary';
  if ((config.ReplicaKeys ?? []).some((r) => r.Region === replicaRegion)) return 'already-replicated';
  return undefined;
}

interface Tag {
  TagKey: string;
  TagValue: string;
}

/** The key's tags, or undefined when they may not be read (another application's key) or it is gone. */
async function readTags(kms: KMSClient, keyId: string): Promise<Tag[] | undefined> {
  try {
    const { Tags } = await withRetry(
      (abortSignal) => kms.send(new ListResourceTagsCommand({ KeyId: keyId }), { abortSignal }),
      DEFAULT_RETRY_POLICY,
    );
    return (Tags ?? []).flatMap((t) =>
      t.TagKey !== undefined && t.TagValue !== undefined ? [{ TagKey: t.TagKey, TagValue: t.TagValue }] : [],
    );
  } catch (error) {
    // Keys of other applications may be closed to us; anything else (throttling left after retries) is not a skip.
    const name = error instanceof Error ? error.name : '';
    if (name === 'AccessDeniedException' || name === 'NotFoundException') return undefined;
    throw error;
  }
}
