// Deterministic KMS keys for tests: LocalStack creates a key from given key material when CreateKey
// carries the tag `_custom_key_material_` (services/kms/models.py, KmsKey.__init__).
//
// Tag value format: base64 of a DER private key, read with cryptography's load_der_private_key, i.e.
// PKCS#8 PrivateKeyInfo (or SEC1 ECPrivateKey). The curve inside the DER is what gets used; LocalStack
// does not compare it with KeySpec, so the helper always encodes secp256k1 and checks the resulting
// public key. LocalStack strips the tag, so ListResourceTags never shows the material.
// Python 3.11 note: LocalStack 4.13.1 then crashes in uuid.uuid5(bytes) unless the shim in
// scripts/stack/localstack-py/sitecustomize.py is loaded (scripts/stack/localstack.ts does that).
import { CreateKeyCommand, GetPublicKeyCommand, type KMSClient, type Tag } from '@aws-sdk/client-kms';
import { secp256k1 } from '@noble/curves/secp256k1.js';

export const CUSTOM_KEY_MATERIAL_TAG = '_custom_key_material_';

// PrivateKeyInfo { version 0, AlgorithmIdentifier { id-ecPublicKey, secp256k1 },
//   OCTET STRING { ECPrivateKey { version 1, OCTET STRING(32) <d> } } } — everything but d is fixed.
const PKCS8_SECP256K1_PREFIX = Uint8Array.from(
  Buffer.from('303e020100301006072a8648ce3d020106052b8104000a042730250201010420', 'hex'),
);

/** PKCS#8 DER (64 bytes) for a secp256k1 private key scalar. */
export function secp256k1Pkcs8(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== 32 || !secp256k1.utils.isValidSecretKey(privateKey)) {
    throw new Error('privateKey must be a 32-byte scalar in [1, n-1]');
  }
  const der = new Uint8Array(PKCS8_SECP256K1_PREFIX.length + 32);
  der.set(PKCS8_SECP256K1_PREFIX);
  der.set(privateKey, PKCS8_SECP256K1_PREFIX.length);
  return der;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

// Real AWS would happily store the tag, i.e. publish the private key in a tag and ignore it.
async function assertLocalEndpoint(kms: KMSClient): Promise<void> {
  const endpoint = await kms.config.endpoint?.();
  if (!endpoint || !LOCAL_HOSTS.has(endpoint.hostname)) {
    throw new Error(
      `refusing to send key material to ${endpoint ? endpoint.hostname : 'the default AWS endpoint'}: ` +
        'createKeyWithPrivateKey is for a local KMS emulator only',
    );
  }
}

/**
 * Creates an ECC_SECG_P256K1 SIGN_VERIFY key whose private key is `privateKey` (32-byte scalar) and
 * returns its KeyId. Throws if the endpoint did not honour the material (public key mismatch).
 */
export async function createKeyWithPrivateKey(
  kms: KMSClient,
  privateKey: Uint8Array,
  tags: { TagKey: string; TagValue: string }[] = [],
): Promise<string> {
  await assertLocalEndpoint(kms);
  const material: Tag = {
    TagKey: CUSTOM_KEY_MATERIAL_TAG,
    TagValue: Buffer.from(secp256k1Pkcs8(privateKey)).toString('base64'),
  };
  const created = await kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', Tags: [...tags, material] }),
  );
  const keyId = created.KeyMetadata?.KeyId;
  if (!keyId) throw new Error('CreateKey returned no KeyId');

  const { PublicKey: spki } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const expected = secp256k1.getPublicKey(privateKey, false); // 04 || X || Y
  const actual = spki?.subarray(-65); // SubjectPublicKeyInfo ends with the uncompressed point
  if (!actual || Buffer.compare(Buffer.from(actual), Buffer.from(expected)) !== 0) {
    throw new Error(
      `KMS key ${keyId} does not have the requested key material (is the endpoint LocalStack?)`,
    );
  }
  return keyId;
}
