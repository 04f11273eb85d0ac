// importWallet (tatum-kms storemanagedprivatekey): existing key material goes into a new KMS key with
// Origin EXTERNAL. The private key is held only as long as needed: copied once, wrapped for KMS with
// RSAES_OAEP_SHA_256 under a 4096-bit RSA wrapping key from GetParametersForImport (AWS allows RSAES_OAEP
// with any RSA wrapping key size for ECC material except P-521 under RSA_2048; LocalStack 4.13.1 accepts
// it too), and every buffer that held it — including the caller's — is zeroed before returning.
// After ImportKeyMaterial the key's public key must equal the one computed from the private key, or the
// key is scheduled for deletion and the import fails.
import { tagNewKey } from '../kms/key-ownership.js';
import {
  CreateKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
} from '@aws-sdk/client-kms';
import { constants, createPublicKey, publicEncrypt, randomUUID } from 'node:crypto';
import { chainKeySpec, deriveAddress, getChain, loadAddressCode } from '../chains/index.js';
import { libsecp256k1 } from '../crypto/libsecp256k1.js';
import {
  DEFAULT_RETRY_POLICY,
  ED25519_KEY_SPEC,
  KEY_USAGE,
  SECP256K1_KEY_SPEC,
  TAG_APPLICATION,
  TAG_CHAIN,
  TAG_WALLET_ID,
  withRetry,
  type KeyReference,
  type KmsRateLimiter,
  type WalletKeySpec,
} from '../kms/index.js';
import { WalletError, type CreateWalletInput, type WalletView } from './contract.js';
import type { ServiceContext } from './context.js';
import { newWalletDoc } from './create.js';
import { isDuplicateKey } from './errors.js';
import { KeyMismatchError, provisionKey, walletSlot } from './key-slot.js';
import { checkCreateInput, invalid } from './validation.js';
import { walletView } from './views.js';

export const WRAPPING_ALGORITHM = 'RSAES_OAEP_SHA_256';
export const WRAPPING_KEY_SPEC = 'RSA_4096';

/** How a 32-byte private key of each key spec is checked, turned into its public key and wrapped. */
interface ImportFormat {
  /** What `privateKey` must be, for the error message. */
  expected: string;
  isValid(secret: Uint8Array): boolean;
  /** The public key in the form wallets store (compressed secp256k1 / 32-byte Ed25519). */
  publicKey(secret: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** DER of PrivateKeyInfo up to the 32 key bytes; ImportKeyMaterial takes PKCS#8 for asymmetric keys. */
  pkcs8Prefix: Buffer;
}

const IMPORT_FORMATS: Record<WalletKeySpec, ImportFormat> = {
  [SECP256K1_KEY_SPEC]: {
    expected: 'a 32-byte secp256k1 private key (1 ≤ d < n)',
    // libsecp256k1 (loaded with the chain's address code, below), not noble's secp256k1: the same curve
    // maths the vault uses, and noble's Weierstrass code stays out of the Lambdas' init code.
    isValid: (secret) => libsecp256k1().validatePrivateKey(secret),
    publicKey: (secret) => {
      const publicKey = libsecp256k1().derivePublicKeyCompressed(secret);
      if (typeof publicKey === 'string') throw new Error(publicKey); // isValid already refused such keys
      return publicKey;
    },
    // PrivateKeyInfo { 0, { id-ecPublicKey, secp256k1 }, OCTET STRING { ECPrivateKey { 1, OCTET STRING(32) d } } }
    pkcs8Prefix: Buffer.from('303e020100301006072a8648ce3d020106052b8104000a042730250201010420', 'hex'),
  },
  [ED25519_KEY_SPEC]: {
    expected: 'a 32-byte Ed25519 private key (the RFC 8032 seed, not a 64-byte keypair)',
    isValid: () => true, // every 32-byte string is an Ed25519 seed
    // noble's Ed25519, loaded with the first Ed25519 import (not in the Lambdas' init code: issue 16).
    publicKey: async (secret) => (await import('@noble/curves/ed25519.js')).ed25519.getPublicKey(secret),
    // RFC 8410 §7: PrivateKeyInfo { 0, { id-Ed25519 }, OCTET STRING { OCTET STRING(32) seed } }
    pkcs8Prefix: Buffer.from('302e020100300506032b657004220420', 'hex'),
  },
};

import type { ImportPacer } from './import-pacer.js';

export interface ImportDeps {
  limiter: KmsRateLimiter;
  pacer: ImportPacer;
}

const retried = <T>(operation: (abortSignal: AbortSignal) => Promise<T>): Promise<T> =>
  withRetry(operation, DEFAULT_RETRY_POLICY);

async function createImportedKey(
  ctx: ServiceContext,
  deps: ImportDeps,
  wallet: { signatureId: string; chain: string },
  tags: Record<string, string>,
  secret: Buffer,
  keySpec: WalletKeySpec,
): Promise<KeyReference> {
  const created = await deps.limiter.schedule('createKey', () =>
    retried((abortSignal) =>
      ctx.kms.send(
        new CreateKeyCommand({
          KeySpec: keySpec,
          KeyUsage: KEY_USAGE,
          Origin: 'EXTERNAL',
          Description: `${ctx.application} imported wallet ${wallet.signatureId} (${wallet.chain})`,
          ...ctx.vault.ownershipParams(),
        }),
        { abortSignal },
      ),
    ),
  );
  const keyId = created.KeyMetadata?.KeyId;
  const arn = created.KeyMetadata?.Arn;
  if (!keyId || !arn) throw new Error('CreateKey returned no KeyId or Arn');
  // Tags only through the key's own policy, never at CreateKey (src/kms/key-ownership.ts explains why).
  const keyTags = Object.entries({
    ...tags,
    [TAG_APPLICATION]: ctx.application,
    [TAG_WALLET_ID]: wallet.signatureId,
    [TAG_CHAIN]: wallet.chain,
  }).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  await tagNewKey(ctx.kms, keyId, keyTags, (_operation, send) => retried(send));
  const pkcs8 = Buffer.concat([IMPORT_FORMATS[keySpec].pkcs8Prefix, secret]);
  try {
    await deps.pacer.wait();
    const params = await retried((abortSignal) =>
      ctx.kms.send(
        new GetParametersForImportCommand({
          KeyId: keyId,
          WrappingAlgorithm: WRAPPING_ALGORITHM,
          WrappingKeySpec: WRAPPING_KEY_SPEC,
        }),
        { abortSignal },
      ),
    );
    if (!params.ImportToken || !params.PublicKey)
      throw new Error('GetParametersForImport returned no token or key');
    const wrapped = publicEncrypt(
      {
        key: createPublicKey({ key: Buffer.from(params.PublicKey), format: 'der', type: 'spki' }),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      pkcs8,
    );
    const importToken = params.ImportToken;
    await retried((abortSignal) =>
      ctx.kms.send(
        new ImportKeyMaterialCommand({
          KeyId: keyId,
          ImportToken: importToken,
          EncryptedKeyMaterial: wrapped,
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
        { abortSignal },
      ),
    );
  } catch (error) {
    // A key without material is useless (and would count against the key quota).
    await ctx.vault.scheduleKeyDeletion(keyId, 7).catch(() => undefined);
    throw error;
  } finally {
    pkcs8.fill(0);
  }
  return { keyId, arn };
}

export async function importWallet(
  ctx: ServiceContext,
  deps: ImportDeps,
  rawInput: CreateWalletInput,
  privateKey: Uint8Array,
): Promise<WalletView> {
  let secret: Buffer | undefined;
  try {
    const input = checkCreateInput(rawInput);
    if (input.index !== null) throw invalid('index', 'an imported wallet has only its own key (index 0)');
    if (getChain(input.chain).addressFormats.length === 0) {
      throw invalid(
        'chain',
        `${input.chain} keys are not imported yet: create a wallet and register its account`,
      );
    }
    await loadAddressCode([input.chain]); // the key check and the address (and libsecp256k1 for secp256k1)
    const keySpec = chainKeySpec(input.chain);
    const format = IMPORT_FORMATS[keySpec];
    if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32 || !format.isValid(privateKey)) {
      throw invalid('privateKey', `must be ${format.expected}`);
    }
    secret = Buffer.from(privateKey);
    const publicKey = await format.publicKey(secret);
    const expectedPublicKey = Buffer.from(publicKey).toString('hex');
    const address = deriveAddress(input.chain, input.network, publicKey);
    if (
      await ctx.wallets.findOne(
        { chain: input.chain, network: input.network, address },
        { projection: { _id: 1 } },
      )
    ) {
      throw new WalletError(
        'CONFLICT',
        `a wallet with this key already exists on ${input.chain} ${input.network}`,
      );
    }

    const signatureId = randomUUID();
    const doc = newWalletDoc(signatureId, input, ctx.clock(), { keyOrigin: 'EXTERNAL' });
    await ctx.wallets.insertOne(doc);
    const slot = walletSlot(ctx, doc);
    const material = secret;
    const target = {
      ...slot,
      expectedPublicKey,
      createKey: () => createImportedKey(ctx, deps, doc, slot.tags, material, keySpec),
    };
    try {
      return walletView((await provisionKey(ctx, target)) as typeof doc);
    } catch (error) {
      await discardImport(ctx, signatureId);
      if (error instanceof KeyMismatchError) {
        throw new WalletError(
          'UNAVAILABLE',
          'KMS did not return the imported public key; the key was scheduled for deletion',
        );
      }
      if (isDuplicateKey(error))
        throw new WalletError(
          'CONFLICT',
          `a wallet with this key already exists on ${input.chain} ${input.network}`,
        );
      throw error;
    }
  } finally {
    secret?.fill(0);
    if (privateKey instanceof Uint8Array) privateKey.fill(0);
  }
}

/** Schedules deletion of the half-imported key (if stored) and removes the CREATING record. */
async function discardImport(ctx: ServiceContext, signatureId: string): Promise<void> {
  const doc = await ctx.wallets.findOne({ _id: signatureId });
  if (doc && !doc.kmsKeyId.startsWith('pending:')) {
    await ctx.vault.scheduleKeyDeletion(doc.kmsKeyId, 7).catch(() => undefined);
  }
  await ctx.wallets.deleteOne({ _id: signatureId, status: 'CREATING' });
}
