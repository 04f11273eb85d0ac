// The loop's "signature maths" per EVM transaction (issue 16's loop-CPU target excludes it), measured in
// process on the throughput benchmark's payload (bench/throughput-run.ts: legacy ETH transfer, testnet):
// the EVM signer's own work of one job, split into
//   - payload: prepareTransaction without its digest — JSON parse, field checks, addresses, transfers;
//   - unsigned hash: ethers' serialization + keccak of the unsigned transaction (the digest KMS signs);
//   - kmsSignature: DER parse, low-S, recovery-id search (libsecp256k1), DER re-encode;
//   - finish: the signed serialization, its decode, digest and hash again, the sender (finish.ts).
// Signature maths = unsigned hash + kmsSignature + finish. The DER signatures are precomputed (random k,
// high S in half, as KMS answers), so no signing is timed. CPU time of this thread, each part timed over a
// batch of 500 transactions at once; medians of the batches.
// Run: npx tsx bench/evm-signature-maths.ts   (BENCH_ITERATIONS, default 3000)
import { getBytes, Transaction } from 'ethers';
import { evmPayload } from '../scripts/sandbox/pending-payloads.js';
import { testKey } from '../scripts/fixtures/fake-digest-signer.js';
import { getFamilyChain, loadAllAddressCode } from '../src/chains/index.js';
import { parsePublicKey } from '../src/crypto/public-key.js';
import { kmsSignature } from '../src/kms/kms-signature.js';
import { prepareTransaction } from '../src/signer/index.js';
import type { KmsSignature } from '../src/crypto/signature.js';
import { kmsLikeSignatures } from './fake-kms.js';

await loadAllAddressCode();

const iterations = Number.parseInt(process.env.BENCH_ITERATIONS ?? '3000', 10);
// Large batches: this thread's CPU clock advances in scheduler ticks (4 ms here), too coarse for less.
const BATCH = 500;
const key = testKey('throughput-0');
const expectedKey = parsePublicKey(key.publicKey);

const cpuUs = () => {
  const { user, system } = process.threadCpuUsage();
  return user + system;
};

type Part = 'payload' | 'unsignedHash' | 'kmsSignature' | 'finish';

function unsignedOf(nonce: number): string {
  return evmPayload({
    to: '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
    value: 10n ** 15n,
    gasPrice: 20_000_000_000n,
    nonce,
  });
}

const prepare = (nonce: number) =>
  prepareTransaction({
    chain: 'ETH',
    network: 'testnet',
    wallets: [key.wallet],
    unsigned: unsignedOf(nonce),
  });

/** CPU µs per transaction of each part over the nonces [first, first + BATCH), each part timed at once. */
async function batch(first: number, ders: readonly Uint8Array[]): Promise<Record<Part, number>> {
  const nonces = Array.from({ length: BATCH }, (_, n) => first + n);
  let start = cpuUs();
  const prepared = await Promise.all(nonces.map(prepare));
  const prepareUs = cpuUs() - start;

  const txs = nonces.map((nonce) => unsignedTx(unsignedOf(nonce)));
  start = cpuUs();
  const hashes = txs.map((tx) => tx.unsignedHash);
  const hashUs = cpuUs() - start;
  hashes.forEach((hash, n) => {
    if (hash.slice(2) !== prepared[n]?.digests[0]?.digest)
      throw new Error('the timed hash is not the signed digest');
  });

  const digests = hashes.map((hash) => getBytes(hash));
  start = cpuUs();
  const signatures = nonces.map((nonce, n) =>
    kmsSignature(key.keyId, ders[nonce] as Uint8Array, digests[n] as Uint8Array, expectedKey),
  );
  const kmsUs = cpuUs() - start;

  // The signer hands back the signature kmsSignature made (with its recovery proof), at no cost.
  start = cpuUs();
  for (const [n, one] of prepared.entries()) {
    const signature = signatures[n] as KmsSignature;
    await one.sign({ signDigest: () => Promise.resolve(signature) });
  }
  const finishUs = cpuUs() - start;
  return {
    payload: (prepareUs - hashUs) / BATCH,
    unsignedHash: hashUs / BATCH,
    kmsSignature: kmsUs / BATCH,
    finish: finishUs / BATCH,
  };
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
    const digest = getBytes(`0x${(await prepare(nonce)).digests[0]?.digest ?? ''}`);
    out.push(kmsLikeSignatures(digest, key.privateKey, 2)[nonce % 2] as Uint8Array);
  }
  return out;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const ders = await signatures(iterations);
await batch(0, ders); // warm-up
const batches: Record<Part, number[]> = { payload: [], unsignedHash: [], kmsSignature: [], finish: [] };
for (let first = 0; first + BATCH <= iterations; first += BATCH) {
  const parts = await batch(first, ders);
  for (const part of Object.keys(parts) as Part[]) batches[part].push(parts[part]);
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
