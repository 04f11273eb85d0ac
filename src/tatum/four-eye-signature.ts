// How the signing loop proves to the four-eyes service that a check comes from it: an HMAC-SHA256 over
// the method, the path, a timestamp and the body's SHA-256, keyed with a secret both sides share. The
// loop signs (four-eye.ts), the approvals service verifies (src/approvals): one scheme, one place.
// Without the secret nobody can probe which transactions are approved or register one for approval.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const FOUR_EYE_TIMESTAMP_HEADER = 'x-kms-signer-timestamp';
export const FOUR_EYE_SIGNATURE_HEADER = 'x-kms-signer-signature';
/** A signed request older or newer than this is refused (clock skew plus transit). */
export const FOUR_EYE_MAX_SKEW_MS = 5 * 60_000;
/** Shorter secrets are refused at start-up on both sides. */
export const FOUR_EYE_MIN_SECRET_LENGTH = 32;

export interface FourEyeRequestParts {
  method: string;
  /** URL path as sent, e.g. /four-eye/5e6645712b55823de7ea82f1. */
  path: string;
  body: string;
}

function mac(secret: string, parts: FourEyeRequestParts, timestamp: string): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  const text = ['v1', parts.method.toUpperCase(), parts.path, timestamp, bodyHash].join('\n');
  return `v1=${createHmac('sha256', secret).update(text).digest('hex')}`;
}

/** Why `secret` is unfit to sign four-eyes requests, or null. */
export function fourEyeSecretProblem(secret: string): string | null {
  return secret.length < FOUR_EYE_MIN_SECRET_LENGTH
    ? `must be at least ${FOUR_EYE_MIN_SECRET_LENGTH} characters`
    : null;
}

/** Headers the loop adds to a four-eyes request. */
export function signFourEyeRequest(
  secret: string,
  parts: FourEyeRequestParts,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    [FOUR_EYE_TIMESTAMP_HEADER]: timestamp,
    [FOUR_EYE_SIGNATURE_HEADER]: mac(secret, parts, timestamp),
  };
}

/** Why a request is not from the loop, or null when its signature holds. */
export function verifyFourEyeRequest(
  secret: string,
  parts: FourEyeRequestParts,
  headers: { timestamp: string | undefined; signature: string | undefined },
  now = Date.now(),
): string | null {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined) return 'not signed';
  if (!/^\d{1,16}$/.test(timestamp)) return 'bad timestamp';
  if (Math.abs(now - Number(timestamp)) > FOUR_EYE_MAX_SKEW_MS) return 'timestamp outside the allowed skew';
  const expected = Buffer.from(mac(secret, parts, timestamp));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad signature';
  return null;
}
