import { formatPercent, roundHours } from '../../core/format';
import type { BriefFigures, KeyRate, RateFigure } from './briefs.schema';

/** 72.3%, 0.04% for the small rates (participation of a whole city in one week), 0% for none. */
export const pct = formatPercent;

/** Who n counts, for the rates whose unit is a person's response. */
const sampleUnits: Partial<Record<KeyRate['key'], (n: number) => string>> = {
  awareness: (n) => `受访 ${n} 人`,
  satisfaction: (n) => `受访 ${n} 人`,
  support: (n) => `受访 ${n} 人`,
  quizAwareness: (n) => `答题 ${n} 人次`,
};

/** "72.3%（68.1%–76.2%，受访 412 人）", with 样本不足 when n < 30. */
export function rateText(r: RateFigure, key?: KeyRate['key']): string {
  if (r.rate === null) return '暂无数据';
  const ci = r.ci ? `${pct(r.ci[0])}–${pct(r.ci[1])}，` : '';
  const n = (key && sampleUnits[key]?.(r.n)) ?? `n=${r.n}`;
  return `${pct(r.rate)}（${ci}${n}${r.lowSample ? '，样本不足' : ''}）`;
}

/** "较上周 ↑2.1 个百分点" */
export function changeText(k: KeyRate): string {
  if (k.change === null) return k.key === 'volunteers' ? '累计' : '上周无可比数据';
  const pp = Math.round(k.change * 1000) / 10;
  if (pp === 0) return '与上周持平';
  return `较上周${pp > 0 ? '↑' : '↓'}${Math.abs(pp).toFixed(1)} 个百分点`;
}

const mmdd = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** The message posted to the office's group room (Simplified Chinese, plain text). */
export function briefText(f: BriefFigures, top = 5): string {
  const lines = [
    `【文明城市创建工作周报】${f.week.slice(0, 4)}年第${Number(f.week.slice(6))}周（${mmdd(f.from)}—${mmdd(f.to)}）`,
    '',
    '一、关键指标（括号内为 95% 置信区间和样本量；问卷指标按受访人数计，答题知晓按答题人次计，二者不合并）',
  ];
  for (const k of f.rates) {
    const score =
      k.key === 'satisfaction' && k.meanScore !== null && k.meanScore !== undefined ? `，平均 ${k.meanScore.toFixed(1)} 分` : '';
    lines.push(`· ${k.title} ${rateText(k.current, k.key)}${score}，${changeText(k)}`);
  }
  lines.push(
    `· 参与人数 ${f.participation.participants} 人（上周 ${f.participation.previousParticipants} 人），常住人口 ${f.participation.population} 人`,
    `· 随手拍 ${f.tipoffs.total} 件（上周 ${f.tipoffs.previousTotal} 件），受理 ${f.tipoffs.accepted} 件，已整改 ${f.tipoffs.rectified} 件，逾期 ${f.tipoffs.overdue} 件`,
    '',
    '二、责任单位整改排名',
  );
  const ranked = f.units.filter((u) => u.rank !== null);
  if (!ranked.length) lines.push('本周暂无受理满 10 件的单位，不排名。');
  for (const u of ranked.slice(0, top)) {
    const median = u.medianHoursToRectify !== null ? `，整改用时中位数 ${roundHours(u.medianHoursToRectify)!.toFixed(1)} 小时` : '';
    const onTime = u.rankingRate
      ? `按时整改 ${pct(u.rankingRate.rate)}（95%区间下限 ${pct(u.rankingRate.ci?.[0])}）`
      : `按时 ${pct(u.onTimeRate.rate)}`;
    lines.push(
      `${u.rank}. ${u.name}：${onTime}，整改率 ${pct(u.rectificationRate.rate)}（${u.rectified}/${u.accepted}），逾期 ${u.overdue} 件${median}`,
    );
  }
  if (ranked.length > top) lines.push(`……其余 ${ranked.length - top} 个单位见附件。`);
  const few = f.units.filter((u) => u.rank === null && u.accepted > 0);
  if (few.length) lines.push(`样本不足（受理不足 10 件，不排名）：${few.map((u) => `${u.name}（${u.accepted} 件）`).join('、')}`);
  lines.push(
    '',
    '注：单位排名按“按时整改数 ÷ 受理数”的 95% 区间下限；样本量不足 30 的比率仅供参考。完整数据和图表见附件 Excel，也可在工作台“工作简报”中下载。',
  );
  return lines.join('\n');
}
