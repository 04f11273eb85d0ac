// API keys are never stored: the configuration holds the SHA-256 (hex) of every accepted key, and a
// presented key is hashed and compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** True when sha256(`presented`) is one of `acceptedHashes` (lower-case hex). */
export function isAcceptedApiKey(presented: string, acceptedHashes: readonly string[]): boolean {
  if (presented === '') return false;
  const digest = Buffer.from(hashApiKey(presented), 'hex');
  let accepted = false;
  for (const hash of acceptedHashes) {
    const candidate = Buffer.from(hash, 'hex');
    // Compare against every hash so timing does not reveal which one matched.
    if (candidate.length === digest.length && timingSafeEqual(candidate, digest)) accepted = true;
  }
  return accepted;
}
