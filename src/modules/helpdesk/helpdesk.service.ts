import crypto from 'node:crypto';
import type { StaffPrincipal } from '../../core/auth';
import { AppError, notFound } from '../../core/errors';
import { dayKey, isoLocal, now } from '../../core/time';
import { readByIds } from '../../core/store';
import { notifyStaff } from '../notices/notices.service';
import { notifyResident } from '../outbox/outbox.service';
import { HelpOpen, HelpRequest, type HelpRequestDoc } from './helpdesk.model';
import type { HelpChannel, HelpReply, HelpRequestList, HelpRequestView } from './helpdesk.schema';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newId = (at: Date) =>
  `R${dayKey(at).slice(2).replace(/-/g, '')}${Array.from(crypto.randomBytes(6), (b) => ALPHABET[b % 32]).join('')}`;

function present(d: HelpRequestDoc): HelpRequestView {
  return {
    id: d._id,
    residentId: d.residentId,
    channel: d.channel as HelpChannel,
    said: d.said,
    transcript: d.transcript.map((m) => ({
      from: m.from === 'bot' ? 'bot' : 'resident',
      text: m.text ?? '',
      at: isoLocal(m.at ?? d.createdAt),
    })),
    status: d.status,
    replies: d.replies.map((r) => ({ username: r.username ?? '', text: r.text ?? '', at: isoLocal(r.at ?? d.updatedAt) })),
    createdAt: isoLocal(d.createdAt),
    updatedAt: isoLocal(d.updatedAt),
  };
}

export interface NewHelpRequest {
  residentId: string;
  channel: HelpChannel;
  said: string;
  transcript?: ReadonlyArray<{ from: 'resident' | 'bot'; text: string; at: Date }>;
}

/** Opens a request for a person and tells the office (工作通知, and its group robot when configured). */
export async function openHelpRequest(req: NewHelpRequest): Promise<HelpRequestView> {
  const at = now();
  const doc = (
    await HelpRequest.create({
      _id: newId(at),
      residentId: req.residentId,
      channel: req.channel,
      said: req.said,
      transcript: [...(req.transcript ?? [])],
      status: 'open',
      replies: [],
      createdAt: at,
      updatedAt: at,
    })
  ).toObject() as HelpRequestDoc;
  await HelpOpen.create({ _id: doc._id, createdAt: at });
  const excerpt = req.said.length > 60 ? `${req.said.slice(0, 60)}…` : req.said;
  await notifyStaff(
    'office',
    { kind: 'help-request', title: `居民请求人工服务 ${doc._id}`, text: excerpt, link: `/console/help?id=${doc._id}` },
    `help:${doc._id}`,
  );
  return present(doc);
}

async function load(id: string): Promise<HelpRequestDoc> {
  const d = await HelpRequest.findById(id).lean<HelpRequestDoc>();
  if (!d) throw notFound('人工服务请求');
  return d;
}

export const getHelpRequest = async (id: string) => present(await load(id));

/** The office's queue: open and answered-but-not-closed requests (from the small index), or all. */
export async function listHelpRequests(status: 'open' | 'all'): Promise<HelpRequestList> {
  const openIds = (await HelpOpen.find().lean()).map((o) => String(o._id));
  const docs =
    status === 'open'
      ? await readByIds<HelpRequestDoc>(HelpRequest, openIds)
      : await HelpRequest.find().sort({ createdAt: -1 }).limit(500).lean<HelpRequestDoc[]>();
  const items = docs.filter((d): d is HelpRequestDoc => Boolean(d)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return { items: items.map(present), open: openIds.length };
}

/** A staff reply: stored, and sent to the resident through the outbox (their channel, or H5 消息). */
export async function replyToHelpRequest(id: string, staff: StaffPrincipal, reply: HelpReply): Promise<HelpRequestView> {
  const d = await load(id);
  if (d.status === 'closed') throw new AppError('CONFLICT', '该请求已办结，不能再回复');
  const at = now();
  const replies = [...d.replies, { staffId: staff.staffId, username: staff.username, text: reply.text, at }];
  const status = reply.close ? 'closed' : 'answered';
  await HelpRequest.updateOne({ _id: id }, { $set: { replies, status, updatedAt: at } });
  if (status === 'closed') await HelpOpen.deleteOne({ _id: id });
  await notifyResident(
    d.residentId,
    `【人工回复】${reply.text}\n（编号 ${id}${status === 'closed' ? '，已办结' : ''}；如需补充，请回复“人工”。）`,
    `help:${id}:${replies.length}`,
  );
  return present(await load(id));
}

export async function closeHelpRequest(id: string): Promise<HelpRequestView> {
  await load(id);
  const at = now();
  await HelpRequest.updateOne({ _id: id }, { $set: { status: 'closed', updatedAt: at } });
  await HelpOpen.deleteOne({ _id: id });
  return present(await load(id));
}
