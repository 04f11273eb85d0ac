// An in-process stand-in for KMSClient.send, for unit tests of the vault's own logic (validation,
// DER handling, error mapping, retries). Integration tests use LocalStack instead.
import type { KMSClient } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import * as tiny from 'tiny-secp256k1';
import { encodeEcdsaSignatureDer, encodeSecp256k1Spki } from '../../src/kms/der.js';
import { CURVE_ORDER } from '../../src/crypto/secp256k1.js';

type Responder = (input: Record<string, unknown>) => unknown;

export interface FakeKms {
  client: KMSClient;
  calls: { command: string; input: Record<string, unknown> }[];
  privateKey: Uint8Array;
  publicKey: Uint8Array; // uncompressed
  /** Overrides the answer for one command name (e.g. 'SignCommand'); throw inside to fail. */
  on(command: string, responder: Responder): void;
  /** The next `times` calls of `command` throw `error()`; later calls get the usual answer. */
  failFirst(command: string, times: number, error: () => Error): void;
}

export function createFakeKms(options: { forceHighS?: boolean } = {}): FakeKms {
  const privateKey = randomBytes(32);
  const publicKey = tiny.pointFromScalar(privateKey, false)!;
  const calls: FakeKms['calls'] = [];
  const responders = new Map<string, Responder>([
    [
      'GetPublicKeyCommand',
      (input) => ({
        KeyId: input.KeyId,
        KeySpec: 'ECC_SECG_P256K1',
        KeyUsage: 'SIGN_VERIFY',
        PublicKey: encodeSecp256k1Spki(publicKey),
      }),
    ],
    [
      'SignCommand',
      (input) => {
        const compact = tiny.sign(input.Message as Uint8Array, privateKey);
        const r = BigInt(`0x${Buffer.from(compact.subarray(0, 32)).toString('hex')}`);
        const s = BigInt(`0x${Buffer.from(compact.subarray(32)).toString('hex')}`);
        return {
          KeyId: input.KeyId,
          Signature: encodeEcdsaSignatureDer(r, options.forceHighS ? CURVE_ORDER - s : s),
        };
      },
    ],
    [
      'CreateKeyCommand',
      () => ({ KeyMetadata: { KeyId: 'fake-key', Arn: 'arn:aws:kms:us-east-1:0:key/fake-key' } }),
    ],
    ['ScheduleKeyDeletionCommand', () => ({ DeletionDate: new Date() })],
    ['TagResourceCommand', () => ({})],
  ]);
  const client = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      calls.push({ command: name, input: command.input });
      const responder = responders.get(name);
      if (!responder) return Promise.reject(new Error(`fake KMS has no responder for ${name}`));
      // A throw inside the executor becomes a rejection, as the SDK would report it.
      return new Promise((resolve) => {
        resolve(responder(command.input));
      });
    },
  } as unknown as KMSClient;
  const failFirst = (command: string, times: number, error: () => Error) => {
    const answer = responders.get(command);
    let remaining = times;
    responders.set(command, (input) => {
      if (remaining-- > 0 || !answer) throw error();
      return answer(input);
    });
  };
  return {
    client,
    calls,
    privateKey,
    publicKey,
    on: (command, responder) => responders.set(command, responder),
    failFirst,
  };
}

/** An error shaped like the SDK's unmodeled service errors (KMS throttling is not a modeled type). */
export function awsError(name: string, message: string, httpStatusCode: number): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
}
