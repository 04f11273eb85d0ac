// Operator passwords, stored as scrypt at OWASP's N=2^15, r=8, p=3 setting (32 MiB per hash; the Password
// Storage Cheat Sheet lists it beside N=2^17/p=1 as an equal minimum, trading CPU for RAM per concurrent login).
// Format: scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>: each hash carries its cost, so older hashes still verify
// and are re-hashed at the current cost on the operator's next sign-in (`isBelowCurrentCost`).
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const LOG_N = 15;
const R = 8;
const P = 3;
const KEY_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 12;

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`password: must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, LOG_N, R, P);
  return ['scrypt', LOG_N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

interface StoredHash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

// Bounds on a stored hash's cost, so a corrupted record cannot make a sign-in allocate gigabytes.
const inRange = (value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max;

function parseStored(stored: string): StoredHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!inRange(logN, 10, 20) || !inRange(r, 1, 32) || !inRange(p, 1, 16)) return null;
  return {
    logN,
    r,
    p,
    salt: Buffer.from(parts[4] ?? '', 'base64'),
    hash: Buffer.from(parts[5] ?? '', 'base64'),
  };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const actual = await scrypt(password, parsed.salt, parsed.logN, parsed.r, parsed.p);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** True when the stored hash was made at a lower cost than new hashes get (re-hash it at sign-in). */
export function isBelowCurrentCost(stored: string): boolean {
  const parsed = parseStored(stored);
  return parsed === null || parsed.logN < LOG_N || parsed.r < R || parsed.p < P;
}

/** Spent on unknown usernames so that a login takes as long whether or not the operator exists. */
export const DUMMY_HASH = `scrypt$${LOG_N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
