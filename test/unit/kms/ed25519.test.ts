// The vault's Ed25519 operations against a scripted fake KMS: what is sent (RAW, ED25519_SHA_512), what is
// refused before KMS, and which KMS answers are not trusted. SPKI parsing per RFC 8410.
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { ed25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeEd25519Spki, encodeSecp256k1Spki, parseEd25519Spki } from '../../../src/kms/der.js';
import {
  InvalidInputError,
  KmsKeyUnusableError,
  MalformedKmsResponseError,
  SignatureVerificationError,
} from '../../../src/kms/errors.js';
import { verifyEd25519 } from '../../../src/kms/ed25519.js';
import { KmsVault } from '../../../src/kms/vault.js';

// RFC 8410 §10.1: "the same public key" example, DER.
const RFC8410_SPKI =
  '302a300506032b657003210019bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1';
const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

interface Script {
  keySpec?: string;
  spki?: Uint8Array;
  sign?: (message: Uint8Array) => Uint8Array;
}

function fakeKms(seed: Uint8Array, script: Script = {}) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send(command: unknown) {
      if (command instanceof GetPublicKeyCommand) {
        calls.push({ name: 'GetPublicKey', input: { ...command.input } });
        return Promise.resolve({
          KeySpec: script.keySpec ?? 'ECC_NIST_EDWARDS25519',
          KeyUsage: 'SIGN_VERIFY',
          PublicKey: script.spki ?? encodeEd25519Spki(ed25519.getPublicKey(seed)),
        });
      }
      if (command instanceof SignCommand) {
        calls.push({ name: 'Sign', input: { ...command.input } });
        const message = command.input.Message!;
        return Promise.resolve({
          Signature: script.sign ? script.sign(message) : ed25519.sign(message, seed),
        });
      }
      return Promise.reject(new Error('unexpected command'));
    },
  } as unknown as KMSClient;
  return { vault: new KmsVault({ client }), calls };
}

describe('parseEd25519Spki (RFC 8410)', () => {
  it('extracts the 32-byte key of the RFC 8410 example and round-trips with encodeEd25519Spki', () => {
    const key = parseEd25519Spki(hex(RFC8410_SPKI));
    expect(Buffer.from(key).toString('hex')).toBe(RFC8410_SPKI.slice(24));
    expect(Buffer.from(encodeEd25519Spki(key)).toString('hex')).toBe(RFC8410_SPKI);
  });

  it('refuses another algorithm, parameters, a wrong length and trailing bytes', () => {
    expect(() => parseEd25519Spki(encodeSecp256k1Spki(new Uint8Array(65).fill(4)))).toThrow(
      /expected id-Ed25519/,
    );
    expect(() => parseEd25519Spki(encodeEd25519Spki(new Uint8Array(31)))).toThrow(/31 bytes, expected 32/);
    expect(() => parseEd25519Spki(Uint8Array.from([...hex(RFC8410_SPKI), 0]))).toThrow(/DER/);
    // AlgorithmIdentifier with a NULL parameter: 30 2c 30 07 06 03 2b6570 05 00 03 21 00 ‖ key
    const withNull = hex(`302c300706032b65700500032100${RFC8410_SPKI.slice(24)}`);
    expect(() => parseEd25519Spki(withNull)).toThrow(/no parameters/);
  });
});

describe('verifyEd25519 (the release check)', () => {
  it('accepts a valid signature and refuses a malleated S (S + L), another message and another key', () => {
    const seed = ed25519.utils.randomSecretKey();
    const publicKey = ed25519.getPublicKey(seed);
    const message = randomBytes(64);
    const signature = ed25519.sign(message, seed);
    expect(verifyEd25519(signature, message, publicKey)).toBe(true);
    // RFC 8032 §5.1.7: S must be < L; S + L verifies under the group law but is not canonical.
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const s = BigInt(`0x${Buffer.from(signature.subarray(32)).reverse().toString('hex')}`) + L;
    const malleated = Uint8Array.from([
      ...signature.subarray(0, 32),
      ...Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse(),
    ]);
    expect(verifyEd25519(malleated, message, publicKey)).toBe(false);
    expect(verifyEd25519(signature, randomBytes(64), publicKey)).toBe(false);
    expect(verifyEd25519(signature, message, ed25519.getPublicKey(ed25519.utils.randomSecretKey()))).toBe(
      false,
    );
  });
});

describe('KmsVault Ed25519 (fake KMS)', () => {
  const seed = ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(seed);

  it('signs with ED25519_SHA_512 and MessageType RAW and returns the verified 64-byte signature', async () => {
    const { vault, calls } = fakeKms(seed);
    const message = randomBytes(300);
    const { signature } = await vault.signMessage('k1', message, publicKey);
    expect(ed25519.verify(signature, message, publicKey)).toBe(true);
    expect(calls).toEqual([
      {
        name: 'Sign',
        input: { KeyId: 'k1', Message: message, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' },
      },
    ]);
  });

  it.each([0, 4097])('refuses a %i-byte message without calling KMS', async (length) => {
    const { vault, calls } = fakeKms(seed);
    await expect(vault.signMessage('k1', new Uint8Array(length), publicKey)).rejects.toThrow(
      InvalidInputError,
    );
    expect(calls).toHaveLength(0);
  });

  it('refuses a stored key that is not an Ed25519 point of large order without calling KMS', async () => {
    const { vault, calls } = fakeKms(seed);
    const identity = new Uint8Array(32);
    identity[0] = 1;
    await expect(vault.signMessage('k1', randomBytes(8), identity)).rejects.toThrow(/small-order/);
    await expect(vault.signMessage('k1', randomBytes(8), new Uint8Array(33).fill(2))).rejects.toThrow(
      /32 bytes/,
    );
    expect(calls).toHaveLength(0);
  });

  it('does not release a signature of the wrong length or over another message', async () => {
    const short = fakeKms(seed, { sign: (m) => ed25519.sign(m, seed).subarray(0, 63) });
    await expect(short.vault.signMessage('k1', randomBytes(8), publicKey)).rejects.toThrow(
      MalformedKmsResponseError,
    );
    const other = fakeKms(seed, { sign: () => ed25519.sign(randomBytes(8), seed) });
    await expect(other.vault.signMessage('k1', randomBytes(8), publicKey)).rejects.toThrow(
      SignatureVerificationError,
    );
  });

  it('reads the public key, refusing another key spec and a small-order key from KMS', async () => {
    expect(Buffer.from((await fakeKms(seed).vault.getEd25519PublicKey('k1')).publicKey)).toEqual(
      Buffer.from(publicKey),
    );
    await expect(
      fakeKms(seed, { keySpec: 'ECC_SECG_P256K1' }).vault.getEd25519PublicKey('k1'),
    ).rejects.toThrow(KmsKeyUnusableError);
    const identity = new Uint8Array(32);
    identity[0] = 1;
    await expect(
      fakeKms(seed, { spki: encodeEd25519Spki(identity) }).vault.getEd25519PublicKey('k1'),
    ).rejects.toThrow(MalformedKmsResponseError);
  });
});
