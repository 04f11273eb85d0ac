// Local overhead per signature (issue #7 item 2) and KMS calls per signature (item 6). KMS is replaced by
// a client that returns a precomputed DER signature, so what is timed is our own work: DER parsing, low-S,
// recovery id, verification in KmsVault.signDigest, and parsing, digests and assembly in signTransaction.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { parsePublicKey } from '../src/crypto/public-key.js';
import { encodeEcdsaSignatureDer, parseEcdsaSignatureDer } from '../src/kms/der.js';
import {
  compactSignature,
  findRecoveryId,
  isHighS,
  isScalarInRange,
  normalizeLowS,
  verifyDigestSignature,
} from '../src/kms/secp256k1.js';
import { KmsVault } from '../src/kms/vault.js';
import { signTransaction } from '../src/signer/index.js';
import { countingSigner, precomputedKms } from './fake-kms.js';
import { familyCases, SECRET_KEY, WALLET } from './fixtures.js';
import { measure, type Timing } from './stats.js';

/** Sign rate the CPU share is computed for: the default KMS quota of ECC Sign (300 rps). */
export const QUOTA_RPS = 300;

export interface OverheadRow {
  name: string;
  signaturesPerRun: number;
  perRun: Timing;
  /** Median time per signature, in microseconds. */
  perSignatureUs: number;
  /** Share of one core needed at QUOTA_RPS signatures per second, in percent. */
  coreShareAtQuotaPct: number;
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

function row(name: string, signaturesPerRun: number, perRun: Timing): OverheadRow {
  const perSignatureUs = perRun.medianUs / signaturesPerRun;
  return {
    name,
    signaturesPerRun,
    perRun,
    perSignatureUs: Math.round(perSignatureUs * 10) / 10,
    coreShareAtQuotaPct: Math.round(perSignatureUs * QUOTA_RPS * 1e-4 * 100) / 100,
  };
}

/** The local steps of KmsVault.signDigest after the Sign response, called directly. */
function postProcess(der: Uint8Array, digest: Uint8Array, publicKey: Uint8Array) {
  const key = parsePublicKey(publicKey);
  const { r, s: rawS } = parseEcdsaSignatureDer(der);
  if (!isScalarInRange(r) || !isScalarInRange(rawS)) throw new Error('r or s out of range');
  const s = normalizeLowS(rawS);
  const recoveryId = findRecoveryId(digest, r, s, key);
  if (recoveryId === undefined || !verifyDigestSignature(digest, r, s, key)) throw new Error('bad signature');
  return {
    recoveryId,
    der: encodeEcdsaSignatureDer(r, s),
    compact: compactSignature(r, s),
    high: isHighS(rawS),
  };
}

export async function measureOverhead(iterations: number): Promise<OverheadRow[]> {
  const digest = sha256(new TextEncoder().encode('kms-signer benchmark digest'));
  const der = secp256k1.sign(digest, SECRET_KEY, { prehash: false, format: 'der' });
  const rows = [
    row(
      'vault post-processing (DER, low-S, recovery id, verify)',
      1,
      await measure(() => postProcess(der, digest, WALLET.publicKey), iterations),
    ),
  ];
  const key = parsePublicKey(WALLET.publicKey);
  const { r, s } = parseEcdsaSignatureDer(der);
  rows.push(
    row(
      '  of which findRecoveryId (2 recoveries at most)',
      1,
      await measure(() => findRecoveryId(digest, r, s, key), iterations),
    ),
    row(
      '  of which verifyDigestSignature',
      1,
      await measure(() => verifyDigestSignature(digest, r, s, key), iterations),
    ),
  );
  const vault = benchVault(precomputedKms(SECRET_KEY));
  rows.push(
    row(
      'KmsVault.signDigest (+ retry/limiter wrapper, fake KMS)',
      1,
      await measure(() => vault.signDigest(WALLET.keyId, digest, WALLET.publicKey), iterations),
    ),
  );
  for (const family of await familyCases()) {
    const request = family.request(vault);
    rows.push(
      row(
        `signTransaction ${family.family}`,
        family.inputs,
        await measure(() => signTransaction(request), iterations),
      ),
    );
  }
  return rows;
}

export async function countKmsCalls(): Promise<KmsCallsRow[]> {
  const rows: KmsCallsRow[] = [];
  for (const family of await familyCases()) {
    const kms = precomputedKms(SECRET_KEY);
    const signer = countingSigner(benchVault(kms));
    await signTransaction(family.request(signer));
    const kmsRequests = Object.fromEntries(kms.sends);
    rows.push({
      name: family.family,
      inputs: family.inputs,
      digestSignerCalls: signer.calls,
      kmsRequests,
      kmsSignPerInput: (kms.sends.get('SignCommand') ?? 0) / family.inputs,
    });
  }
  return rows;
}
