// Finds this application's KMS keys by their tags. KMS cannot search by tag, so this walks ListKeys and
// reads the tags of every key the database does not already know (known keys need no tag read, so in
// steady state a scan costs one ListKeys page per 1,000 keys plus one MongoDB query per page). Tags of a
// key never change in this design, so they are cached for the life of the process.
import { ListKeysCommand, ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Collection } from 'mongodb';
import type { WalletDoc, WalletKeyDoc } from '../db/index.js';
import { DEFAULT_RETRY_POLICY, TAG_APPLICATION, TAG_WALLET_ID, withRetry } from '../kms/index.js';

export const TAG_KEY_INDEX = 'KeyIndex';
export const TAG_NETWORK = 'Network';
export const TAG_ASSET = 'Asset';
export const TAG_USER_ID = 'UserId';

export interface TaggedKey {
  keyId: string;
  arn: string;
  tags: Record<string, string>;
  walletId: string | null;
  /** 0 for a wallet's own key, the KeyIndex tag otherwise. */
  index: number;
}

const TAG_READ_CONCURRENCY = 8;

export class KmsKeyScanner {
  private readonly tagCache = new Map<string, Record<string, string> | null>();

  constructor(
    private readonly kms: KMSClient,
    private readonly application: string,
    private readonly known: { wallets: Collection<WalletDoc>; walletKeys: Collection<WalletKeyDoc> },
  ) {}

  /** Every key tagged Application=<ours> that no record references (yet). */
  async *unknownKeys(): AsyncGenerator<TaggedKey> {
    let marker: string | undefined;
    do {
      const page = await withRetry(
        (abortSignal) => this.kms.send(new ListKeysCommand({ Limit: 1000, Marker: marker }), { abortSignal }),
        DEFAULT_RETRY_POLICY,
      );
      const keys = (page.Keys ?? []).flatMap((k) =>
        k.KeyId && k.KeyArn ? [{ keyId: k.KeyId, arn: k.KeyArn }] : [],
      );
      const known = await this.knownKeyIds(keys.map((k) => k.keyId));
      const unknown = keys.filter((k) => !known.has(k.keyId));
      const tags = await this.readTags(unknown.map((k) => k.keyId));
      for (const [i, key] of unknown.entries()) {
        const keyTags = tags[i];
        if (keyTags?.[TAG_APPLICATION] !== this.application) continue;
        const rawIndex = keyTags[TAG_KEY_INDEX];
        const index = rawIndex === undefined ? 0 : Number(rawIndex);
        if (!Number.isSafeInteger(index)) continue;
        yield { ...key, tags: keyTags, walletId: keyTags[TAG_WALLET_ID] ?? null, index };
      }
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
  }

  /** Unreferenced keys tagged for (walletId, index): what a crash between CreateKey and the record left. */
  async findSlotKeys(walletId: string, index: number): Promise<TaggedKey[]> {
    const found: TaggedKey[] = [];
    for await (const key of this.unknownKeys()) {
      if (key.walletId === walletId && key.index === index) found.push(key);
    }
    return found;
  }

  private async knownKeyIds(keyIds: string[]): Promise<Set<string>> {
    if (keyIds.length === 0) return new Set();
    const filter = { kmsKeyId: { $in: keyIds } };
    const projection = { projection: { kmsKeyId: 1 } };
    const [wallets, keys] = await Promise.all([
      this.known.wallets.find(filter, projection).toArray(),
      this.known.walletKeys.find(filter, projection).toArray(),
    ]);
    return new Set([...wallets, ...keys].map((d) => d.kmsKeyId));
  }

  private async readTags(keyIds: string[]): Promise<(Record<string, string> | null)[]> {
    const out: (Record<string, string> | null)[] = new Array<Record<string, string> | null>(
      keyIds.length,
    ).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < keyIds.length) {
        const i = next++;
        const keyId = keyIds[i];
        if (keyId !== undefined) out[i] = await this.tagsOf(keyId);
      }
    };
    await Promise.all(Array.from({ length: Math.min(TAG_READ_CONCURRENCY, keyIds.length) }, worker));
    return out;
  }

  private async tagsOf(keyId: string): Promise<Record<string, string> | null> {
    if (this.tagCache.has(keyId)) return this.tagCache.get(keyId) ?? null;
    const tags: Record<string, string> = {};
    try {
      let marker: string | undefined;
      do {
        const page = await withRetry(
          (abortSignal) =>
            this.kms.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: marker }), { abortSignal }),
          DEFAULT_RETRY_POLICY,
        );
        for (const tag of page.Tags ?? []) if (tag.TagKey) tags[tag.TagKey] = tag.TagValue ?? '';
        marker = page.Truncated ? page.NextMarker : undefined;
      } while (marker);
    } catch (error) {
      // Deleted between ListKeys and now, or not ours to read: not a key we manage.
      const name = (error as { name?: unknown }).name;
      if (name === 'NotFoundException' || name === 'AccessDeniedException') return null;
      throw error;
    }
    // Only keys that are not ours are cached: ours leave the "unknown" set once a record references them.
    if (tags[TAG_APPLICATION] !== this.application) this.tagCache.set(keyId, tags);
    return tags;
  }
}
