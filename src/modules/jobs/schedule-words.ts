/**
 * A cron schedule in words for the 定时任务 page: `0 9 * * 1` → 每周一 09:00, `30 2 * * *` → 每天 02:30,
 * `*\/5 * * * *` → 每 5 分钟. Covers the shapes jobs use (every N minutes or hours, hourly, daily,
 * weekly, monthly, lists and ranges of hours and weekdays); anything else is shown as 按计划 + the
 * expression, never guessed.
 */
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六', '日'];
const NUMBER = /^\d{1,2}$/;

const pad = (n: string) => n.padStart(2, '0');
const isNum = (f: string) => NUMBER.test(f);
const list = (f: string) => f.split(',');

/** `1-5` → 一至五, `1,3` → 一、三; undefined when a part is not a weekday. */
function weekdays(field: string): string | undefined {
  const parts = list(field).map((p) => {
    const range = p.match(/^(\d)-(\d)$/);
    if (range) return Number(range[2]) <= 7 ? `${WEEKDAYS[Number(range[1])]}至周${WEEKDAYS[Number(range[2])]}` : undefined;
    return /^[0-7]$/.test(p) ? WEEKDAYS[Number(p)] : undefined;
  });
  return parts.every(Boolean) ? parts.join('、') : undefined;
}

/** The times of day of `minute hour`: `30 8,12` → 08:30、12:30. */
function times(minute: string, hour: string): string | undefined {
  if (!isNum(minute) || !list(hour).every(isNum)) return undefined;
  return list(hour)
    .map((h) => `${pad(h)}:${pad(minute)}`)
    .join('、');
}

export function scheduleInWords(expr: string): string {
  const fields = expr.trim().split(/\s+/);
  // node-cron accepts an optional seconds field first; a schedule on second 0 reads the same.
  if (fields.length === 6 && fields[0] === '0') fields.shift();
  const fallback = `按计划：${expr.trim()}`;
  if (fields.length !== 5) return fallback;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (month !== '*') return fallback;

  if (dom === '*' && dow === '*') {
    const everyMin = minute.match(/^\*\/(\d+)$/);
    if (everyMin && hour === '*') return everyMin[1] === '1' ? '每分钟' : `每 ${everyMin[1]} 分钟`;
    if (minute === '*' && hour === '*') return '每分钟';
    if (isNum(minute) && hour === '*') return `每小时第 ${Number(minute)} 分`;
    const everyHour = hour.match(/^\*\/(\d+)$/);
    if (everyHour && isNum(minute)) return `每 ${everyHour[1]} 小时（第 ${Number(minute)} 分）`;
    const t = times(minute, hour);
    return t ? `每天 ${t}` : fallback;
  }
  const t = times(minute, hour);
  if (!t) return fallback;
  if (dom === '*') {
    const days = weekdays(dow);
    return days ? `每周${days} ${t}` : fallback;
  }
  if (dow === '*' && list(dom).every(isNum)) return `每月 ${list(dom).map(Number).join('、')} 日 ${t}`;
  return fallback;
}
