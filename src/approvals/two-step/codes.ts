// Time-based one-time codes (RFC 6238 TOTP) for the operators' second sign-in step, through `otpauth`:
// SHA-1, 6 digits, 30 s steps — the parameters every authenticator app reads from an otpauth:// URI — and a
// 160-bit seed (RFC 4226 §4 asks for at least 128, recommends 160). A code is accepted one step either side
// of now (RFC 6238 §5.2's allowance for clock drift), and each step at most once (§5.2: a verifier must not
// accept the second attempt of the same code), which the caller enforces with the step returned here.
import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;
const DRIFT_STEPS = 1;
const CODE = /^[0-9]{6}$/;

function totp(seedBase32: string, account = ''): TOTP {
  return new TOTP({
    issuer: 'kms-signer approvals',
    label: account,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(seedBase32),
  });
}

/** A fresh random seed, base32 (what authenticator apps take when typed in). */
export function newSeed(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans. */
export function seedUri(seedBase32: string, account: string): string {
  return totp(seedBase32, account).toString();
}

/** The time step the code belongs to (within the drift allowance), or null when it matches none. */
export function codeStep(seedBase32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!CODE.test(token)) return null;
  const generator = totp(seedBase32);
  const delta = generator.validate({ token, timestamp: now.getTime(), window: DRIFT_STEPS });
  return delta === null ? null : generator.counter({ timestamp: now.getTime() }) + delta;
}

/** The code of `now` (the console client of tests and the demo types it; the console never shows one). */
export function codeAt(seedBase32: string, now: Date): string {
  return totp(seedBase32).generate({ timestamp: now.getTime() });
}
