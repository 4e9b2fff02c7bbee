/**
 * Counters compared leaf by leaf across processes (the crash and scale-out tests): every numeric
 * leaf of every stored counter document, its per-instance shards (`<id>#<n>`) summed under the
 * counter's id, as `<id>|c.<path>` → value, zeros left out; and the leaves two such maps disagree on.
 * Pure: the tests pass the documents and the store's `counterIdOf`, loaded after their environment.
 */
export function counterLeavesOf(docs: Array<{ _id: string; c: unknown }>, counterIdOf: (docId: string) => string): Map<string, number> {
  const leaves = new Map<string, number>();
  const walk = (prefix: string, v: unknown): void => {
    if (typeof v === 'number') leaves.set(prefix, (leaves.get(prefix) ?? 0) + v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(`${prefix}.${k}`, x);
  };
  for (const d of docs) walk(`${counterIdOf(d._id)}|c`, d.c);
  for (const [k, v] of leaves) if (v === 0) leaves.delete(k);
  return leaves;
}

export function leafDifferences(a: Map<string, number>, b: Map<string, number>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((k) => (a.get(k) ?? 0) !== (b.get(k) ?? 0))
    .map((k) => `${k}: ${a.get(k) ?? 0} ≠ ${b.get(k) ?? 0}`);
}
