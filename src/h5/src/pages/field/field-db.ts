/**
 * The work page's offline storage: a tiny promise wrapper over IndexedDB (no `idb` package here).
 * Two stores: `kv` (the last assignments and who is signed in) and `queue` (visits recorded on the
 * phone and not yet synced, each with the Idempotency-Key it was given when it was recorded).
 */
const DB_NAME = 'wm-field';
const VERSION = 1;

let opening: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
      if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opening;
}

const done = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

async function store(name: 'kv' | 'queue', mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await open()).transaction(name, mode).objectStore(name);
}

export const kvGet = async <T>(key: string): Promise<T | undefined> =>
  (await done((await store('kv', 'readonly')).get(key))) as T | undefined;
export const kvSet = async (key: string, value: unknown): Promise<void> =>
  void (await done((await store('kv', 'readwrite')).put(value, key)));
export const kvDelete = async (key: string): Promise<void> => void (await done((await store('kv', 'readwrite')).delete(key)));

export const queueAll = async <T>(): Promise<T[]> => (await done((await store('queue', 'readonly')).getAll())) as T[];
export const queuePut = async (item: { key: string }): Promise<void> => void (await done((await store('queue', 'readwrite')).put(item)));
export const queueDelete = async (key: string): Promise<void> => void (await done((await store('queue', 'readwrite')).delete(key)));
