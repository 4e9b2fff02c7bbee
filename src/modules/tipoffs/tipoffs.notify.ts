import { isoLocal, now, TZ_OFFSET_MS } from '../../core/time';
import { listCategories } from '../catalog/catalog.service';
import { notifyResident } from '../outbox/outbox.service';
import type { TipoffDoc } from './tipoffs.model';
import { unitName } from './tipoffs.present';
import type { TipoffAction } from './tipoffs.schema';

/** 11月22日 18:30 in Beijing time. */
export function shortTime(at: Date): string {
  const d = new Date(at.getTime() + TZ_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const FOLLOW = '回复“我的举报”或在“随手拍 › 我的随手拍”查看进度。';

/** What the reporter is told when their tip-off moves (Simplified Chinese, one message). */
export function statusMessage(doc: TipoffDoc, action: TipoffAction, note: string | null, points: number): string {
  const what = `您举报的「${listCategories().find((c) => c.code === doc.categoryCode)?.name ?? doc.categoryCode}」问题（编号 ${doc._id}）`;
  const unit = unitName(doc.unitCode);
  const because = note ? `说明：${note}` : '';
  switch (action) {
    case 'accept':
      return [`${what}已受理，已交由${unit}处理，整改时限 ${doc.deadlineAt ? shortTime(doc.deadlineAt) : '待定'}。`, points > 0 ? `感谢您的参与，奖励 ${points} 积分！` : '感谢您的参与！', FOLLOW].join('\n');
    case 'reject':
      return [`很抱歉，${what}经核实不予受理。`, because, '如有疑问，欢迎补充照片后重新举报。'].filter(Boolean).join('\n');
    case 'merge':
      return [`${what}与已有举报（编号 ${doc.mergedInto}）为同一问题，已合并处理，感谢您的关注！`, because].filter(Boolean).join('\n');
    case 'assign':
      return [`${what}已转交${unit}处理。`, because, FOLLOW].filter(Boolean).join('\n');
    case 'rectify':
      return [`好消息！${what}已由${unit}整改完成。`, because, FOLLOW].filter(Boolean).join('\n');
    case 'close':
      return [`${what}已办结。感谢您为文明城市创建出力！`, because].filter(Boolean).join('\n');
    case 'reopen':
      return [`${what}经复核需要重新整改，已退回${unit}处理。`, because, FOLLOW].filter(Boolean).join('\n');
  }
}

/** The status words a template shows (a 公众号 phrase field holds at most 5 characters). */
const STATUS: Record<TipoffAction, string> = { accept: '已受理', reject: '不予受理', merge: '已合并', assign: '已转交', rectify: '已整改', close: '已办结', reopen: '重新整改' };

/** The status change as a template notice (公众号模板消息, 小程序订阅消息). */
function statusNotice(doc: TipoffDoc, action: TipoffAction, note: string | null) {
  const category = listCategories().find((c) => c.code === doc.categoryCode)?.name ?? doc.categoryCode;
  const time = isoLocal(now()).slice(0, 16).replace('T', ' ');
  return { kind: 'tipoff-status' as const, data: { id: doc._id, category, status: STATUS[action], unit: unitName(doc.unitCode) ?? '', note: note ?? '', time } };
}

/** Tells a resident reporter of a status change, once per transition (dedupe `tipoff:<id>:<seq>`). */
export async function notifyReporter(doc: TipoffDoc, action: TipoffAction, seq: number, note: string | null, points: number): Promise<void> {
  if (doc.source !== 'resident' || !doc.reporterId) return;
  await notifyResident(doc.reporterId, statusMessage(doc, action, note, points), `tipoff:${doc._id}:${seq}`, statusNotice(doc, action, note));
}
