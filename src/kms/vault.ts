// The KMS key vault: one key per wallet — ECC_SECG_P256K1 (ECDSA over a digest) or ECC_NIST_EDWARDS25519
// (pure Ed25519 over the message) as the chain needs — created, read, used and retired here. Private
// keys never leave KMS; this class only ever sees public keys and signatures, and it refuses to hand out
// a signature that does not verify against the wallet's known public key.
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  GetPublicKeyCommand,
  type KeyMetadata,
  type KMSClient,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type Tag,
} from '@aws-sdk/client-kms';
import {
  ED25519_KEY_SPEC,
  MAX_SIGN_MESSAGE_BYTES,
  SECP256K1_KEY_SPEC,
  SIGNING_MODES,
  WALLET_KEY_SPECS,
  type WalletKeySpec,
} from './key-specs.js';
import {
  describeError,
  InvalidInputError,
  KmsKeyUnusableError,
  KmsTimeoutError,
  KmsUnavailableError,
  MalformedKmsResponseError,
  SignatureVerificationError,
  type KeyUnusableReason,
} from './errors.js';
import {
  DEFAULT_KMS_RATE_LIMITS,
  KmsRateLimiter,
  type KmsRateLimits,
  type KmsRequestClass,
} from './rate-limiter.js';
import { ownershipCreateParams, tagNewKey, type KeyOwnership } from './key-ownership.js';
import type { KmsSignature } from '../crypto/signature.js';
import {
  DEFAULT_RETRY_POLICY,
  RetryExhaustedError,
  RetryTimedOutError,
  withRetry,
  type RetryPolicy,
} from './retry.js';
import type { Secp256k1PublicKey } from '../crypto/secp256k1.js';
import { loadSecp256k1 } from '../crypto/libsecp256k1.js';
import { InvalidPublicKeyError, parsePublicKey } from '../crypto/public-key.js';
import { onceUnlessFailed } from '../util/memo-retry.js';

/**
 * The DER codec (asn1.js with bn.js, ≈ 68 kB minified) and the Ed25519 curve checks (@noble/curves'
 * edwards code, ≈ 25 kB) are imported by the methods that use them — reading a key from KMS and checking
 * a signature — not at load: every vault method that needs them is async, so a dynamic import() is the
 * load point itself and none can be missed. In the Lambda bundles they are chunks of their own
 * (infra/bundling.ts), outside the init code of a handler that signs nothing (a signer pass with nothing
 * pending, an API listing). ESLint (eslint.config.js) keeps static imports of them out of the init path;
 * test/unit/kms/vault-loading.test.ts runs each method in a fresh module graph.
 */
// Each import() is made once: a repeated one still goes through the module loader (and its hooks) per Sign.
const der = onceUnlessFailed(() => import('./der.js'));
const ed25519 = onceUnlessFailed(() => import('./ed25519.js'));
const signatureMaths = onceUnlessFailed(() => import('./kms-signature.js')); // DER, see `der` above

export const KEY_SPEC = SECP256K1_KEY_SPEC;
export const KEY_USAGE = 'SIGN_VERIFY';
export const SIGNING_ALGORITHM = SIGNING_MODES[SECP256K1_KEY_SPEC].algorithm;
export const ED25519_SIGNING_ALGORITHM = SIGNING_MODES[ED25519_KEY_SPEC].algorithm;

/** Tag keys written on every wallet key; IAM policies and `reconcile` select keys by them. */
export const TAG_APPLICATION = 'Application';
export const TAG_WALLET_ID = 'WalletId';
export const TAG_CHAIN = 'Chain';

export const MIN_PENDING_WINDOW_DAYS = 7;
export const MAX_PENDING_WINDOW_DAYS = 30;

export interface KmsVaultOptions {
  client: KMSClient;
  /** Value of the Application tag; default "kms-signer". */
  application?: string;
  retry?: Partial<RetryPolicy>;
  rateLimits?: Partial<KmsRateLimits>;
  /** Share one limiter between vaults that use the same account and Region. */
  rateLimiter?: KmsRateLimiter;
  /** Told about every retried failure (e.g. ThrottlingException), so it can be logged and alarmed on. */
  onRetry?: (event: KmsRetryEvent) => void;
  /**
   * Create new keys as multi-Region primary keys (KMS_MULTI_REGION_KEYS), so `replicatekeys` can copy
   * them to a recovery Region: same key material and key id, so the same addresses. Set at creation only.
   */
  multiRegion?: boolean;
  /**
   * KMS_KEY_OWNER_ROLE_ARN: the role that creates keys; each key is created with a key policy that lets
   * only this role tag it, once (src/kms/key-ownership.ts). Unset: AWS's default key policy.
   */
  keyOwnerRoleArn?: string;
}

export interface KmsRetryEvent {
  operation: string;
  keyId: string | undefined;
  attempt: number;
  /** Error name and message, e.g. "ThrottlingException: Rate exceeded". */
  error: string;
}

export interface CreateKeyRequest {
  walletId: string;
  chain: string;
  description?: string;
  /** e.g. "alias/kms-signer/<walletId>"; optional because CreateAlias is limited to 5 rps. */
  alias?: string;
  /** Extra tags; cannot override the three the vault writes. */
  tags?: Record<string, string>;
  /** Default ECC_SECG_P256K1; the chain registry says which spec a chain needs (chainKeySpec). */
  keySpec?: WalletKeySpec;
}

export interface KeyReference {
  keyId: string;
  arn: string;
}

export interface KmsPublicKey extends Secp256k1PublicKey {
  keyId: string;
  /** The SubjectPublicKeyInfo exactly as KMS returned it. */
  spkiDer: Uint8Array;
}

export interface KmsEd25519PublicKey {
  keyId: string;
  /** The 32-byte Ed25519 public key (RFC 8032 encoding). */
  publicKey: Uint8Array;
  /** The SubjectPublicKeyInfo exactly as KMS returned it. */
  spkiDer: Uint8Array;
}

export interface KmsEd25519Signature {
  keyId: string;
  /** 64-byte R ‖ S, verified against the wallet's public key. */
  signature: Uint8Array;
}

export type { KmsSignature } from '../crypto/signature.js';

export interface KeyDescription {
  keyId: string;
  arn: string;
  state: string;
  enabled: boolean;
  keySpec: string | undefined;
  keyUsage: string | undefined;
  description: string | undefined;
  createdAt: Date | undefined;
  deletionDate: Date | undefined;
  pendingDeletionWindowInDays: number | undefined;
}

const UNUSABLE_BY_ERROR_NAME: Record<string, KeyUnusableReason> = {
  NotFoundException: 'not-found',
  DisabledException: 'disabled',
  KMSInvalidStateException: 'invalid-state',
  KeyUnavailableException: 'invalid-state',
  InvalidKeyUsageException: 'wrong-key-usage',
  UnsupportedOperationException: 'wrong-key-usage',
  AccessDeniedException: 'access-denied',
  AccessDenied: 'access-denied',
};

const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const ALIAS_PATTERN = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

export class KmsVault {
  private readonly client: KMSClient;
  private readonly application: string;
  private readonly retryPolicy: RetryPolicy;
  private readonly limiter: KmsRateLimiter;
  private readonly onRetry: ((event: KmsRetryEvent) => void) | undefined;
  private readonly multiRegion: boolean;
  private readonly ownership: KeyOwnership | undefined;

  constructor(options: KmsVaultOptions) {
    this.onRetry = options.onRetry;
    this.multiRegion = options.multiRegion ?? false;
    this.client = options.client;
    this.application = options.application ?? 'kms-signer';
    this.ownership =
      options.keyOwnerRoleArn === undefined
        ? undefined
        : { ownerRoleArn: options.keyOwnerRoleArn, application: this.application };
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.limiter =
      options.rateLimiter ?? new KmsRateLimiter({ ...DEFAULT_KMS_RATE_LIMITS, ...options.rateLimits });
  }

  /** Creates a signing key (secp256k1 unless `keySpec` says otherwise) tagged with application, wallet id and chain. */
  async createKey(request: CreateKeyRequest): Promise<KeyReference> {
    const tags = this.buildTags(request);
    const keySpec = request.keySpec ?? KEY_SPEC;
    if (!WALLET_KEY_SPECS.includes(keySpec)) {
      throw new InvalidInputError('keySpec', `must be one of ${WALLET_KEY_SPECS.join(', ')}`);
    }
    if (request.alias !== undefined) assertAlias(request.alias);
    const description =
      request.description ?? `${this.application} wallet ${request.walletId} (${request.chain})`;
    if (description.length > 8192)
      throw new InvalidInputError('description', 'must be at most 8192 characters');

    const created = await this.call('CreateKey', 'createKey', undefined, () =>
      this.client.send(
        new CreateKeyCommand({
          KeySpec: keySpec,
          KeyUsage: KEY_USAGE,
          Description: description,
          ...this.ownershipParams(),
          ...(this.multiRegion ? { MultiRegion: true } : {}),
        }),
      ),
    );
    const keyId = created.KeyMetadata?.KeyId;
    const arn = created.KeyMetadata?.Arn;
    if (!keyId || !arn)
      throw new MalformedKmsResponseError('(new key)', 'CreateKey returned no KeyId or Arn');
    // Tags only through the key's own policy, never at CreateKey (src/kms/key-ownership.ts explains why).
    await tagNewKey(this.client, keyId, tags, (operation, send) =>
      this.call(operation, 'keyAdmin', keyId, send),
    );

    if (request.alias !== undefined) {
      const aliasName = request.alias;
      await this.call('CreateAlias', 'alias', keyId, () =>
        this.client.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId })),
      );
    }
    return { keyId, arn };
  }

  /** CreateKey parameters that attach the ownership key policy (src/kms/key-ownership.ts). */
  ownershipParams(): ReturnType<typeof ownershipCreateParams> {
    return ownershipCreateParams(this.ownership);
  }

  /** Reads and validates the key's public key: id-ecPublicKey on secp256k1, a real curve point. */
  async getPublicKey(keyId: string): Promise<KmsPublicKey> {
    const { parseSecp256k1Spki } = await der();
    const { spkiDer, key: point } = await this.readSpki(keyId, KEY_SPEC, parseSecp256k1Spki);
    await loadSecp256k1(); // parsePublicKey's point check (src/crypto/libsecp256k1.ts)
    let publicKey: Secp256k1PublicKey;
    try {
      publicKey = parsePublicKey(point);
    } catch (error) {
      if (error instanceof InvalidPublicKeyError) {
        throw new MalformedKmsResponseError(keyId, `public key from KMS is invalid: ${error.reason}`);
      }
      throw error;
    }
    return { keyId, spkiDer, ...publicKey };
  }

  /**
   * Signs a 32-byte digest the caller computed itself (MessageType=DIGEST: KMS does not hash again).
   * The result is low-S, carries the recovery id that reproduces `publicKey`, and has been verified.
   */
  async signDigest(
    keyId: string,
    digest: Uint8Array,
    publicKey: Secp256k1PublicKey | Uint8Array,
  ): Promise<KmsSignature> {
    assertKeyId(keyId);
    if (!(digest instanceof Uint8Array)) throw new InvalidInputError('digest', 'must be a Uint8Array');
    if (digest.length !== 32) {
      throw new InvalidInputError('digest', `must be exactly 32 bytes, got ${digest.length}`);
    }
    await loadSecp256k1(); // the key check here and kmsSignature's recovery (src/crypto/libsecp256k1.ts)
    const expectedKey = resolvePublicKey(publicKey);

    const response = await this.call('Sign', 'sign', keyId, () =>
      this.client.send(
        new SignCommand({
          KeyId: keyId,
          Message: digest,
          MessageType: SIGNING_MODES[SECP256K1_KEY_SPEC].messageType,
          SigningAlgorithm: SIGNING_ALGORITHM,
        }),
      ),
    );
    if (!response.Signature) throw new MalformedKmsResponseError(keyId, 'Sign returned no Signature');

    const { kmsSignature } = await signatureMaths();
    return kmsSignature(keyId, response.Signature, digest, expectedKey);
  }

  /** Reads and validates an Ed25519 key's public key: id-Ed25519 SPKI, a canonical point of large order. */
  async getEd25519PublicKey(keyId: string): Promise<KmsEd25519PublicKey> {
    const [{ parseEd25519Spki }, { ed25519PublicKeyProblem }] = await Promise.all([der(), ed25519()]);
    const { spkiDer, key: publicKey } = await this.readSpki(keyId, ED25519_KEY_SPEC, parseEd25519Spki);
    const problem = ed25519PublicKeyProblem(publicKey);
    if (problem) throw new MalformedKmsResponseError(keyId, `public key from KMS ${problem}`);
    return { keyId, publicKey, spkiDer };
  }

  /**
   * Signs `message` itself with pure Ed25519 (ED25519_SHA_512, MessageType=RAW) — the chains hash
   * nothing before Ed25519 does. The signature is released only if it verifies against `publicKey`
   * (OpenSSL, independent of KMS).
   */
  async signMessage(keyId: string, message: Uint8Array, publicKey: Uint8Array): Promise<KmsEd25519Signature> {
    assertKeyId(keyId);
    if (!(message instanceof Uint8Array)) throw new InvalidInputError('message', 'must be a Uint8Array');
    if (message.length === 0 || message.length > MAX_SIGN_MESSAGE_BYTES) {
      throw new InvalidInputError(
        'message',
        `must be 1 to ${MAX_SIGN_MESSAGE_BYTES} bytes (the KMS Sign limit), got ${message.length}`,
      );
    }
    if (!(publicKey instanceof Uint8Array)) throw new InvalidInputError('publicKey', 'must be a Uint8Array');
    const { ED25519_SIGNATURE_BYTES, ed25519PublicKeyProblem, verifyEd25519 } = await ed25519();
    const problem = ed25519PublicKeyProblem(publicKey);
    if (problem) throw new InvalidInputError('publicKey', problem);

    const response = await this.call('Sign', 'sign', keyId, () =>
      this.client.send(
        new SignCommand({
          KeyId: keyId,
          Message: message,
          MessageType: SIGNING_MODES[ED25519_KEY_SPEC].messageType,
          SigningAlgorithm: ED25519_SIGNING_ALGORITHM,
        }),
      ),
    );
    const signature = response.Signature;
    if (!signature) throw new MalformedKmsResponseError(keyId, 'Sign returned no Signature');
    if (signature.length !== ED25519_SIGNATURE_BYTES) {
      throw new MalformedKmsResponseError(
        keyId,
        `Ed25519 signature has ${signature.length} bytes, expected ${ED25519_SIGNATURE_BYTES}`,
      );
    }
    if (!verifyEd25519(signature, message, publicKey)) {
      throw new SignatureVerificationError(
        keyId,
        'Ed25519 signature does not verify against the wallet public key',
      );
    }
    return { keyId, signature: Uint8Array.from(signature) };
  }

  /**
   * The public key in the form wallets store and derive addresses from: the 33-byte compressed
   * secp256k1 point or the 32-byte Ed25519 key, after the checks of getPublicKey/getEd25519PublicKey.
   */
  async getWalletPublicKey(keyId: string, keySpec: WalletKeySpec): Promise<Uint8Array> {
    return keySpec === ED25519_KEY_SPEC
      ? (await this.getEd25519PublicKey(keyId)).publicKey
      : (await this.getPublicKey(keyId)).compressed;
  }

  async describeKey(keyId: string): Promise<KeyDescription> {
    assertKeyId(keyId);
    const response = await this.call('DescribeKey', 'describeKey', keyId, () =>
      this.client.send(new DescribeKeyCommand({ KeyId: keyId })),
    );
    if (!response.KeyMetadata)
      throw new MalformedKmsResponseError(keyId, 'DescribeKey returned no KeyMetadata');
    return toKeyDescription(response.KeyMetadata);
  }

  async listTags(keyId: string): Promise<Record<string, string>> {
    assertKeyId(keyId);
    const tags: Record<string, string> = {};
    let marker: string | undefined;
    do {
      const page = await this.call('ListResourceTags', 'describeKey', keyId, () =>
        this.client.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: marker })),
      );
      for (const tag of page.Tags ?? []) if (tag.TagKey) tags[tag.TagKey] = tag.TagValue ?? '';
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
    return tags;
  }

  async disableKey(keyId: string): Promise<void> {
    assertKeyId(keyId);
    await this.call('DisableKey', 'keyAdmin', keyId, () =>
      this.client.send(new DisableKeyCommand({ KeyId: keyId })),
    );
  }

  async enableKey(keyId: string): Promise<void> {
    assertKeyId(keyId);
    await this.call('EnableKey', 'keyAdmin', keyId, () =>
      this.client.send(new EnableKeyCommand({ KeyId: keyId })),
    );
  }

  /** Schedules deletion after a 7–30 day window (never less: a deleted key's funds are lost forever). */
  async scheduleKeyDeletion(
    keyId: string,
    pendingWindowInDays = MAX_PENDING_WINDOW_DAYS,
  ): Promise<Date | undefined> {
    assertKeyId(keyId);
    if (
      !Number.isInteger(pendingWindowInDays) ||
      pendingWindowInDays < MIN_PENDING_WINDOW_DAYS ||
      pendingWindowInDays > MAX_PENDING_WINDOW_DAYS
    ) {
      throw new InvalidInputError(
        'pendingWindowInDays',
        `must be a whole number of days from ${MIN_PENDING_WINDOW_DAYS} to ${MAX_PENDING_WINDOW_DAYS}, got ${pendingWindowInDays}`,
      );
    }
    const response = await this.call('ScheduleKeyDeletion', 'keyAdmin', keyId, () =>
      this.client.send(
        new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: pendingWindowInDays }),
      ),
    );
    return response.DeletionDate;
  }

  /** Cancels a scheduled deletion. KMS leaves the key DISABLED afterwards; enable it to sign again. */
  async cancelKeyDeletion(keyId: string): Promise<void> {
    assertKeyId(keyId);
    await this.call('CancelKeyDeletion', 'keyAdmin', keyId, () =>
      this.client.send(new CancelKeyDeletionCommand({ KeyId: keyId })),
    );
  }

  private buildTags(request: CreateKeyRequest): Tag[] {
    const own: Record<string, string> = {
      [TAG_APPLICATION]: this.application,
      [TAG_WALLET_ID]: request.walletId,
      [TAG_CHAIN]: request.chain,
    };
    const fieldNames: Record<string, string> = { [TAG_WALLET_ID]: 'walletId', [TAG_CHAIN]: 'chain' };
    for (const [key, value] of Object.entries(own)) {
      if (typeof value !== 'string' || !TAG_VALUE_PATTERN.test(value)) {
        throw new InvalidInputError(
          fieldNames[key] ?? key,
          'must be 1-256 characters of letters, digits, spaces and _ . : / = + - @',
        );
      }
    }
    for (const [key, value] of Object.entries(request.tags ?? {})) {
      if (key in own) throw new InvalidInputError(`tags.${key}`, 'is reserved by kms-signer');
      if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key) || key.startsWith('aws:')) {
        throw new InvalidInputError(`tags.${key}`, 'is not a valid KMS tag key');
      }
      if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u.test(value)) {
        throw new InvalidInputError(`tags.${key}`, 'is not a valid KMS tag value');
      }
    }
    return Object.entries({ ...request.tags, ...own }).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  }

  /** GetPublicKey, insisting on `keySpec` / SIGN_VERIFY, and the key bytes `parse` extracts from the SPKI. */
  private async readSpki(
    keyId: string,
    keySpec: WalletKeySpec,
    parse: (spki: Uint8Array) => Uint8Array,
  ): Promise<{ spkiDer: Uint8Array; key: Uint8Array }> {
    assertKeyId(keyId);
    const response = await this.call('GetPublicKey', 'getPublicKey', keyId, () =>
      this.client.send(new GetPublicKeyCommand({ KeyId: keyId })),
    );
    if (response.KeySpec !== keySpec || response.KeyUsage !== KEY_USAGE) {
      throw new KmsKeyUnusableError(
        keyId,
        'wrong-key-spec',
        `expected ${keySpec} / ${KEY_USAGE}, it is ${response.KeySpec ?? 'unknown spec'} / ${response.KeyUsage ?? 'unknown usage'}`,
      );
    }
    if (!response.PublicKey) throw new MalformedKmsResponseError(keyId, 'GetPublicKey returned no PublicKey');
    const { DerError } = await der();
    try {
      return { spkiDer: response.PublicKey, key: parse(response.PublicKey) };
    } catch (error) {
      if (error instanceof DerError) throw new MalformedKmsResponseError(keyId, error.message);
      throw error;
    }
  }

  /**
   * Rate-limits, retries and translates errors for one KMS request. The vault's sends take no per-call
   * options (no abortSignal): the client's requestTimeout destroys a hung request (src/kms/client.ts) and
   * withRetry abandons an attempt past its timeout, so the SDK can reuse its resolved middleware.
   */
  private async call<T>(
    operation: string,
    requestClass: KmsRequestClass,
    keyId: string | undefined,
    send: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    try {
      return await withRetry(send, this.retryPolicy, {
        gate: (attempt) => this.limiter.schedule(requestClass, attempt),
        onRetry: (error, attempt) =>
          this.onRetry?.({ operation, keyId, attempt, error: describeError(error) }),
      });
    } catch (error) {
      if (error instanceof RetryExhaustedError) {
        const Unavailable = error instanceof RetryTimedOutError ? KmsTimeoutError : KmsUnavailableError;
        throw new Unavailable(
          operation,
          keyId,
          error.outcome.attempts,
          error.outcome.elapsedMs,
          error.lastError,
        );
      }
      const name = (error as { name?: unknown }).name;
      const reason = typeof name === 'string' ? UNUSABLE_BY_ERROR_NAME[name] : undefined;
      if (reason) {
        throw new KmsKeyUnusableError(keyId ?? '(new key)', reason, (error as Error).message, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

function assertKeyId(keyId: unknown): asserts keyId is string {
  if (typeof keyId !== 'string' || keyId.trim() === '' || keyId.length > 2048) {
    throw new InvalidInputError(
      'keyId',
      'must be a non-empty KMS key id, ARN or alias of at most 2048 characters',
    );
  }
}

function assertAlias(alias: string): void {
  if (!ALIAS_PATTERN.test(alias) || alias.startsWith('alias/aws/')) {
    throw new InvalidInputError(
      'alias',
      'must look like alias/<name> using letters, digits, / _ - and not alias/aws/',
    );
  }
}

function resolvePublicKey(publicKey: Secp256k1PublicKey | Uint8Array): Secp256k1PublicKey {
  try {
    return parsePublicKey(publicKey instanceof Uint8Array ? publicKey : publicKey.uncompressed);
  } catch (error) {
    if (error instanceof InvalidPublicKeyError) throw new InvalidInputError('publicKey', error.reason);
    throw error;
  }
}

function toKeyDescription(metadata: KeyMetadata): KeyDescription {
  return {
    keyId: metadata.KeyId ?? '',
    arn: metadata.Arn ?? '',
    state: metadata.KeyState ?? 'Unknown',
    enabled: metadata.Enabled ?? false,
    keySpec: metadata.KeySpec,
    keyUsage: metadata.KeyUsage,
    description: metadata.Description,
    createdAt: metadata.CreationDate,
    deletionDate: metadata.DeletionDate,
    pendingDeletionWindowInDays: metadata.PendingDeletionWindowInDays,
  };
}
