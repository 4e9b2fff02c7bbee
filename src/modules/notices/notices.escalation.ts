import { config } from '../../config';
import { formatDuration } from '../../core/format';
import { logger } from '../../core/logger';
import { listCategories, listUnits } from '../catalog/catalog.service';
import { overdueTipoffs } from '../tipoffs/tipoffs.jobs';
import type { OpenTipoffDoc } from '../tipoffs/tipoffs.model';
import { shortTime } from '../tipoffs/tipoffs.notify';
import { notifyStaff, unitAudience } from './notices.service';

const HOUR = 3_600_000;
const categoryName = (code: string) => listCategories().find((c) => c.code === code)?.name ?? code;
const unitName = (code: string) => listUnits().find((u) => u.code === code)?.name ?? code;

/** "3 天 5 小时" / "7 小时": the shared duration text */
const lateBy = formatDuration;

/**
 * Tip-off escalation: every tip-off still unrectified past its deadline is put in its unit's inbox,
 * and once it is ESCALATE_OFFICE_AFTER_HOURS late, in the office's too. Each notice once per deadline
 * (dedupe key `tipoff:<id>:<deadline ms>:…`; a reopened tip-off has a new deadline, so it escalates
 * again). Reads only the bounded open-tip-off queue, so it can run every quarter of an hour.
 */
export async function escalateOverdueTipoffs(at: Date): Promise<Record<string, number>> {
  const officeAfterMs = config().ESCALATE_OFFICE_AFTER_HOURS * HOUR;
  const counts = { overdue: 0, unitNotified: 0, officeNotified: 0 };
  for (const o of await overdueTipoffs(at)) {
    counts.overdue++;
    const late = at.getTime() - o.deadlineAt!.getTime();
    const key = `tipoff:${o._id}:${o.deadlineAt!.getTime()}`;
    try {
      if (await notifyStaff(unitAudience(o.unitCode), unitNotice(o, late), `${key}:overdue`)) counts.unitNotified++;
      if (late >= officeAfterMs && (await notifyStaff('office', officeNotice(o, late), `${key}:office`))) counts.officeNotified++;
    } catch (err) {
      logger.warn({ err, tipoffId: o._id }, 'tip-off escalation failed'); // the next run tries again
    }
  }
  return counts;
}

function unitNotice(o: OpenTipoffDoc, late: number) {
  return {
    kind: 'tipoff-overdue',
    title: `随手拍 ${o._id} 已逾期`,
    text: `「${categoryName(o.categoryCode)}」问题（编号 ${o._id}）已超过整改时限 ${shortTime(o.deadlineAt!)}，已逾期 ${lateBy(late)}。请尽快整改并上传整改后照片；逾期较久的问题将报送创建办督办。`,
    link: `/console/tipoffs/${o._id}`,
  };
}

function officeNotice(o: OpenTipoffDoc, late: number) {
  return {
    kind: 'tipoff-escalated',
    title: `督办：${unitName(o.unitCode)}逾期未整改`,
    text: `${unitName(o.unitCode)}承办的「${categoryName(o.categoryCode)}」问题（编号 ${o._id}）整改时限为 ${shortTime(o.deadlineAt!)}，已逾期 ${lateBy(late)}仍未整改，请督办。`,
    link: `/console/tipoffs/${o._id}`,
  };
}
