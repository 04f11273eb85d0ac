// Operators' TOTP seeds are stored sealed: AES-256-GCM under a key derived (HKDF-SHA-256) from the service's
// FOUR_EYE_SECRET, so a copy of the database alone does not yield working second factors (RFC 6238 §5.1 asks
// for seeds to be protected at rest). Rotating FOUR_EYE_SECRET therefore invalidates every enrolled seed: each
// operator must be reset by an admin and enrol again (README, "Two-step sign-in").
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export type SealKey = Buffer;

export function sealKey(serviceSecret: string): SealKey {
  return Buffer.from(hkdfSync('sha256', serviceSecret, 'kms-signer', 'approvals two-step seed', 32));
}

export function sealSeed(key: SealKey, seed: string, operator: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(operator)); // a sealed seed copied onto another operator does not open
  const sealed = Buffer.concat([cipher.update(seed, 'utf8'), cipher.final()]);
  return [VERSION, iv, sealed, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
    .join('.');
}

/** The seed, or null when it was sealed under another key, for another operator, or altered. */
export function openSeed(key: SealKey, sealed: string, operator: string): string | null {
  const [version, iv, data, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !data || !tag) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(operator));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
