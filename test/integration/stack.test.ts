// Smoke test of the local stand-ins: each one answers, and the properties the signer tests rely on
// hold (secp256k1 DIGEST signing in KMS, deterministic fixture keys, segwit active on regtest).
import { createHash, randomUUID } from 'node:crypto';
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  ListResourceTagsCommand,
  SignCommand,
} from '@aws-sdk/client-kms';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { payments, script, Transaction } from 'bitcoinjs-lib';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { btcRpc } from '../../scripts/stack/btc-rpc.js';
import { btcTestKey, decodeRegtestWif } from '../../scripts/stack/btc-mining-key.js';
import { createKeyWithPrivateKey } from '../support/kms-fixtures.js';
import { kmsClientFor, secretsManagerClientFor, stackEndpoints } from '../support/stack.js';

const G_COMPRESSED = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const scalar = (n: number) => {
  const d = new Uint8Array(32);
  d[31] = n;
  return d;
};
/** Uncompressed point at the end of a secp256k1 SubjectPublicKeyInfo. */
const spkiPoint = (spki: Uint8Array) => spki.subarray(-65);

describe('LocalStack KMS', () => {
  const kms = kmsClientFor(stackEndpoints());

  it('creates an ECC_SECG_P256K1 key and signs a 32-byte DIGEST without re-hashing it', async () => {
    const created = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' }),
    );
    const keyId = created.KeyMetadata!.KeyId!;
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(pub.KeySpec).toBe('ECC_SECG_P256K1');
    expect(pub.SigningAlgorithms).toContain('ECDSA_SHA_256');
    expect(pub.PublicKey).toHaveLength(88); // SPKI: 23-byte header + 65-byte point
    const point = spkiPoint(pub.PublicKey!);
    expect(() => secp256k1.Point.fromBytes(point)).not.toThrow();

    const digest = createHash('sha256').update('stack smoke test').digest();
    const signed = await kms.send(
      new SignCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    const signature = secp256k1.Signature.fromBytes(signed.Signature!, 'der');
    // prehash:false = verify against the digest itself; KMS may return high-S, like real KMS.
    expect(
      secp256k1.verify(signature.toBytes('compact'), digest, point, { prehash: false, lowS: false }),
    ).toBe(true);
  });

  it('creates keys from fixed private keys via _custom_key_material_ (scalar 1 -> G)', async () => {
    const keyId = await createKeyWithPrivateKey(kms, scalar(1), [{ TagKey: 'purpose', TagValue: 'fixture' }]);
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(hex(secp256k1.Point.fromBytes(spkiPoint(pub.PublicKey!)).toBytes(true))).toBe(G_COMPRESSED);

    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    expect(tags.Tags).toEqual([{ TagKey: 'purpose', TagValue: 'fixture' }]); // material tag is stripped

    const digest = createHash('sha256').update('fixture').digest();
    const signed = await kms.send(
      new SignCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    const signature = secp256k1.Signature.fromBytes(signed.Signature!, 'der').toBytes('compact');
    const g = Uint8Array.from(Buffer.from(G_COMPRESSED, 'hex'));
    expect(secp256k1.verify(signature, digest, g, { prehash: false, lowS: false })).toBe(true);
  });
});

describe('LocalStack Secrets Manager', () => {
  it('stores and returns a secret', async () => {
    const sm = secretsManagerClientFor(stackEndpoints());
    const name = `stack-test/${randomUUID()}`;
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"apiKey":"t0p"}' }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    expect(got.SecretString).toBe('{"apiKey":"t0p"}');
  });
});

describe('FerretDB', () => {
  it('inserts and finds a document', async () => {
    const client = new MongoClient(stackEndpoints().mongoUri, { serverSelectionTimeoutMS: 5_000 });
    try {
      const wallets = client
        .db(`stack_test_${process.pid}`)
        .collection<{ _id: string; chain: string }>('wallets');
      const id = randomUUID();
      await wallets.insertOne({ _id: id, chain: 'btc' });
      expect(await wallets.findOne({ _id: id })).toEqual({ _id: id, chain: 'btc' });
    } finally {
      await client.close();
    }
  });
});

describe('anvil', () => {
  it('answers eth_chainId with 31337', async () => {
    const response = await fetch(stackEndpoints().evmRpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    const body = z.object({ result: z.string() }).parse(await response.json());
    expect(Number(body.result)).toBe(31337);
  });
});

describe('btcd regtest', () => {
  const { btcRpc: rpc, btcMiningWif } = stackEndpoints();

  it('is past segwit activation', async () => {
    expect(await btcRpc(rpc, 'getblockcount', [], z.number())).toBeGreaterThanOrEqual(432);
    const info = await btcRpc(
      rpc,
      'getblockchaininfo',
      [],
      z.object({ bip9_softforks: z.record(z.string(), z.object({ status: z.string() })) }),
    );
    expect(info.bip9_softforks.segwit?.status).toBe('active');
  });

  it('accepts a P2WPKH spend of a mature coinbase paid to the mining key', async () => {
    const miner = btcTestKey(decodeRegtestWif(btcMiningWif));
    const height = await btcRpc(rpc, 'getblockcount', [], z.number());

    // An unspent, mature coinbase (other tests may have spent some); start at a random height.
    const txOut = z
      .object({ value: z.number(), confirmations: z.number(), coinbase: z.boolean() })
      .nullable();
    let utxo: { txid: string; sats: bigint } | undefined;
    const first = 1 + Math.floor(Math.random() * (height - 100));
    for (let h = first; h <= height - 100 && !utxo; h++) {
      const hash = await btcRpc(rpc, 'getblockhash', [h], z.string());
      const block = await btcRpc(
        rpc,
        'getblock',
        [hash],
        z.object({ tx: z.tuple([z.string()], z.string()) }),
      );
      const [coinbaseTxid] = block.tx;
      const out = await btcRpc(rpc, 'gettxout', [coinbaseTxid, 0, true], txOut);
      if (out?.coinbase && out.confirmations >= 100) {
        utxo = { txid: coinbaseTxid, sats: BigInt(Math.round(out.value * 1e8)) };
      }
    }
    expect(utxo).toBeDefined();
    const { txid, sats } = utxo!;

    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(Uint8Array.from(Buffer.from(txid, 'hex').reverse()), 0);
    tx.addOutput(payments.p2wpkh({ pubkey: miner.publicKey }).output!, sats - 10_000n);
    // BIP143: the script code of a P2WPKH input is the matching P2PKH script.
    const scriptCode = payments.p2pkh({ pubkey: miner.publicKey }).output!;
    const sighash = tx.hashForWitnessV0(0, scriptCode, sats, Transaction.SIGHASH_ALL);
    const signature = secp256k1.sign(sighash, miner.privateKey, { prehash: false }); // low-S by default
    tx.setWitness(0, [script.signature.encode(signature, Transaction.SIGHASH_ALL), miner.publicKey]);

    const [verdict] = await btcRpc(
      rpc,
      'testmempoolaccept',
      [[tx.toHex()], 0.1], // btcd requires maxfeerate (BTC/kvB) to be passed
      z.array(z.object({ allowed: z.boolean(), 'reject-reason': z.string().optional() })),
    );
    expect(verdict).toEqual(expect.objectContaining({ allowed: true }));
  });
});
