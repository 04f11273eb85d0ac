// Is a KMS key this deployment's? Wallet records do not carry the Application tag — the KMS key does
// (src/kms/vault.ts tags every key it creates) — so a second deployment (another APP_TAG) sharing the
// database could have its wallets found by ours. This reads the key's tags (ListResourceTags, read-only)
// and answers whether Application equals our tag.
//
// In AWS the roles may read tags only of keys tagged with their own Application (infra/iam.ts), so a
// foreign key answers AccessDeniedException: that too means "not ours". A key proven ours is remembered for
// `ttlMs` (tags of a key are written at CreateKey and never changed by kms-signer); a negative answer is
// never cached, so a key re-tagged by an operator is seen at once.
import { ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DEFAULT_RETRY_POLICY, TAG_APPLICATION, withRetry } from '../kms/index.js';

/** Ten minutes: a key whose Application tag an operator removed is refused within this time. */
export const DEFAULT_OWNERSHIP_TTL_MS = 10 * 60 * 1000;

export type KeyOwnershipAnswer =
  { ours: true } | { ours: false; reason: 'other-application' | 'untagged' | 'not-readable' | 'not-found' };

export class KeyOwnership {
  private readonly provenAt = new Map<string, number>();

  constructor(
    private readonly kms: Pick<KMSClient, 'send'>,
    readonly application: string,
    private readonly ttlMs = DEFAULT_OWNERSHIP_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async check(kmsKeyId: string): Promise<KeyOwnershipAnswer> {
    const proven = this.provenAt.get(kmsKeyId);
    if (proven !== undefined && this.now() - proven < this.ttlMs) return { ours: true };
    let application: string | undefined;
    try {
      application = await this.applicationTag(kmsKeyId);
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (name === 'AccessDeniedException') return { ours: false, reason: 'not-readable' };
      if (name === 'NotFoundException') return { ours: false, reason: 'not-found' };
      throw error; // throttling or an outage after retries: the caller retries later
    }
    if (application === this.application) {
      this.provenAt.set(kmsKeyId, this.now());
      return { ours: true };
    }
    return { ours: false, reason: application === undefined ? 'untagged' : 'other-application' };
  }

  private async applicationTag(kmsKeyId: string): Promise<string | undefined> {
    let marker: string | undefined;
    do {
      const page = await withRetry(
        (abortSignal) =>
          this.kms.send(new ListResourceTagsCommand({ KeyId: kmsKeyId, Marker: marker }), { abortSignal }),
        DEFAULT_RETRY_POLICY,
      );
      const tag = page.Tags?.find((t) => t.TagKey === TAG_APPLICATION);
      if (tag) return tag.TagValue ?? '';
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
    return undefined;
  }
}
