import { onMounted, ref, type Ref } from 'vue';

export interface Loaded<T> {
  /** the data once it came */
  data: Ref<T | undefined>;
  /** true until the first read ended */
  loading: Ref<boolean>;
  /** the last read threw (the API layer has already told the person why) */
  failed: Ref<boolean>;
  /** reads again, e.g. after the person changed something */
  reload: () => Promise<void>;
}

/** What a page reads when it opens: the same refs and the same try/catch on every page. */
export function useLoaded<T>(read: () => Promise<T>): Loaded<T> {
  const data = ref<T>() as Ref<T | undefined>;
  const loading = ref(true);
  const failed = ref(false);
  async function reload(): Promise<void> {
    try {
      data.value = await read();
      failed.value = false;
    } catch {
      failed.value = true;
    } finally {
      loading.value = false;
    }
  }
  onMounted(reload);
  return { data, loading, failed, reload };
}
