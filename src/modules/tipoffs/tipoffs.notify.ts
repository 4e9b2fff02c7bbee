import { formatDue } from '../../core/format';
import { isoLocal, now, TZ_OFFSET_MS } from '../../core/time';
import { notifyStaff, unitAudience } from '../notices/notices.service';
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

// Shown in H5 消息 as well as pushed: no chat instruction. "我的随手拍" is also the bot's keyword,
// so the same words work in a chat.
const FOLLOW = '处理进度可在“随手拍 › 我的随手拍”中查看。';

/** What the reporter is told when their tip-off moves (Simplified Chinese, one message); null: nothing to tell. */
export function statusMessage(doc: TipoffDoc, action: TipoffAction, note: string | null, points: number): string | null {
  const what = `您举报的「${listCategories().find((c) => c.code === doc.categoryCode)?.name ?? doc.categoryCode}」问题（编号 ${doc._id}）`;
  const unit = unitName(doc.unitCode);
  const because = note ? `说明：${note}` : '';
  switch (action) {
    case 'accept':
      return [
        `${what}已受理，已交由${unit}处理，整改时限 ${doc.deadlineAt ? shortTime(doc.deadlineAt) : '待定'}。`,
        points > 0 ? `感谢您的参与，奖励 ${points} 积分！` : '感谢您的参与！',
        FOLLOW,
      ].join('\n');
    case 'reject':
      return [`很抱歉，${what}经核实不予受理。`, because, '如有疑问，欢迎补充照片后重新举报。'].filter(Boolean).join('\n');
    case 'merge':
      // Told once: from now on the tip-off follows the primary's progress ("我的随手拍" shows it).
      return [`${what}与已有举报（编号 ${doc.mergedInto}）为同一问题，已合并处理，后续进度与该举报一致，感谢您的关注！`, because, FOLLOW]
        .filter(Boolean)
        .join('\n');
    case 'assign':
      return [`${what}已转交${unit}处理。`, because, FOLLOW].filter(Boolean).join('\n');
    case 'rectify':
      return [`好消息！${what}已由${unit}整改完成。`, because, FOLLOW].filter(Boolean).join('\n');
    case 'close':
      return [`${what}已办结。感谢您为文明城市创建出力！`, because].filter(Boolean).join('\n');
    case 'reopen':
      return [`${what}经复核需要重新整改，已退回${unit}处理。`, because, FOLLOW].filter(Boolean).join('\n');
    case 'approve-request': {
      // A return handed back to triage says nothing yet (the next assignment will); a reassignment or a new deadline does.
      const last = doc.history[doc.history.length - 1];
      if (doc.status === 'assigned' && last?.action === 'assign')
        return [`${what}已转交${unit}处理，整改时限 ${doc.deadlineAt ? shortTime(doc.deadlineAt) : '待定'}。`, FOLLOW].join('\n');
      if (doc.status === 'assigned' && doc.deadlineAt)
        return [`${what}的整改时限经批准延长至 ${shortTime(doc.deadlineAt)}，${unit}正在处理。`, FOLLOW].join('\n');
      return null;
    }
    case 'request-return':
    case 'request-extension':
    case 'refuse-request':
      return null; // between the office and the unit
  }
}

/** The status words a template shows (a 公众号 phrase field holds at most 5 characters). */
const STATUS: Record<TipoffAction, string> = {
  accept: '已受理',
  reject: '不予受理',
  merge: '已合并',
  assign: '已转交',
  rectify: '已整改',
  close: '已办结',
  reopen: '重新整改',
  'request-return': '处理中',
  'request-extension': '处理中',
  // told only when the office approved: a reassignment or a later deadline
  'approve-request': '处理中',
  'refuse-request': '处理中',
};

/** The status change as a template notice (公众号模板消息, 小程序订阅消息). */
function statusNotice(doc: TipoffDoc, action: TipoffAction, note: string | null) {
  const category = listCategories().find((c) => c.code === doc.categoryCode)?.name ?? doc.categoryCode;
  const time = isoLocal(now()).slice(0, 16).replace('T', ' ');
  return {
    kind: 'tipoff-status' as const,
    data: { id: doc._id, category, status: STATUS[action], unit: unitName(doc.unitCode) ?? '', note: note ?? '', time },
  };
}

/** Tells a resident reporter of a status change, once per transition (dedupe `tipoff:<id>:<seq>`). */
export async function notifyReporter(
  doc: TipoffDoc,
  action: TipoffAction,
  seq: number,
  note: string | null,
  points: number,
): Promise<void> {
  if (doc.source !== 'resident' || !doc.reporterId) return;
  const text = statusMessage(doc, action, note, points);
  if (text) await notifyResident(doc.reporterId, text, `tipoff:${doc._id}:${seq}`, statusNotice(doc, action, note));
}

/**
 * A unit's request goes to the office's inbox; the office's answer to the unit that asked (工作通知,
 * once per transition). The request itself is read from the history entry the transition wrote.
 */
export async function notifyStaffOf(doc: TipoffDoc, action: TipoffAction, seq: number): Promise<void> {
  const entry = doc.history[doc.history.length - (action === 'approve-request' && doc.history.at(-1)?.action === 'assign' ? 2 : 1)];
  if (!entry) return;
  const cat = listCategories().find((c) => c.code === doc.categoryCode)?.name ?? doc.categoryCode;
  const what = `「${cat}」问题（编号 ${doc._id}）`;
  const link = `/h5/#/console/tipoffs/${doc._id}`;
  const key = `tipoff:${doc._id}:${seq}:request`;
  const asker = unitName(entry.unitCode) ?? '责任单位';
  const req = doc.request;
  if (action === 'request-return') {
    await notifyStaff(
      'office',
      {
        kind: 'tipoff-request',
        title: `${asker}申请退回 ${doc._id}`,
        text: `${asker}申请退回${what}。理由：${entry.note}\n请在随手拍详情中同意（可直接改派）或不同意。`,
        link,
      },
      key,
    );
  } else if (action === 'request-extension' && req?.deadlineAt) {
    const due = doc.deadlineAt ? `原整改时限 ${shortTime(doc.deadlineAt)}（${formatDue(doc.deadlineAt, entry.at)}）。` : '';
    await notifyStaff(
      'office',
      {
        kind: 'tipoff-request',
        title: `${asker}申请延期 ${doc._id}`,
        text: `${asker}申请将${what}的整改时限延至 ${shortTime(req.deadlineAt)}。${due}理由：${entry.note}`,
        link,
      },
      key,
    );
  } else if (action === 'approve-request' || action === 'refuse-request') {
    // The request answered is the last one asked on the timeline.
    const asked = [...doc.history].reverse().find((e) => e.action === 'request-return' || e.action === 'request-extension');
    const isReturn = asked?.action === 'request-return';
    const ok = action === 'approve-request';
    const result = !ok
      ? `文明办不同意${isReturn ? '退回' : '延期'}，请继续按原时限整改。说明：${entry.note ?? ''}`
      : isReturn
        ? '文明办已同意退回，该问题不再由贵单位处理。'
        : `文明办已同意延期，新的整改时限 ${doc.deadlineAt ? shortTime(doc.deadlineAt) : '待定'}。`;
    await notifyStaff(
      unitAudience(entry.unitCode!),
      {
        kind: 'tipoff-request',
        title: `${ok ? '已同意' : '未同意'}${isReturn ? '退回' : '延期'}：${doc._id}`,
        text: `${what}：${result}`,
        link,
      },
      key,
    );
  }
}
