// Local overhead per signature (issue #7 item 2) and KMS calls per signature (item 6). KMS is replaced by
// a client answering from precomputed DER signatures, so what is timed is our own work: DER parsing,
// low-S, recovery id (which proves the signature verifies) in KmsVault.signDigest, and parsing, digests,
// assembly and each family's final check of the released bytes in signTransaction.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { loadSecp256k1 } from '../src/crypto/libsecp256k1.js';
import { parsePublicKey } from '../src/crypto/public-key.js';
import { parseEcdsaSignatureDer } from '../src/kms/der.js';
import { kmsSignature } from '../src/kms/kms-signature.js';
import { findRecoveryId, normalizeLowS } from '../src/crypto/secp256k1.js';
import { KmsVault } from '../src/kms/vault.js';
import { signTransaction } from '../src/signer/index.js';
import { countingSigner, kmsLikeSignatures, precomputedKms } from './fake-kms.js';
import { ed25519Cases, ED25519_SEED } from './ed25519-cases.js';
import { familyCases, SECRET_KEY, WALLET } from './fixtures.js';
import { ok, table } from './report.js';
import type { BenchSection } from './section.js';
import { measure, type Measured, type Timing } from './stats.js';

/** Sign rate the CPU share is computed for: the default KMS quota of ECC Sign (300 rps). */
export const QUOTA_RPS = 300;
const TARGET_US = 500;
const iterations = (): number => Number.parseInt(process.env.BENCH_ITERATIONS ?? '2000', 10);

export interface OverheadRow {
  name: string;
  signaturesPerRun: number;
  /** CPU time per run (what the target and the core share are about). */
  perRun: Timing;
  /** Wall-clock time per run, including any wait on the vault's limiter timer. */
  wallPerRun: Timing;
  /** Median CPU time per signature, in microseconds. */
  perSignatureUs: number;
  /** Share of one core needed at QUOTA_RPS signatures per second, in percent. */
  coreShareAtQuotaPct: number;
  /** Comparison rows are not held to the target. */
  reference?: boolean;
}

export interface KmsCallsRow {
  name: string;
  inputs: number;
  digestSignerCalls: number;
  kmsRequests: Record<string, number>;
  kmsSignPerInput: number;
}

/** A vault whose own pacing is far above the run's rate, so the limiter never waits. */
function benchVault(kms: ReturnType<typeof precomputedKms>): KmsVault {
  return new KmsVault({ client: kms.client, rateLimits: { sign: 1_000_000 } });
}

function row(name: string, signaturesPerRun: number, measured: Measured, reference = false): OverheadRow {
  const perRun = measured.cpu;
  const perSignatureUs = perRun.medianUs / signaturesPerRun;
  return {
    name,
    signaturesPerRun,
    perRun,
    wallPerRun: measured.wall,
    perSignatureUs: Math.round(perSignatureUs * 10) / 10,
    coreShareAtQuotaPct: Math.round(perSignatureUs * QUOTA_RPS * 1e-4 * 100) / 100,
    ...(reference ? { reference } : {}),
  };
}

/** Cycles through `items`, one per call. */
function cycle<T>(items: readonly T[]): () => T {
  let next = 0;
  return () => items[next++ % items.length] as T;
}

async function measureOverhead(count: number): Promise<OverheadRow[]> {
  const digest = sha256(new TextEncoder().encode('kms-signer benchmark digest'));
  await loadSecp256k1(); // parsePublicKey and findRecoveryId below run without the vault's load point
  const key = parsePublicKey(WALLET.publicKey);
  const signatures = kmsLikeSignatures(digest, SECRET_KEY, 16);
  const nextDer = cycle(signatures);
  const nextLowS = cycle(
    signatures.map((der) => {
      const { r, s } = parseEcdsaSignatureDer(der);
      return { r, s: normalizeLowS(s) };
    }),
  );
  const rows = [
    row(
      'kmsSignature: DER parse, low-S, recovery id (proves it verifies), re-encode',
      1,
      await measure(() => kmsSignature(WALLET.keyId, nextDer(), digest, key), count),
    ),
    row(
      '  of which findRecoveryId (libsecp256k1 WASM, 1.5 recoveries on average)',
      1,
      await measure(() => {
        const { r, s } = nextLowS();
        return findRecoveryId(digest, r, s, key);
      }, count),
    ),
    row(
      '  for comparison: one recovery in pure JavaScript (@noble/curves, used before)',
      1,
      await measure(() => {
        const { r, s } = nextLowS();
        return new secp256k1.Signature(r, s).addRecoveryBit(0).recoverPublicKey(digest);
      }, count),
      true,
    ),
  ];
  const vault = benchVault(precomputedKms(SECRET_KEY, 16, ED25519_SEED));
  rows.push(
    row(
      'KmsVault.signDigest (+ retry/limiter wrapper, fake KMS)',
      1,
      await measure(() => vault.signDigest(WALLET.keyId, digest, WALLET.publicKey), count),
    ),
  );
  for (const family of await familyCases()) {
    const request = family.request(vault);
    rows.push(
      row(
        `signTransaction ${family.family}, incl. final check`,
        family.inputs,
        await measure(() => signTransaction(request), count),
      ),
    );
  }
  for (const ed25519Case of ed25519Cases()) {
    const { chain } = ed25519Case;
    const signed = ed25519Case.request(vault);
    rows.push(
      row(
        `signTransaction ${chain} (Ed25519), incl. final check`,
        1,
        await measure(() => signTransaction(signed), count),
      ),
    );
  }
  return rows;
}

async function countKmsCalls(): Promise<KmsCallsRow[]> {
  const rows: KmsCallsRow[] = [];
  for (const family of await familyCases()) {
    const kms = precomputedKms(SECRET_KEY);
    const signer = countingSigner(benchVault(kms));
    await signTransaction(family.request(signer));
    rows.push({
      name: family.family,
      inputs: family.inputs,
      digestSignerCalls: signer.calls,
      kmsRequests: Object.fromEntries(kms.sends),
      kmsSignPerInput: (kms.sends.get('SignCommand') ?? 0) / family.inputs,
    });
  }
  for (const ed25519Case of ed25519Cases()) {
    const { chain } = ed25519Case;
    const kms = precomputedKms(SECRET_KEY, 16, ED25519_SEED);
    const vault = benchVault(kms);
    let messageCalls = 0;
    const signer = {
      signDigest: (keyId: string, digest: Uint8Array, publicKey: Uint8Array) =>
        vault.signDigest(keyId, digest, publicKey),
      signMessage: (keyId: string, message: Uint8Array, publicKey: Uint8Array) => {
        messageCalls += 1;
        return vault.signMessage(keyId, message, publicKey);
      },
    };
    await signTransaction(ed25519Case.request(signer));
    rows.push({
      name: `${chain} (Ed25519; MessageSigner calls)`,
      inputs: 1,
      digestSignerCalls: messageCalls,
      kmsRequests: Object.fromEntries(kms.sends),
      kmsSignPerInput: kms.sends.get('SignCommand') ?? 0,
    });
  }
  return rows;
}

export const overheadSection: BenchSection = {
  name: 'overhead',
  description: 'local CPU per signature, per chain family',
  async run() {
    const count = iterations();
    const rows = await measureOverhead(count);
    const markdown = [
      '## Local overhead per signature',
      '',
      `KMS is replaced by an in-process client answering from 16 precomputed real signatures per digest`,
      `(random k, high S in half of them, as KMS returns), so only our own work is timed: ${count} timed`,
      `iterations after a warm-up, one at a time. Times are CPU time of the process (user + system) per run,`,
      `so a wait on the vault's limiter timer is not counted; the wall-clock median is shown for reference.`,
      `Core share = CPU µs per signature × ${QUOTA_RPS} signatures/s.`,
      '',
      table(
        [
          'Measured',
          'Sigs/run',
          'CPU µs/run (median)',
          'CPU p99/run µs',
          'Wall µs/run (median)',
          'CPU µs per sig',
          `Core share @ ${QUOTA_RPS}/s`,
          `≤ ${TARGET_US} µs`,
        ],
        rows.map((r) => [
          r.name,
          r.signaturesPerRun,
          r.perRun.medianUs,
          r.perRun.p99Us,
          r.wallPerRun.medianUs,
          r.perSignatureUs,
          `${r.coreShareAtQuotaPct} %`,
          r.reference ? '(reference)' : ok(r.perSignatureUs <= TARGET_US),
        ]),
      ),
    ].join('\n');
    return { json: { iterations: count, quotaRps: QUOTA_RPS, rows }, markdown };
  },
};

export const kmsCallsSection: BenchSection = {
  name: 'kms-calls',
  description: 'KMS requests per signature, per chain family',
  async run() {
    const rows = await countKmsCalls();
    const markdown = [
      '## KMS calls per transaction',
      '',
      'Every request the vault sends to KMS while one transaction is signed, counted at the client.',
      'Public keys come from the wallet record, so the only request is one Sign per input.',
      '',
      table(
        ['Transaction', 'Inputs', 'DigestSigner calls', 'KMS requests', 'Sign per input', 'Exactly 1'],
        rows.map((r) => [
          r.name,
          r.inputs,
          r.digestSignerCalls,
          Object.entries(r.kmsRequests)
            .map(([name, count]) => `${name} ×${count}`)
            .join(', '),
          r.kmsSignPerInput,
          ok(r.kmsSignPerInput === 1 && Object.keys(r.kmsRequests).length === 1),
        ]),
      ),
    ].join('\n');
    return { json: { rows }, markdown };
  },
};
