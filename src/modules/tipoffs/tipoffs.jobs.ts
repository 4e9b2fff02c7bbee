import { isDuplicateKey } from '../../core/errors';
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
    try {
      await TipoffOverdue.create({ _id: `${o._id}:${o.deadlineAt!.getTime()}`, tipoffId: o._id, unitCode: o.unitCode, deadlineAt: o.deadlineAt, markedAt: at });
      marked.push(o);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return { overdue: overdue.length, marked };
}

export const tipoffJobs: JobDefinition[] = [
  {
    name: 'tipoffs.mark-overdue',
    schedule: '5 * * * *',
    description: '标记超过整改时限的随手拍（每个时限一次）',
    run: async (at) => {
      const r = await markOverdueTipoffs(at);
      return { overdue: r.overdue, marked: r.marked.length };
    },
  },
  {
    name: 'tipoffs.reindex',
    schedule: '20 3 * * *',
    description: '由随手拍记录重建待办队列与“我的随手拍”索引',
    run: async () => rebuildTipoffIndexes(),
  },
  {
    name: 'tipoffs.prune-cells',
    schedule: '40 3 * * *',
    description: '清理超过 24 小时的重复举报网格索引',
    run: async (at) => ({ pruned: await pruneDuplicateCells(addDays(dayKey(at), -2)) }),
  },
];
