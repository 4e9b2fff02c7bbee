import { api } from '../../../api';
import type { JobRunView, JobView } from '../../../../../modules/jobs/jobs.schema';

/** 定时任务 (admin): schedules, switches, last runs, run-now. */
export type { JobRunView, JobView };

export const listJobs = async () => (await api.get<{ items: JobView[] }>('/api/v1/admin/jobs')).items;
export const runJob = (name: string) => api.post<JobRunView>(`/api/v1/admin/jobs/${encodeURIComponent(name)}/run?wait=true`, {});
export const setJobEnabled = (name: string, enabled: boolean) =>
  api.put<JobView>(`/api/v1/admin/jobs/${encodeURIComponent(name)}/enabled`, { enabled });

export const statusLabels: Record<JobRunView['status'], string> = { running: '运行中', ok: '成功', failed: '失败', skipped: '已跳过' };
export const statusTags: Record<JobRunView['status'], 'primary' | 'success' | 'danger' | 'warning'> = {
  running: 'primary',
  ok: 'success',
  failed: 'danger',
  skipped: 'warning',
};

/** "photosDeleted 3 · messagesDeleted 12": the raw counts, only for runs recorded before jobs wrote summaries. */
const countsText = (r: JobRunView) =>
  Object.entries(r.counts)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');

/** What a run did, in the job's own words; the error or the reason when it did not run through. */
export const runResult = (r: JobRunView): string =>
  r.status === 'failed'
    ? `失败：${r.error ?? '原因不明'}`
    : r.status === 'running'
      ? '正在运行…'
      : (r.reason ?? r.summary ?? countsText(r));

/** 不到 0.1 秒, 0.4 秒, 12 秒, 3 分 5 秒 */
export function durationText(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 100) return '不到 0.1 秒';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} 秒`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
}
