import { api } from '../../../api';
import type { JobRunView, JobView } from '../../../../../modules/jobs/jobs.schema';

/** 定时任务 (admin): schedules, switches, last runs, run-now. */
export type { JobRunView, JobView };

export const listJobs = async () => (await api.get<{ items: JobView[] }>('/api/v1/admin/jobs')).items;
export const runJob = (name: string) => api.post<JobRunView>(`/api/v1/admin/jobs/${encodeURIComponent(name)}/run?wait=true`, {});

export const statusLabels: Record<JobRunView['status'], string> = { running: '运行中', ok: '成功', failed: '失败', skipped: '已跳过' };
export const statusTags: Record<JobRunView['status'], 'primary' | 'success' | 'danger' | 'warning'> = { running: 'primary', ok: 'success', failed: 'danger', skipped: 'warning' };

/** "photosDeleted 3 · messagesDeleted 12" — the counts a run reported, zeros left out. */
export const countsText = (r: JobRunView) =>
  Object.entries(r.counts)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
