import { AppError } from '../../core/errors';
import { now } from '../../core/time';
import type { ActivityDoc } from './volunteers.model';
import type { UpdateActivity } from './volunteers.schema';

/**
 * What an office edit may change, by where the activity is in time. The console's form sends every
 * field, so the rules look at the fields whose value differs, never at the ones merely present.
 */
const timeOf = (v: unknown) => (typeof v === 'string' ? new Date(v).getTime() : v instanceof Date ? v.getTime() : undefined);

export function changedFields(a: ActivityDoc, patch: UpdateActivity): string[] {
  return Object.entries(patch)
    .filter(([k, v]) => {
      if (v === undefined) return false;
      const current = (a as Record<string, unknown>)[k];
      if (k === 'startAt' || k === 'endAt') return timeOf(v) !== timeOf(current);
      return JSON.stringify(v ?? null) !== JSON.stringify(current ?? null);
    })
    .map(([k]) => k);
}

/** Fields that stay editable after the end: they describe the service, not what was served. */
const AFTER_END = new Set(['description', 'organizer', 'contact']);

const locked = (message: string, field: string) => new AppError('ACTIVITY_LOCKED', message, [{ path: field, message }]);
const invalid = (message: string, field: string) => new AppError('VALIDATION_FAILED', message, [{ path: field, message }]);

export function checkActivityEdit(a: ActivityDoc, patch: UpdateActivity, at = now()): string[] {
  const changed = changedFields(a, patch);
  const reopening = a.status === 'cancelled' && patch.status === 'open';
  if (a.status === 'cancelled' && !reopening && changed.length)
    throw locked('活动已取消，不能修改；如需继续举办，请先恢复活动', changed[0]!);
  if (at >= a.endAt) {
    const bad = changed.find((k) => !AFTER_END.has(k));
    if (bad) throw locked('活动已结束，时间、名额、地点和状态已记入志愿服务记录，不能再改；只能修改服务内容、组织单位和联系方式', bad);
    return changed;
  }
  if (at >= a.startAt) {
    if (changed.includes('startAt')) throw locked('活动已开始，不能修改开始时间', 'startAt');
    if (changed.includes('regionCode')) throw locked('活动已开始，不能修改所属社区', 'regionCode');
  } else if (changed.includes('startAt') && new Date(patch.startAt!) <= at) {
    throw invalid('开始时间不能早于现在', 'startAt');
  }
  if (changed.includes('endAt') && new Date(patch.endAt!) <= at) throw invalid('结束时间不能早于现在', 'endAt');
  return changed;
}

/** Seats already given are never taken back: capacity may not drop below the confirmed volunteers. */
export function checkCapacity(capacity: number, confirmed: number): void {
  if (capacity < confirmed) {
    const message = `已有 ${confirmed} 人正式报名，名额不能少于 ${confirmed}；如需减少，请先联系报名者取消报名`;
    throw new AppError('CAPACITY_BELOW_SIGNUPS', message, [{ path: 'capacity', message }]);
  }
}
