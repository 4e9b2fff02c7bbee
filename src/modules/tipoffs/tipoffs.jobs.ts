import { claimOnce } from '../../core/store';
import { addDays, dayKey } from '../../core/time';
import type { JobDefinition } from '../types';
import { pruneDuplicateCells } from './tipoffs.duplicates';
import { rebuildTipoffIndexes } from './tipoffs.lists';
import { OpenTipoff, TipoffOverdue, type OpenTipoffDoc } from './tipoffs.model';
import { isOverdue } from './tipoffs.workflow';

/** Unfinished tip-offs past their deadline at `at` (a scan of the bounded queue, tipoff_open). */
export async function overdueTipoffs(at: Date): Promise<OpenTipoffDoc[]> {
  const open = await OpenTipoff.find().lean<OpenTipoffDoc[]>();
  return open.filter((o) => isOverdue(o, at));
}

/**
 * Marks each overdue tip-off once per deadline (a reopened tip-off gets a new deadline, so a new mark):
 * the mark's _id `<tipoffId>:<deadline ms>` is the guard. Returns the newly marked ones, for escalation.
 */
export async function markOverdueTipoffs(at: Date): Promise<{ overdue: number; marked: OpenTipoffDoc[] }> {
  const overdue = await overdueTipoffs(at);
  const marked: OpenTipoffDoc[] = [];
  for (const o of overdue) {
    if (
      await claimOnce(TipoffOverdue, {
        _id: `${o._id}:${o.deadlineAt!.getTime()}`,
        tipoffId: o._id,
        unitCode: o.unitCode,
        deadlineAt: o.deadlineAt,
        markedAt: at,
      })
    )
      marked.push(o);
  }
  return { overdue: overdue.length, marked };
}

export const tipoffJobs: JobDefinition[] = [
  {
    name: 'tipoffs.mark-overdue',
    title: '随手拍逾期标记',
    schedule: '5 * * * *',
    description: '标记超过整改时限的随手拍（每个时限一次）',
    run: async (at) => {
      const r = await markOverdueTipoffs(at);
      return { overdue: r.overdue, marked: r.marked.length };
    },
    summarize: (c) => (c.overdue ? `${c.overdue} 件随手拍超过整改时限，其中 ${c.marked ?? 0} 件为新标记。` : '没有超过整改时限的随手拍。'),
  },
  {
    name: 'tipoffs.reindex',
    title: '随手拍索引重建',
    schedule: '20 3 * * *',
    description: '由随手拍记录重建待办队列与“我的随手拍”索引',
    run: async () => rebuildTipoffIndexes(),
    summarize: (c) =>
      `待办队列重建为 ${c.open ?? 0} 件，更新了 ${c.residents ?? 0} 位居民的“我的随手拍”，移除 ${c.removed ?? 0} 条已办结的队列记录。`,
  },
  {
    name: 'tipoffs.prune-cells',
    title: '重复举报索引清理',
    schedule: '40 3 * * *',
    description: '清理超过 24 小时的重复举报网格索引',
    run: async (at) => ({ pruned: await pruneDuplicateCells(addDays(dayKey(at), -2)) }),
    summarize: (c) => (c.pruned ? `清理了 ${c.pruned} 个过期的重复举报网格。` : '没有过期的重复举报网格。'),
  },
];
