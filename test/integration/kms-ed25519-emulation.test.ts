// The LocalStack shim for Ed25519 keys (scripts/stack/localstack-py/kms_ed25519.py) behaves like AWS KMS:
// its keys sign and verify pure Ed25519 exactly as @noble/curves (an independent implementation) does,
// and it refuses what AWS refuses. Raw KMS calls only; the vault is tested elsewhere.
import {
  CreateKeyCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  type KMSClient,
  SignCommand,
  type SigningAlgorithmSpec,
  VerifyCommand,
  type MessageType,
} from '@aws-sdk/client-kms';
import { ed25519 } from '@noble/curves/ed25519.js';
import { constants, createPrivateKey, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '../support/stack.js';
import { testKmsClient } from '../../scripts/fixtures/vault.js';

// RFC 8032 §7.1, TEST 2: one-byte message 0x72.
const RFC8032_SECRET = Buffer.from('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', 'hex');
const RFC8032_PUBLIC = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';
const RFC8032_SIGNATURE =
  '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da' +
  '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00';
// RFC 8410 §3: SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (32 bytes) }.
const ED25519_SPKI_PREFIX = '302a300506032b6570032100';

let kms: KMSClient;

beforeAll(() => {
  kms = testKmsClient(stackEndpoints().awsEndpoint);
});

/** PKCS#8 DER of an Ed25519 private key (RFC 8410), built by Node from the raw 32-byte secret. */
function pkcs8(secret: Uint8Array): Buffer {
  const jwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    d: Buffer.from(secret).toString('base64url'),
    x: Buffer.from(ed25519.getPublicKey(secret)).toString('base64url'),
  };
  return createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'pkcs8' });
}

async function createEd25519Key(tags: { TagKey: string; TagValue: string }[] = []): Promise<string> {
  const created = await kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY', Tags: tags }),
  );
  return created.KeyMetadata!.KeyId!;
}

async function rawPublicKey(keyId: string): Promise<Uint8Array> {
  const response = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const der = Buffer.from(response.PublicKey!);
  expect(der).toHaveLength(44);
  expect(der.subarray(0, 12).toString('hex')).toBe(ED25519_SPKI_PREFIX);
  return der.subarray(12);
}

async function sign(
  keyId: string,
  message: Uint8Array,
  algorithm: SigningAlgorithmSpec = 'ED25519_SHA_512',
  messageType: MessageType = 'RAW',
): Promise<Uint8Array> {
  const response = await kms.send(
    new SignCommand({
      KeyId: keyId,
      Message: message,
      SigningAlgorithm: algorithm,
      MessageType: messageType,
    }),
  );
  return response.Signature!;
}

describe('LocalStack KMS with the Ed25519 shim', () => {
  it('creates ECC_NIST_EDWARDS25519 keys that advertise both Ed25519 algorithms', async () => {
    const keyId = await createEd25519Key();
    const response = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(response.KeySpec).toBe('ECC_NIST_EDWARDS25519');
    expect(response.KeyUsage).toBe('SIGN_VERIFY');
    expect(response.SigningAlgorithms).toEqual(['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
  });

  it('signs RAW messages (1 to 4,096 bytes) with pure Ed25519 that @noble/curves verifies', async () => {
    const keyId = await createEd25519Key();
    const publicKey = await rawPublicKey(keyId);
    for (const length of [1, 32, 1232, 4096]) {
      const message = randomBytes(length);
      const signature = await sign(keyId, message);
      expect(signature).toHaveLength(64);
      expect(ed25519.verify(signature, message, publicKey)).toBe(true);
      expect(ed25519.verify(signature, randomBytes(length), publicKey)).toBe(false);
    }
  });

  it('reproduces RFC 8032 TEST 2 byte for byte from custom key material (PKCS#8)', async () => {
    const keyId = await createEd25519Key([
      { TagKey: '_custom_key_material_', TagValue: pkcs8(RFC8032_SECRET).toString('base64') },
    ]);
    expect(Buffer.from(await rawPublicKey(keyId)).toString('hex')).toBe(RFC8032_PUBLIC);
    const signature = await sign(keyId, Uint8Array.of(0x72));
    expect(Buffer.from(signature).toString('hex')).toBe(RFC8032_SIGNATURE);
    expect(Buffer.from(ed25519.sign(Uint8Array.of(0x72), RFC8032_SECRET)).toString('hex')).toBe(
      RFC8032_SIGNATURE,
    );
  });

  it('imports Ed25519 key material (EXTERNAL origin, RSAES_OAEP_SHA_256) and signs with it', async () => {
    const secret = ed25519.utils.randomSecretKey();
    const created = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }),
    );
    const keyId = created.KeyMetadata!.KeyId!;
    const parameters = await kms.send(
      new GetParametersForImportCommand({
        KeyId: keyId,
        WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        WrappingKeySpec: 'RSA_4096',
      }),
    );
    const wrapped = publicEncrypt(
      {
        key: createPublicKey({ key: Buffer.from(parameters.PublicKey!), format: 'der', type: 'spki' }),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      pkcs8(secret),
    );
    await kms.send(
      new ImportKeyMaterialCommand({
        KeyId: keyId,
        ImportToken: parameters.ImportToken,
        EncryptedKeyMaterial: wrapped,
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    );
    const publicKey = await rawPublicKey(keyId);
    expect(Buffer.from(publicKey)).toEqual(Buffer.from(ed25519.getPublicKey(secret)));
    const message = randomBytes(200);
    expect(Buffer.from(await sign(keyId, message))).toEqual(Buffer.from(ed25519.sign(message, secret)));
  });

  it('verifies its own signatures and refuses altered ones (Verify)', async () => {
    const keyId = await createEd25519Key();
    const message = randomBytes(64);
    const signature = await sign(keyId, message);
    const verify = (sig: Uint8Array) =>
      kms.send(
        new VerifyCommand({
          KeyId: keyId,
          Message: message,
          Signature: sig,
          SigningAlgorithm: 'ED25519_SHA_512',
          MessageType: 'RAW',
        }),
      );
    expect((await verify(signature)).SignatureValid).toBe(true);
    const altered = Uint8Array.from(signature);
    altered[5]! ^= 1;
    await expect(verify(altered)).rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
  });

  it('refuses what AWS refuses: DIGEST, Ed25519ph with RAW, over 4,096 bytes, cross-over algorithms', async () => {
    const keyId = await createEd25519Key();
    await expect(sign(keyId, randomBytes(64), 'ED25519_SHA_512', 'DIGEST')).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(sign(keyId, randomBytes(64), 'ED25519_PH_SHA_512', 'RAW')).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(sign(keyId, randomBytes(4097))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sign(keyId, randomBytes(32), 'ECDSA_SHA_256', 'DIGEST')).rejects.toMatchObject({
      name: 'InvalidKeyUsageException',
    });

    const secp = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' }),
    );
    await expect(sign(secp.KeyMetadata!.KeyId!, randomBytes(32))).rejects.toMatchObject({
      name: 'InvalidKeyUsageException',
    });
  });
});
