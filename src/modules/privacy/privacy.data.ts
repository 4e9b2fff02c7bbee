import mongoose from 'mongoose';
import { decrypt } from '../../core/pii';
import { isoLocal, now } from '../../core/time';
import { listCategories } from '../catalog/catalog.service';
import { DailyQuizAnswer } from '../dailyquiz/dailyquiz.model';
import { HelpRequest, type HelpRequestDoc } from '../helpdesk/helpdesk.model';
import { Media, type MediaDoc } from '../media/media.model';
import { OutboxMessage, type OutboxMessageDoc } from '../outbox/outbox.model';
import { QuizResult, type QuizResultDoc } from '../quiz/quiz.model';
import { regionLabel } from '../regions/regions.service';
import { PointsEntry, ResidentIdentity, type PointsEntryDoc } from '../residents/residents.model';
import { getMe } from '../residents/residents.service';
import { Survey, SurveyResponse, type ResponseDoc } from '../surveys/surveys.model';
import { Tipoff, type TipoffDoc } from '../tipoffs/tipoffs.model';
import { statusNames } from '../tipoffs/tipoffs.schema';
import { serviceRecord } from '../volunteers/record.service';
import { findVolunteer } from '../volunteers/volunteers.service';
import { listConsents } from './privacy.consents';
import type { DataField, DataGroup, DataItem, MyData } from './privacy.schema';

const f = (label: string, value: unknown): DataField => ({
  label,
  value: value === null || value === undefined || value === '' ? '—' : String(value),
});
/** 2026-12-08 10:59: what a person reads (the export's generatedAt keeps the full ISO time) */
const at = (d: Date | null | undefined) => (d ? isoLocal(d).slice(0, 16).replace('T', ' ') : '—');

const channelNames: Record<string, string> = {
  device: 'H5 浏览器',
  wechaty: '微信聊天机器人联系人',
  'wx-openid': '微信 openid（小程序/网页授权）',
  'wx-unionid': '微信 unionid',
  'mp-openid': '公众号 openid',
  chat: '终端聊天',
};
/** identity channel → the bot channel its conversation is stored under (bots/messages.ts) */
const conversationChannel: Record<string, string> = { wechaty: 'wechaty', chat: 'chat', 'mp-openid': 'mp' };

async function accountGroup(residentId: string): Promise<DataGroup> {
  const me = await getMe(residentId);
  const identities = await ResidentIdentity.find({ residentId }).lean();
  const items: DataItem[] = [
    {
      title: '账号',
      fields: [
        f('居民编号', me.id),
        f('昵称', me.nickname),
        f('所在社区', me.regionCode ? me.regionName : '未选择'),
        f('积分', me.points),
        f('长辈模式', me.elderMode ? '已开启' : '未开启'),
      ],
    },
    ...identities.map((i) => ({
      title: channelNames[i.channel] ?? i.channel,
      fields: [f('标识', String(i._id).slice(i.channel.length + 1)), f('首次使用', at(i.createdAt))],
    })),
  ];
  return { kind: 'account', label: '账号与登录方式', note: '账号存续期间保存；注销后删除。', items };
}

async function volunteerGroup(residentId: string): Promise<DataGroup | undefined> {
  const v = await findVolunteer(residentId);
  if (!v) return undefined;
  const record = await serviceRecord(residentId);
  // The owner sees the numbers in full: decrypted here, for this response only.
  const items: DataItem[] = [
    {
      title: '志愿者注册信息',
      fields: [
        f('姓名', v.realName),
        f('手机号', decrypt(v.phoneEnc)),
        f('身份证号', decrypt(v.idNumberEnc)),
        f('性别', v.gender === 'male' ? '男' : '女'),
        f('所在社区', regionLabel(v.regionCode)),
        f('技能', (v.skills ?? []).join('、')),
        f('同意的告知书版本', v.consent?.noticeVersion),
        f('同意时间', at(v.consent?.agreedAt)),
        f('注册时间', at(v.createdAt)),
      ],
    },
    ...record.entries.map((e) => ({
      title: `服务记录：${e.title}`,
      fields: [
        f('地点', e.place),
        f('签到', at(new Date(e.checkedInAt))),
        f('签退', at(new Date(e.checkedOutAt))),
        f('时长（小时）', e.hours),
        f('组织方', e.organizer),
      ],
    })),
  ];
  return {
    kind: 'volunteer',
    label: '志愿者信息与服务记录',
    note: '手机号、身份证号加密保存，仅您本人可见完整号码；注销志愿者或账号时删除。',
    items,
  };
}

async function tipoffGroup(residentId: string): Promise<DataGroup> {
  const tipoffs = await Tipoff.find({ reporterId: residentId }).sort({ createdAt: -1 }).lean<TipoffDoc[]>();
  const names = new Map(listCategories().map((c) => [c.code, c.name]));
  const items = tipoffs.map((t) => ({
    title: `随手拍 ${t._id}`,
    fields: [
      f('类别', names.get(t.categoryCode) ?? t.categoryCode),
      f('描述', t.description),
      f('地点', t.location.address ?? regionLabel(t.regionCode)),
      f('状态', statusNames[t.status]),
      f('照片', `${t.photos.length} 张`),
      f('匿名', t.anonymous ? '是' : '否'),
      f('提交时间', at(t.createdAt)),
    ],
  }));
  const drafts = await Media.find({ 'uploader.id': residentId, status: 'draft' }).lean<MediaDoc[]>();
  if (drafts.length)
    items.push({ title: '未提交的照片', fields: [f('数量', `${drafts.length} 张`), f('说明', '未提交的照片 24 小时后自动删除')] });
  return { kind: 'tipoffs', label: '随手拍', note: '注销后随手拍本身留给城市管理使用，但不再关联到您。', items };
}

async function surveyGroup(residentId: string): Promise<DataGroup> {
  const responses = await SurveyResponse.find({ residentId }).lean<ResponseDoc[]>();
  const titles = new Map((await Survey.find({}, { title: 1 }).lean<Array<{ _id: string; title: string }>>()).map((s) => [s._id, s.title]));
  const items = responses.map((r) => ({
    title: titles.get(r.surveyId) ?? r.surveyId,
    fields: [f('提交时间', at(r.at)), f('回答题数', r.answers.length)],
  }));
  return { kind: 'surveys', label: '问卷答卷', note: '匿名问卷的答卷不与任何人关联，因此不在此列出；实名答卷注销后转为匿名记录。', items };
}

async function quizGroup(residentId: string): Promise<DataGroup> {
  const results = await QuizResult.find({ residentId }).sort({ at: -1 }).lean<QuizResultDoc[]>();
  const daily = await DailyQuizAnswer.find({ residentId }).sort({ day: -1 }).lean();
  const items = [
    ...results.map((r) => ({
      title: `答题 ${r.quizId}`,
      fields: [f('得分', r.score), f('答对', `${r.correctCount}/${r.total}`), f('时间', at(r.at))],
    })),
    ...daily.map((d) => ({
      title: `每日一题 ${d.day}`,
      fields: [f('选择', d.choice), f('是否答对', d.correct ? '是' : '否'), f('时间', at(d.at))],
    })),
  ];
  return { kind: 'quiz', label: '答题记录', note: '注销后转为不关联任何人的匿名记录，统计数字保持不变。', items };
}

async function pointsGroup(residentId: string): Promise<DataGroup> {
  const entries = await PointsEntry.find({ residentId }).sort({ at: -1 }).lean<PointsEntryDoc[]>();
  return {
    kind: 'points',
    label: '积分记录',
    note: '注销后删除与您的关联。',
    items: entries.map((p) => ({
      title: `${p.points > 0 ? '+' : ''}${p.points} 积分`,
      fields: [f('原因', p.note ?? p.reason), f('时间', at(p.at))],
    })),
  };
}

async function helpGroup(residentId: string): Promise<DataGroup> {
  const requests = await HelpRequest.find({ residentId }).sort({ createdAt: -1 }).lean<HelpRequestDoc[]>();
  const items = requests.map((h) => ({
    title: `人工服务 ${h._id}`,
    fields: [
      f('您说', h.said),
      f('时间', at(h.createdAt)),
      ...(h.transcript ?? []).map((m) => f(m.from === 'resident' ? '您' : '客服', m.text)),
      ...(h.replies ?? []).map((r) => f('工作人员回复', r.text)),
    ],
  }));
  return { kind: 'helpdesk', label: '人工服务记录', note: '注销时删除。', items };
}

async function chatGroup(residentId: string): Promise<DataGroup> {
  const identities = await ResidentIdentity.find({ residentId }).lean();
  const ids = identities
    .filter((i) => conversationChannel[i.channel])
    .map((i) => `${conversationChannel[i.channel]}:${String(i._id).slice(i.channel.length + 1)}`);
  const conversations = mongoose.connection.collection<{ _id: string; recent?: Array<{ from: string; text: string; at: Date }> }>(
    'bot_conversations',
  );
  const items: DataItem[] = [];
  for (const id of ids) {
    const c = await conversations.findOne({ _id: id });
    if (c?.recent?.length)
      items.push({
        title: '聊天中最近的消息',
        fields: c.recent.map((m) => f(`${m.from === 'resident' ? '您' : '机器人'} ${at(m.at)}`, m.text)),
      });
  }
  return { kind: 'chat', label: '聊天记录', note: '只保存最近几条，用于转人工时让工作人员了解情况；注销时删除。', items };
}

async function messageGroup(residentId: string): Promise<DataGroup> {
  const messages = await OutboxMessage.find({ residentId }).sort({ createdAt: -1 }).lean<OutboxMessageDoc[]>();
  return {
    kind: 'messages',
    label: '收到的消息',
    note: '注销时删除。',
    items: messages.map((m) => ({ title: at(m.createdAt), fields: [f('内容', m.text)] })),
  };
}

async function consentGroup(residentId: string): Promise<DataGroup> {
  const consents = await listConsents(residentId);
  return {
    kind: 'consents',
    label: '授权与订阅',
    note: '可随时撤回；撤回时间会被记录。',
    items: consents.map((c) => ({ title: c.label, fields: [f('状态', c.granted ? '已同意' : '未同意或已撤回'), f('时间', c.at ?? '—')] })),
  };
}

/** Everything held about the resident, grouped by kind with Chinese labels, unmasked: for the owner only. */
export async function collectMyData(residentId: string): Promise<MyData> {
  const groups = await Promise.all([
    accountGroup(residentId),
    volunteerGroup(residentId),
    tipoffGroup(residentId),
    surveyGroup(residentId),
    quizGroup(residentId),
    pointsGroup(residentId),
    helpGroup(residentId),
    chatGroup(residentId),
    messageGroup(residentId),
    consentGroup(residentId),
  ]);
  return { residentId, generatedAt: isoLocal(now()), groups: groups.filter((g): g is DataGroup => Boolean(g)) };
}
