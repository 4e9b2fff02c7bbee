const chains = new Map<string, Promise<unknown>>();

/**
 * Runs fn after every earlier fn of the same key in this process: one writer per read-modify-write
 * document (a latest answer, a resident's participation days), since FerretDB updates are not atomic.
 */
export function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = chains.get(key) ?? Promise.resolve();
  const run = prev.catch(() => undefined).then(fn);
  chains.set(key, run);
  void run.finally(() => chains.get(key) === run && chains.delete(key)).catch(() => undefined);
  return run;
}
