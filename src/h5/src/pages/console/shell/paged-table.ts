import { ref, type Ref } from 'vue';

/**
 * The state of a console table read page by page from the API: its rows, the total, a loading flag,
 * `load` (the current page) and `search` (back to page 1 with the filters as they are now).
 */
export function usePagedTable<F extends { page: number }, T>(filters: F, fetchPage: (f: F) => Promise<{ items: T[]; total: number }>) {
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  async function load(): Promise<void> {
    loading.value = true;
    try {
      const page = await fetchPage(filters);
      rows.value = page.items;
      total.value = page.total;
    } finally {
      loading.value = false;
    }
  }
  const search = (): void => {
    filters.page = 1;
    void load();
  };
  return { rows, total, loading, load, search };
}
