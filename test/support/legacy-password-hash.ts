// A stored operator hash in the format of src/approvals/passwords.ts at a chosen cost, made with node:crypto
// directly — how records written before a cost change look.
import { randomBytes, scryptSync } from 'node:crypto';

export function legacyScryptHash(password: string, cost: { logN: number; r: number; p: number }): string {
  const salt = randomBytes(16);
  const N = 2 ** cost.logN;
  const hash = scryptSync(password.normalize('NFC'), salt, 32, {
    N,
    r: cost.r,
    p: cost.p,
    maxmem: 256 * N * cost.r,
  });
  return ['scrypt', cost.logN, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}
