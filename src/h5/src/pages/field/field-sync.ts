import { reactive } from 'vue';
import type { z } from 'zod';
import { api, ApiError, newIdempotencyKey } from '../../api';
import type { myAssignmentsSchema, Outcome, VisitInput, VisitResult } from '../../../../modules/fieldwork/fieldwork.schema';
import { ensureStaffSession, staff } from '../../staff';
import type { StaffView } from '../../types';
import { kvGet, kvSet, queueAll, queueDelete, queuePut } from './field-db';

/**
 * The enumerator's work, offline first: the assignments last fetched and the visits recorded on the
 * phone live in IndexedDB; every change is written there before anything is sent. A visit gets its
 * Idempotency-Key when it is recorded and keeps it until the server has it, so a retry (after a
 * dropped connection, a reload, a second tab) never records it twice.
 */
export type MyAssignments = z.infer<typeof myAssignmentsSchema>;
export type Assignment = MyAssignments['items'][number];
export type AssignedHousehold = Assignment['households'][number];
export type { Outcome, VisitInput };

export interface QueuedVisit {
  key: string;
  input: VisitInput;
  recordedAt: number;
  /** a refusal by the server (409 HOUSEHOLD_DONE …): not retried, shown on the household */
  error?: { code: string; message: string };
}

export const outcomeLabels: Record<Outcome, string> = {
  completed: '完成',
  not_home: '无人在家',
  refused: '拒访',
  vacant: '空户',
  other: '其他',
};

export const field = reactive({
  assignments: null as MyAssignments | null,
  queue: [] as QueuedVisit[],
  syncing: false,
  online: navigator.onLine,
  /** the last sync attempt failed for want of a network or server (not a refusal) */
  offlineError: false,
  lastSyncedAt: null as number | null,
});

const ME_KEY = 'me';
const ASSIGNMENTS_KEY = 'assignments';

/**
 * The work page's sign-in check: the usual staff session online; offline (no answer from the
 * server), the enumerator who last opened the page on this phone. The server checks the session
 * again on every sync, so this only decides what the page shows.
 */
export async function ensureFieldSession(): Promise<boolean> {
  try {
    if (!(await ensureStaffSession())) return false;
    if (staff.me!.role === 'enumerator') await kvSet(ME_KEY, { ...staff.me });
    return true;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 0) throw err;
    const cached = await kvGet<StaffView>(ME_KEY);
    if (!cached) return false;
    staff.me = cached;
    return true;
  }
}

export async function loadLocal(): Promise<void> {
  field.assignments = (await kvGet<MyAssignments>(ASSIGNMENTS_KEY)) ?? field.assignments;
  field.queue = (await queueAll<QueuedVisit>()).sort((a, b) => a.recordedAt - b.recordedAt);
}

/** Fetches the assignments; offline the cached ones stay. */
export async function refreshAssignments(): Promise<void> {
  try {
    const fresh = await api.get<MyAssignments>('/api/v1/fieldwork/my-assignments', { silent: true });
    field.assignments = fresh;
    await kvSet(ASSIGNMENTS_KEY, JSON.parse(JSON.stringify(fresh)));
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 0) throw err;
  }
}

export const pendingVisits = (): QueuedVisit[] => field.queue.filter((v) => !v.error);
export const visitsOf = (surveyId: string, householdId: string): QueuedVisit[] =>
  field.queue.filter((v) => v.input.surveyId === surveyId && v.input.householdId === householdId);

/** Records a visit on the phone, then tries to send it. */
export async function recordVisit(input: VisitInput): Promise<void> {
  const visit: QueuedVisit = { key: newIdempotencyKey(), input: JSON.parse(JSON.stringify(input)) as VisitInput, recordedAt: Date.now() };
  await queuePut(visit);
  field.queue.push(visit);
  void syncNow();
}

/** Forgets a visit the server refused (the enumerator has read why). */
export async function dismissVisit(key: string): Promise<void> {
  await queueDelete(key);
  field.queue = field.queue.filter((v) => v.key !== key);
}

function applyResult(r: VisitResult): void {
  const h = field.assignments?.items.find((a) => a.survey.id === r.surveyId)?.households.find((x) => x.id === r.householdId);
  if (h) Object.assign(h, r.household);
}

let running: Promise<void> | undefined;

/** Sends the waiting visits in the order they were recorded; stops at the first network failure. */
export function syncNow(): Promise<void> {
  running ??= (async () => {
    field.syncing = true;
    field.offlineError = false;
    try {
      for (const v of pendingVisits()) {
        try {
          applyResult(await api.post<VisitResult>('/api/v1/fieldwork/visits', v.input, { idempotencyKey: v.key, silent: true }));
          await queueDelete(v.key);
          field.queue = field.queue.filter((x) => x.key !== v.key);
        } catch (err) {
          if (!(err instanceof ApiError) || err.status === 0 || err.status >= 500 || err.status === 429 || err.status === 401) {
            field.offlineError = true;
            return;
          }
          v.error = { code: err.code, message: err.message };
          await queuePut(JSON.parse(JSON.stringify(v)) as QueuedVisit);
        }
      }
      field.lastSyncedAt = Date.now();
      await refreshAssignments();
    } finally {
      field.syncing = false;
      running = undefined;
    }
  })();
  return running;
}

let watching = false;
/** Syncs when the phone is back online (and keeps the online flag for the page). */
export function watchConnection(): void {
  if (watching) return;
  watching = true;
  window.addEventListener('online', () => {
    field.online = true;
    void syncNow();
  });
  window.addEventListener('offline', () => {
    field.online = false;
  });
}
