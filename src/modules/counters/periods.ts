import { AppError } from '../../core/errors';
import { addDays, dayKey, daysBetween, isoWeekKey, monthKey, now, quarterKey } from '../../core/time';
import { dayDiff } from './participation-days';

export const periodKinds = ['day', 'week', 'month', 'quarter', 'year', 'campaign'] as const;
export type PeriodKind = (typeof periodKinds)[number];

/**
 * A statistics period: whole local days [from, to]. `bucket` names the distinct-participant bucket
 * that covers exactly these days (d:/w:/m:/q:/y:, 'all' for campaign-to-date), or null for any other
 * range, which the participation figures then count exactly from the gap counters.
 */
export interface Period {
  kind: PeriodKind | 'range';
  from: string;
  to: string;
  bucket: string | null;
  label: string;
}

export const MAX_RANGE_DAYS = 3 * 366;

const mondayOf = (day: string) => addDays(day, 1 - (new Date(`${day}T00:00:00Z`).getUTCDay() || 7));
const lastOfMonth = (day: string) => addDays(`${addDays(`${day.slice(0, 7)}-28`, 4).slice(0, 7)}-01`, -1);
const quarterStart = (day: string) =>
  `${day.slice(0, 4)}-${String((Math.ceil(Number(day.slice(5, 7)) / 3) - 1) * 3 + 1).padStart(2, '0')}-01`;

/** The whole bucket containing `day`. */
function bucketPeriod(kind: Exclude<PeriodKind, 'campaign'>, day: string): Period {
  switch (kind) {
    case 'day':
      return { kind, from: day, to: day, bucket: `d:${day}`, label: day };
    case 'week': {
      const from = mondayOf(day);
      const key = isoWeekKey(day);
      return {
        kind,
        from,
        to: addDays(from, 6),
        bucket: `w:${key}`,
        label: `${key.slice(0, 4)}年第${Number(key.slice(6))}周（${from} 至 ${addDays(from, 6)}）`,
      };
    }
    case 'month':
      return {
        kind,
        from: `${monthKey(day)}-01`,
        to: lastOfMonth(day),
        bucket: `m:${monthKey(day)}`,
        label: `${day.slice(0, 4)}年${Number(day.slice(5, 7))}月`,
      };
    case 'quarter': {
      const from = quarterStart(day);
      return {
        kind,
        from,
        to: lastOfMonth(addDays(from, 62)),
        bucket: `q:${quarterKey(day)}`,
        label: `${day.slice(0, 4)}年第${quarterKey(day).slice(6)}季度`,
      };
    }
    case 'year':
      return {
        kind,
        from: `${day.slice(0, 4)}-01-01`,
        to: `${day.slice(0, 4)}-12-31`,
        bucket: `y:${day.slice(0, 4)}`,
        label: `${day.slice(0, 4)}年`,
      };
  }
}

/** The bucket a from/to range happens to match exactly, if any. */
export function alignedBucket(from: string, to: string): string | null {
  for (const kind of ['day', 'week', 'month', 'quarter', 'year'] as const) {
    const p = bucketPeriod(kind, from);
    if (p.from === from && p.to === to) return p.bucket;
  }
  return null;
}

/** The first and last day with source records (the `span` counter). */
export interface CampaignSpan {
  first: string | null;
  last: string | null;
}

export interface PeriodQuery {
  period?: PeriodKind;
  date?: string;
  from?: string;
  to?: string;
}

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', `查询参数无效：${message}`, [{ path, message }]);

/**
 * Resolves the query to whole days. `period` (+ optional `date`, default today) picks a calendar
 * bucket; `campaign` runs from the first recorded day to today; otherwise from/to (each defaulting to
 * the campaign's first day and today). Nothing given means campaign-to-date.
 */
export function resolvePeriod(q: PeriodQuery, span: CampaignSpan, today = dayKey(now())): Period {
  if (q.period && (q.from || q.to)) throw invalid('period', 'period 与 from/to 不能同时使用');
  if (q.date && !q.period) throw invalid('date', 'date 需与 period 一起使用');
  const start = span.first && span.first < today ? span.first : today;
  if (q.period === 'campaign' || (!q.period && !q.from && !q.to)) {
    // Through the last recorded day even if the clock is behind it, so the 'all' bucket stays exact.
    const end = span.last && span.last > today ? span.last : today;
    return { kind: 'campaign', from: start, to: end, bucket: 'all', label: `创建以来（${start} 至 ${end}）` };
  }
  if (q.period) return bucketPeriod(q.period, q.date ?? today);
  const from = q.from ?? start;
  const to = q.to ?? (today >= from ? today : from);
  if (from > to) throw invalid('from', '开始日期不能晚于结束日期');
  if (dayDiff(from, to) >= MAX_RANGE_DAYS) throw invalid('to', `时间范围不能超过 ${MAX_RANGE_DAYS} 天`);
  const bucket = alignedBucket(from, to);
  return { kind: 'range', from, to, bucket, label: from === to ? from : `${from} 至 ${to}` };
}

export const periodDays = (p: Period): string[] => daysBetween(p.from, p.to);

/** The calendar years a period touches: counter documents are kept per year. */
export function periodYears(p: Period): string[] {
  const out: string[] = [];
  for (let y = Number(p.from.slice(0, 4)); y <= Number(p.to.slice(0, 4)); y++) out.push(String(y));
  return out;
}
