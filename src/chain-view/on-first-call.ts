// A chain view whose code loads on its first call. Every public member of the views is an async method, so
// the synchronous ChainViews getters (index.ts) can hand a view out before its module is loaded: each
// family's view (and its schemas) then sits in a chunk of the Lambda bundle that loads when a job of that
// family first asks its node something, not in every runner's init code. The dynamic import() in the
// loader is the load point, so no caller can forget one.
import { onceUnlessFailed } from '../util/memo-retry.js';

/** The views' public surface: async methods only (a field or a synchronous method cannot wait for a load). */
type AsyncMethods<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? T[K] : never;
};

/**
 * A stand-in for the view `load()` makes, with the same methods: the first call loads and builds it (once;
 * a failed load is tried again on the next call) and every call is passed on to it. `methods` names every
 * public member, so a method added to a view without being listed here does not compile.
 */
export function onFirstCall<T extends AsyncMethods<T>>(
  load: () => Promise<T>,
  methods: { [K in keyof T]-?: true },
): T {
  const view = onceUnlessFailed(load);
  const standIn = Object.fromEntries(
    Object.keys(methods).map((name) => [
      name,
      async (...args: unknown[]) => {
        const target = await view();
        const method = target[name as keyof T] as (...a: unknown[]) => Promise<unknown>;
        return method.apply(target, args);
      },
    ]),
  );
  return standIn as T;
}
