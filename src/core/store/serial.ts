/**
 * A per-key FIFO for this process: `run(key, fn)` starts fn after every earlier fn of the same key has
 * settled. It makes one writer per read-modify-write document (a latest answer, an index document, a
 * log, one contact's conversation), since FerretDB updates are not atomic. Each caller makes its own
 * queue, so two modules using the same key never wait on each other (nor deadlock by nesting).
 */
export type Serialized = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

export function keyedSerializer(): Serialized {
  const chains = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const run = (chains.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
    chains.set(key, run);
    void run.finally(() => chains.get(key) === run && chains.delete(key)).catch(() => undefined);
    return run;
  };
}
