// Benchmark sizes from the environment, so a run can be made smaller or larger without editing code.

/** A non-negative integer from `name`, or `fallback` when unset; anything else is an error naming it. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/** A comma-separated list of positive integers from `name` (e.g. "1,8,32"), or `fallback`. */
export function envIntList(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return [...fallback];
  return raw.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(`${name} must list positive integers separated by commas, got "${raw}"`);
    }
    return value;
  });
}
