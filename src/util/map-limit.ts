/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. Items not
 * started once `canStart` answers false are skipped (no result).
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  canStart: () => boolean = () => true,
): Promise<R[]> {
  const results: ({ value: R } | undefined)[] = new Array<{ value: R } | undefined>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && canStart()) {
      const index = next++;
      results[index] = { value: await fn(items[index] as T) };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results.flatMap((slot) => (slot === undefined ? [] : [slot.value]));
}
