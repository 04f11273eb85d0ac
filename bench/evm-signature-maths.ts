// The loop's "signature maths" per EVM transaction (issue 16's loop-CPU target excludes it), measured in
// process on the throughput benchmark's payload (bench/throughput-run.ts: legacy ETH transfer, testnet):
// the EVM signer's own work of one job, split into
//   - payload: prepareTransaction without its digest — JSON parse, field checks, addresses, transfers;
//   - unsigned hash: ethers' serialization + keccak of the unsigned transaction (the digest KMS signs);
//   - kmsSignature: DER parse, low-S, recovery-id search (libsecp256k1), DER re-encode;
//   - finish: the signed serialization, its decode, digest and hash again, the sender (finish.ts).
// Signature maths = unsigned hash + kmsSignature + finish. The DER signatures are precomputed (random k,
// high S in half, as KMS answers), so no signing is timed. CPU time of this thread, medians of batches.
// Run: npx tsx bench/evm-signature-maths.ts   (BENCH_ITERATIONS, default 2000)
import { getBytes, Transaction } from 'ethers';
import { evmPayload } from '../scripts/sandbox/pending-payloads.js';
import { testKey } from '../scripts/fixtures/fake-digest-signer.js';
import { getFamilyChain, loadAllAddressCode } from '../src/chains/index.js';
import { parsePublicKey } from '../src/crypto/public-key.js';
import { kmsSignature } from '../src/kms/kms-signature.js';
import { prepareTransaction } from '../src/signer/index.js';
import type { DigestSigner } from '../src/signer/types.js';
import { kmsLikeSignatures } from './fake-kms.js';

await loadAllAddressCode();

const iterations = Number.parseInt(process.env.BENCH_ITERATIONS ?? '2000', 10);
const BATCH = 50;
const key = testKey('throughput-0');
const expectedKey = parsePublicKey(key.publicKey);

const cpuUs = () => {
  const { user, system } = process.threadCpuUsage();
  return user + system;
};

/** Spent CPU µs per part, for one batch. */
const parts = { payload: 0, unsignedHash: 0, kmsSignature: 0, finish: 0 };
type Part = keyof typeof parts;

function unsignedOf(nonce: number): string {
  return evmPayload({
    to: '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
    value: 10n ** 15n,
    gasPrice: 20_000_000_000n,
    nonce,
  });
}

/** One transaction through prepare + sign, each part's CPU added to `parts`. */
async function oneTransaction(nonce: number, der: Uint8Array): Promise<void> {
  const signer: DigestSigner = {
    signDigest(keyId, digest) {
      const start = cpuUs();
      const signature = kmsSignature(keyId, der, digest, expectedKey);
      parts.kmsSignature += cpuUs() - start;
      return Promise.resolve(signature);
    },
  };
  const unsigned = unsignedOf(nonce);
  let start = cpuUs();
  const prepared = await prepareTransaction({
    chain: 'ETH',
    network: 'testnet',
    wallets: [key.wallet],
    unsigned,
  });
  parts.payload += cpuUs() - start;
  // The digest prepare computed, timed alone on an equal transaction (subtracted from `payload`).
  const tx = unsignedTx(unsigned);
  start = cpuUs();
  const hash = tx.unsignedHash;
  const hashUs = cpuUs() - start;
  if (hash.slice(2) !== prepared.digests[0]?.digest)
    throw new Error('the timed hash is not the signed digest');
  parts.unsignedHash += hashUs;
  parts.payload -= hashUs;
  start = cpuUs();
  const kmsBefore = parts.kmsSignature;
  await prepared.sign(signer);
  parts.finish += cpuUs() - start - (parts.kmsSignature - kmsBefore);
}

function unsignedTx(unsigned: string): Transaction {
  const fields = JSON.parse(unsigned) as Record<string, string | number>;
  return Transaction.from({
    type: 0,
    to: String(fields.to),
    value: BigInt(fields.value ?? 0),
    gasLimit: BigInt(fields.gas ?? 0),
    gasPrice: BigInt(fields.gasPrice ?? 0),
    nonce: Number(fields.nonce),
    data: String(fields.data ?? '0x'),
    chainId: BigInt(getFamilyChain('evm', 'ETH', 'testnet').params.chainId),
  });
}

/** One KMS-like DER signature per nonce, over the digest prepare will compute. */
async function signatures(count: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let nonce = 0; nonce < count; nonce++) {
    const prepared = await prepareTransaction({
      chain: 'ETH',
      network: 'testnet',
      wallets: [key.wallet],
      unsigned: unsignedOf(nonce),
    });
    const digest = getBytes(`0x${prepared.digests[0]?.digest ?? ''}`);
    out.push(kmsLikeSignatures(digest, key.privateKey, 2)[nonce % 2] as Uint8Array);
  }
  return out;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const ders = await signatures(iterations);
for (let nonce = 0; nonce < Math.min(200, iterations); nonce++)
  await oneTransaction(nonce, ders[nonce] as Uint8Array);
const batches: Record<Part, number[]> = { payload: [], unsignedHash: [], kmsSignature: [], finish: [] };
for (let first = 0; first + BATCH <= iterations; first += BATCH) {
  for (const part of Object.keys(parts) as Part[]) parts[part] = 0;
  for (let nonce = first; nonce < first + BATCH; nonce++)
    await oneTransaction(nonce, ders[nonce] as Uint8Array);
  for (const part of Object.keys(parts) as Part[]) batches[part].push(parts[part] / BATCH);
}
const us = Object.fromEntries((Object.keys(batches) as Part[]).map((p) => [p, median(batches[p])])) as Record<
  Part,
  number
>;
const maths = us.unsignedHash + us.kmsSignature + us.finish;
console.log(
  `EVM signer work per transaction, CPU µs (median of ${batches.payload.length} batches of ${BATCH}):`,
);
for (const part of Object.keys(us) as Part[]) console.log(`  ${part}: ${us[part].toFixed(0)}`);
console.log(`  signature maths (unsignedHash + kmsSignature + finish): ${maths.toFixed(0)}`);
console.log(`  all signer work: ${(maths + us.payload).toFixed(0)}`);
