// Counts the secp256k1 public-key recoveries and verifications behind one EVM signature (issue 16): the
// libsecp256k1 calls (vault and final check) and ethers' own recovery (SigningKey.recoverPublicKey, what
// `Transaction.from(...).from` runs), over `BENCH_ITERATIONS` (200) signTransaction calls against the
// bench's precomputed KMS (random k, high S in half, so the recovery-id search varies as with KMS).
// Run: npx tsx bench/evm-recoveries.ts
import { SigningKey } from 'ethers';
import { libsecp256k1, loadSecp256k1 } from '../src/crypto/libsecp256k1.js';
import { KmsVault } from '../src/kms/vault.js';
import { signTransaction } from '../src/signer/index.js';
import { precomputedKms } from './fake-kms.js';
import { familyCases, SECRET_KEY } from './fixtures.js';

const counts = new Map<string, number>();

/** Replaces `owner[name]` by a wrapper counting its calls under `label`. */
function count(owner: object, name: string, label: string): void {
  const target = owner as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name];
  if (typeof original !== 'function') throw new Error(`${name} is not a function`);
  target[name] = function counted(this: unknown, ...args: unknown[]) {
    counts.set(label, (counts.get(label) ?? 0) + 1);
    return original.apply(this, args);
  };
}

await loadSecp256k1();
const instance = libsecp256k1(); // the one object every caller uses: counting its methods counts them all
for (const name of Object.keys(instance)) {
  if (/^(recover|verify)/.test(name)) count(instance, name, `libsecp256k1.${name}`);
}
count(SigningKey, 'recoverPublicKey', 'ethers SigningKey.recoverPublicKey');

const iterations = Number.parseInt(process.env.BENCH_ITERATIONS ?? '200', 10);
const evm = (await familyCases()).find((family) => family.family.startsWith('evm'));
if (!evm) throw new Error('no EVM case in bench/fixtures.ts');
const vault = new KmsVault({
  client: precomputedKms(SECRET_KEY, 16).client,
  rateLimits: { sign: 1_000_000 },
});
const request = evm.request(vault);
for (let n = 0; n < iterations; n++) await signTransaction(request);

let total = 0;
console.log(`${iterations} EVM signatures (${evm.family}):`);
for (const [label, calls] of [...counts].sort()) {
  total += calls;
  console.log(`  ${label}: ${calls} (${(calls / iterations).toFixed(2)} per signature)`);
}
console.log(`  all: ${(total / iterations).toFixed(2)} per signature`);
