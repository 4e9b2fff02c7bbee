import { reactive } from 'vue';
import { ApiError } from './api';

/**
 * Errors shown on the field they concern (Vant field `error-message`), not only in a toast: a
 * 400 whose `details` are `[{path, message}]` marks each named field; the first path segment is
 * the field (`skills.2` marks `skills`).
 */
export function useFieldErrors<K extends string>() {
  const errors = reactive<Partial<Record<K, string>>>({}) as Partial<Record<K, string>>;
  const clear = (field?: K): void => {
    for (const k of Object.keys(errors) as K[]) if (!field || k === field) delete errors[k];
  };
  /** Marks the fields an API error names; true when at least one of `fields` was marked. */
  const take = (err: unknown, fields: readonly K[]): boolean => {
    clear();
    if (!(err instanceof ApiError) || err.status !== 400 || !Array.isArray(err.details)) return false;
    let marked = false;
    for (const d of err.details as { path?: unknown; message?: unknown }[]) {
      const field = String(d.path ?? '').split('.')[0] as K;
      if (fields.includes(field) && typeof d.message === 'string' && !errors[field]) {
        errors[field] = d.message;
        marked = true;
      }
    }
    return marked;
  };
  return { errors, clear, take };
}

/**
 * A paste that would go past a field's limit is refused with a word on the field, instead of
 * Vant's `maxlength` silently cutting it: the resident shortens the text themselves.
 */
export function pasteWithin(max: number, label: string, current: () => string, show: (message: string) => void) {
  return (e: ClipboardEvent): void => {
    const pasted = e.clipboardData?.getData('text') ?? '';
    const el = e.target as HTMLInputElement | HTMLTextAreaElement | null;
    const selected = el && el.selectionStart !== null && el.selectionEnd !== null ? el.selectionEnd - el.selectionStart : 0;
    const length = [...current()].length - selected + [...pasted].length;
    if (length <= max) return;
    e.preventDefault();
    show(`${label}最多 ${max} 个字，粘贴的内容共 ${[...pasted].length} 个字，请精简后再粘贴`);
  };
}
