import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { isoLocal, now } from '../../core/time';
import { notifyResident } from '../outbox/outbox.service';
import { communitiesUnder, getRegion } from '../regions/regions.service';
import { Resident } from '../residents/residents.model';
import { SurveyInvitation, type SurveyInvitationDoc } from './surveys.model';
import type { SurveyInvitationView } from './surveys.schema';
import { getSurvey, hasResponded, isOpen, type SurveyDoc } from './surveys.service';

const present = (d: SurveyInvitationDoc): SurveyInvitationView => ({
  surveyId: d.surveyId,
  regionCode: d.regionCode ?? null,
  status: d.status as SurveyInvitationView['status'],
  residents: d.residents,
  invited: d.invited,
  skipped: d.skipped,
  startedAt: isoLocal(d.startedAt),
  finishedAt: d.finishedAt ? isoLocal(d.finishedAt) : null,
});

/** Shown in H5 消息 as well as pushed: no chat instruction ("问卷调查" is also the bot's keyword). */
function invitationText(s: SurveyDoc): string {
  const until = s.closesAt ? `，${isoLocal(s.closesAt).slice(5, 10).replace('-', '月')}日前有效` : '';
  return `【问卷邀请】诚邀您参加「${s.title}」${until}。您的意见将帮助我们把城市建设得更好。请在“问卷调查”中填写。`;
}

/**
 * Invites the residents of a region (the whole city when none) who have not answered an open survey:
 * through the outbox, so each goes by the channel the resident has (模板消息, 订阅消息, the bot, or
 * H5 消息), paced and capped like every notice, and at most once per resident and survey. Runs in the
 * background; the progress is kept in `survey_invitations`. Inviting again continues where a stopped
 * run left off (the outbox's dedupe key skips who was invited).
 */
export async function inviteToSurvey(surveyId: string, regionCode: string | null): Promise<SurveyInvitationView> {
  const s = await getSurvey(surveyId, { drafts: true });
  if (!isOpen(s)) throw new AppError('CONFLICT', '问卷未开放，不能邀请居民作答：请先开放问卷');
  const communities = new Set(communitiesUnder(regionCode ? getRegion(regionCode).code : undefined).map((c) => c.code));
  const _id = `${surveyId}:${regionCode ?? 'all'}`;
  const running = await SurveyInvitation.findById(_id).lean<SurveyInvitationDoc>();
  if (running?.status === 'running') return present(running);
  // An office action, not a hot path: one pass over residents' ids and communities.
  const residents = (await Resident.find({}, { regionCode: 1 }).lean())
    .filter((r) => r.regionCode && communities.has(r.regionCode))
    .map((r) => String(r._id));
  const doc: SurveyInvitationDoc = {
    _id,
    surveyId,
    regionCode,
    status: 'running',
    residents: residents.length,
    invited: 0,
    skipped: 0,
    startedAt: now(),
    finishedAt: null,
  };
  await SurveyInvitation.replaceOne({ _id }, doc, { upsert: true });
  void send(s, doc, residents).catch((err) => logger.error({ err, survey: surveyId }, 'survey invitations stopped'));
  return present(doc);
}

async function send(s: SurveyDoc, doc: SurveyInvitationDoc, residents: string[]): Promise<void> {
  const text = invitationText(s);
  const notice = {
    kind: 'survey-invitation' as const,
    data: { title: s.title, deadline: s.closesAt ? isoLocal(s.closesAt).slice(0, 16).replace('T', ' ') : '长期有效' },
  };
  let invited = 0;
  let skipped = 0;
  for (const [i, residentId] of residents.entries()) {
    const fresh = !(await hasResponded(s, residentId)) && (await notifyResident(residentId, text, `survey:${s._id}:invite`, notice));
    if (fresh) invited++;
    else skipped++;
    if (i % 100 === 99) await SurveyInvitation.updateOne({ _id: doc._id }, { $set: { invited, skipped } });
  }
  await SurveyInvitation.updateOne({ _id: doc._id }, { $set: { invited, skipped, status: 'done', finishedAt: now() } });
}

export async function invitationProgress(surveyId: string, regionCode: string | null): Promise<SurveyInvitationView | null> {
  const d = await SurveyInvitation.findById(`${surveyId}:${regionCode ?? 'all'}`).lean<SurveyInvitationDoc>();
  return d ? present(d) : null;
}
