// A value built once per process (an execution environment's clients and app) and then shared; a build
// that fails is forgotten, so the next caller tries again instead of inheriting the failure forever.
export function onceUnlessFailed<T>(build: () => Promise<T>): () => Promise<T> {
  let ready: Promise<T> | undefined;
  return () =>
    (ready ??= build().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
}
