const chains = new Map<string, Promise<unknown>>();

/**
 * Runs fn after every earlier fn of the same key in this process. Index documents that many requests
 * append to (a resident's list, a map cell) are updated one at a time per process: FerretDB (the
 * embedded, single-process server) may lose concurrent updates of one document; MongoDB applies
 * each $push atomically, so several processes are safe there.
 */
export function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (chains.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
  chains.set(key, run);
  void run.finally(() => chains.get(key) === run && chains.delete(key)).catch(() => undefined);
  return run;
}
