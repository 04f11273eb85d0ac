// A MongoDB Db whose collections' commands can be held or made to fail from the test, to stage what a
// process kill or a stalled connection does between two writes. `faults[collection][method]` (looked up at
// each call, so a test can change it as it goes) runs instead of the method and is handed the real call.
import type { Db } from 'mongodb';

export type Fault = (call: () => Promise<unknown>, args: unknown[]) => Promise<unknown>;
export type Faults = Record<string, Record<string, Fault | undefined> | undefined>;

const bound = (target: object, prop: string | symbol): unknown => {
  const value: unknown = Reflect.get(target, prop, target);
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
};

export function faultyDb(db: Db, faults: Faults): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== 'collection') return bound(target, prop);
      return (name: string) => {
        const collection = target.collection(name);
        return new Proxy(collection, {
          get(real, method) {
            const fault = typeof method === 'string' ? faults[name]?.[method] : undefined;
            const value = bound(real, method);
            if (fault === undefined || typeof value !== 'function') return value;
            return (...args: unknown[]) =>
              fault(() => (value as (...a: unknown[]) => Promise<unknown>)(...args), args);
          },
        });
      };
    },
  });
}

/** A promise to hold a command on, and the function that lets it go. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
